"""The staff's reply to a survey comment goes to the customer by e-mail through messaging (the
real SMTP server receives it, in the customer's language, the text escaped in the HTML) and is
recorded on the answer; viewers may not reply; the same text twice sends one e-mail."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.core.errors import RegularsError, StorePermissionDenied
from regulars.feedback.models import SurveyAnswer
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import (
    customer,
    html_of,
    nps_send,
    text_of,
)
from regulars.messaging.models import Message
from regulars.messaging.services.sending import dispatch_due

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _answered(store, language="en", comment="The sleeve was torn <again>."):
    send = nps_send(store, customer(store, "ana", language=language))
    surveys.do_answer(send, score=3, comment=comment, now=NOW, language=language)
    return SurveyAnswer.objects.get(send=send)


def _deliver():
    while dispatch_due(now=datetime.now(UTC) + timedelta(seconds=1)):
        pass


def test_the_reply_reaches_the_customer_and_is_recorded(store, owner, smtp_server):
    answer = _answered(store)

    surveys.do_reply_to_answer(answer, "So sorry, Ana!\nA new copy is on its way <today>.", owner)
    _deliver()

    mails = smtp_server.messages()
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == "ana@example.com"
    assert mail["Subject"] == "A reply to your feedback from Vinyl Corner"
    assert "A new copy is on its way &lt;today&gt;." in html_of(mail)
    assert "<today>" not in html_of(mail)
    assert "The sleeve was torn &lt;again&gt;." in html_of(mail)  # their words, quoted
    assert "> The sleeve was torn <again>." in text_of(mail)
    answer.refresh_from_db()
    assert answer.reply == "So sorry, Ana!\nA new copy is on its way <today>."
    assert answer.replied_by == owner and answer.replied_at is not None
    message = Message.objects.get(pk=answer.reply_message_id)
    assert (message.purpose, message.channel, message.status) == ("transactional", "email", "sent")


def test_the_reply_speaks_the_customers_language(store, owner, smtp_server):
    answer = _answered(store, language="hy")

    surveys.do_reply_to_answer(answer, "Շնորհակալություն։", owner)
    _deliver()

    subject = smtp_server.messages()[0]["Subject"]
    # The parser keeps the space before an encoded word (as the messaging tests note).
    assert subject.lstrip() == "Vinyl Corner խանութի պատասխանը ձեր կարծիքին"


def test_the_same_reply_twice_sends_one_email_and_keeps_the_first_reply_time(
    store, owner, smtp_server
):
    answer = _answered(store)
    surveys.do_reply_to_answer(answer, "Thank you!", owner)
    first_time = SurveyAnswer.objects.get().replied_at

    surveys.do_reply_to_answer(answer, "Thank you!", owner)
    surveys.do_reply_to_answer(answer, "One more thing: your refund is done.", owner)
    _deliver()

    assert len(smtp_server.messages()) == 2
    answer.refresh_from_db()
    assert answer.replied_at == first_time
    assert answer.reply == "One more thing: your refund is done."


def test_a_viewer_and_an_outsider_may_not_reply(store, member, outsider):
    answer = _answered(store)

    for user in (member, outsider):
        with pytest.raises(StorePermissionDenied):
            surveys.do_reply_to_answer(answer, "Hi", user)

    assert not Message.objects.exists()
    assert SurveyAnswer.objects.get().reply == ""


def test_an_empty_reply_is_refused(store, owner):
    answer = _answered(store)

    with pytest.raises(RegularsError) as refused:
        surveys.do_reply_to_answer(answer, "  \n ", owner)

    assert refused.value.field == "body"
    assert not Message.objects.exists()
