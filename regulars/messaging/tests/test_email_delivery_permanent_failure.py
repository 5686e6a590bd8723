"""A permanent SMTP refusal (550 5.1.1, no such mailbox) fails the message at once, is never
retried, and puts the address on the store's suppression list."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.messaging.models import MessageStatus, Purpose, Suppression, SuppressionReason
from regulars.messaging.tests.email_delivery import (
    BASE_URL,
    dispatch,
    history,
    make_customer,
    queue_email,
)

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
NO_SUCH_USER = "550 5.1.1 no such user"


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def test_a_550_fails_at_once_is_not_retried_and_suppresses_the_address(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "Gone@Example.com")
    message = queue_email(store, customer, purpose=Purpose.MARKETING)
    smtp_server.refuse_next("RCPT", NO_SUCH_USER)

    assert dispatch() == 1

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert message.status_reason == f"recipient refused: {NO_SUCH_USER}"
    assert message.failed_at == NOW
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.FAILED]
    [suppression] = Suppression.objects.filter(store=store)
    assert (suppression.channel, suppression.address, suppression.reason) == (
        "email",
        "gone@example.com",
        SuppressionReason.INVALID,
    )
    assert suppression.message_id == message.pk
    assert suppression.detail == f"recipient refused: {NO_SUCH_USER}"

    # Far past any retry delay: still one attempt, nothing sent.
    time_machine.move_to(NOW + timedelta(days=2), tick=False)
    assert dispatch() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert smtp_server.received == []


def test_nothing_more_is_sent_to_a_suppressed_address(store, smtp_server, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "gone@example.com")
    queue_email(store, customer, purpose=Purpose.MARKETING)
    smtp_server.refuse_next("RCPT", NO_SUCH_USER)
    dispatch()

    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    receipt = queue_email(store, customer, purpose=Purpose.TRANSACTIONAL, subject="Your order")
    assert dispatch() == 1

    assert smtp_server.received == []
    assert smtp_server.sessions == 1  # only the first, refused, attempt reached the server
    receipt.refresh_from_db()
    assert receipt.status == MessageStatus.SUPPRESSED
    assert receipt.status_reason == "the address is on the suppression list"
