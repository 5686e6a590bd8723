"""The feedback webhook posts only to public addresses (core.outbound): a private, link-local or
metadata address is refused when the URL is saved, and again when the event is sent, without
a connection and without retries."""

import pytest
from django_tasks_db.models import DBTaskResult

from regulars.core.errors import RegularsError
from regulars.feedback.models import FeedbackSettings, FeedbackWebhookDelivery
from regulars.feedback.services.surveys import do_answer, do_send_for, ensure_surveys
from regulars.feedback.services.webhook import do_configure_feedback_webhook, do_deliver
from regulars.feedback.tests.conftest import WEBHOOK_SECRET
from regulars.feedback.tests.inbox_data import customer


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://10.1.2.3/hook", "a private network address"),
        ("https://169.254.169.254/latest/meta-data", "a link-local address"),
        ("https://[::ffff:192.168.0.1]/hook", "a private network address"),
        ("http://0.0.0.0:8080/hook", "plain http is accepted only to this machine"),
    ],
)
def test_a_private_address_is_refused_when_saved(store, owner, url, reason):
    with pytest.raises(RegularsError) as caught:
        do_configure_feedback_webhook(store, owner, url=url, enabled=True, secret=WEBHOOK_SECRET)

    assert caught.value.field == "url"
    assert reason in caught.value.message
    assert not FeedbackSettings.objects.filter(store=store).exclude(webhook_url="").exists()


def test_an_address_that_became_private_is_refused_when_sent(
    store, owner, http_receiver, database_queue, django_capture_on_commit_callbacks
):
    do_configure_feedback_webhook(
        store, owner, url=f"{http_receiver.url}/f", enabled=True, secret=WEBHOOK_SECRET
    )
    # Saved while allowed (say, an operator's allow-list), the metadata address at send time:
    FeedbackSettings.objects.filter(store=store).update(
        webhook_url="http://169.254.169.254/latest/meta-data"
    )
    send = do_send_for(ensure_surveys(store)["nps"], customer(store), "k")
    with django_capture_on_commit_callbacks(execute=True):
        answer = do_answer(send, score=0).answer
    DBTaskResult.objects.all().delete()

    outcome = do_deliver("survey.detractor", answer.pk)

    assert outcome.retry_in is None
    assert outcome.summary.startswith("failed for good after attempt 1: 169.254.169.254 is a link")
    [attempt] = FeedbackWebhookDelivery.objects.all()
    assert attempt.status_code is None
    assert http_receiver.received == []


def test_only_owners_and_admins_set_the_webhook(store, member, http_receiver):
    from regulars.core.errors import StorePermissionDenied

    with pytest.raises(StorePermissionDenied):
        do_configure_feedback_webhook(store, member, url=f"{http_receiver.url}/f", enabled=True)
    assert not FeedbackSettings.objects.filter(store=store).exists()
