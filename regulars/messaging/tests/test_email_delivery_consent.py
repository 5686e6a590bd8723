"""No marketing e-mail leaves without the customer's marketing consent, checked when it is
sent; transactional e-mail does not need it."""

import pytest

from regulars.commerce.services import do_set_consent
from regulars.messaging.models import MessageStatus, Purpose
from regulars.messaging.tests.email_delivery import (
    BASE_URL,
    dispatch,
    history,
    make_customer,
    queue_email,
)


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


@pytest.mark.parametrize("consent", ["unknown", "unsubscribed", "pending"])
def test_a_customer_without_marketing_consent_gets_no_marketing_email(store, smtp_server, consent):
    customer = make_customer(store, "ada@example.com", consent=consent)
    message = queue_email(store, customer, purpose=Purpose.MARKETING)

    assert dispatch() == 1

    assert smtp_server.received == []
    assert smtp_server.sessions == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    assert message.status_reason == f"no marketing consent on email (consent: {consent})"
    assert message.sent_at is None
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.SUPPRESSED]


def test_consent_is_checked_when_sending_not_when_queueing(store, smtp_server):
    customer = make_customer(store, "ada@example.com", consent="subscribed")
    message = queue_email(store, customer, purpose=Purpose.MARKETING)
    do_set_consent(customer, channel="email", state="unsubscribed", source="unsubscribe_link")

    assert dispatch() == 1

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    assert message.status_reason == "no marketing consent on email (consent: unsubscribed)"


def test_a_transactional_email_reaches_a_customer_who_unsubscribed_from_marketing(
    store, smtp_server
):
    customer = make_customer(store, "ada@example.com", consent="unsubscribed")
    message = queue_email(
        store,
        customer,
        purpose=Purpose.TRANSACTIONAL,
        subject="Your order #1001 has shipped",
        body_text="It is on its way.",
        body_html="",
    )

    assert dispatch() == 1

    [received] = smtp_server.received
    assert received.rcpt_tos == ("ada@example.com",)
    email = received.parsed()
    assert email["Subject"] == "Your order #1001 has shipped"
    assert email.get_content_type() == "text/plain"
    # A single-part message ends with a line break (SMTP data ends on a whole line).
    assert email.get_content() == "It is on its way.\n"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
