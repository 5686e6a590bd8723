"""Every message reaches the server once: not twice when dispatched twice or queued twice with
the same key, and not twice after a worker stopped in the middle of a batch."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.messaging.models import Message, MessageStatus, Purpose
from regulars.messaging.services import sending
from regulars.messaging.tests.email_delivery import (
    BASE_URL,
    dispatch,
    history,
    make_customer,
    queue_email,
)

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
NEVER_TWICE = "the worker stopped while sending it; not retried so that it is never sent twice"


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def test_dispatching_twice_sends_each_due_message_once(store, smtp_server):
    addresses = ["a@example.com", "b@example.com", "c@example.com"]
    for address in addresses:
        queue_email(store, make_customer(store, address), purpose=Purpose.TRANSACTIONAL)

    assert dispatch() == 3
    assert dispatch() == 0

    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == addresses


def test_a_message_queued_twice_with_the_same_idempotency_key_is_sent_once(store, smtp_server):
    customer = make_customer(store, "ada@example.com")
    first = queue_email(store, customer, idempotency_key="order-1001-confirmation")
    second = queue_email(store, customer, idempotency_key="order-1001-confirmation")

    assert second.pk == first.pk
    assert Message.objects.filter(store=store).count() == 1
    assert dispatch() == 1
    assert dispatch() == 0
    assert len(smtp_server.received) == 1


def _worker_claims_then_stops(now):
    """The first step of a worker's dispatch (the claim), after which its process dies."""
    return sending._claim(now, sending.BATCH)


def test_a_stale_message_never_handed_to_smtp_is_requeued_and_sent_once(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    message = queue_email(store, make_customer(store, "ada@example.com"))
    [claimed] = _worker_claims_then_stops(NOW)
    assert claimed.pk == message.pk

    # Within ten minutes the claim is respected: another worker leaves it alone.
    time_machine.move_to(NOW + timedelta(minutes=9), tick=False)
    assert dispatch() == 0
    assert smtp_server.received == []

    time_machine.move_to(NOW + timedelta(minutes=11), tick=False)
    assert dispatch() == 1
    assert dispatch() == 0

    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.QUEUED, MessageStatus.SENT]
    assert message.events.order_by("pk")[1].reason == "recovered from a stopped worker"


def test_a_stale_message_that_may_have_been_handed_to_smtp_fails_and_is_not_sent(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    message = queue_email(store, make_customer(store, "ada@example.com"))
    _worker_claims_then_stops(NOW)
    # What the worker writes just before handing a chunk to the channel (see _dispatch_store):
    # from here on, the server may have received the message.
    Message.objects.filter(pk=message.pk).update(handed_over_at=NOW)

    time_machine.move_to(NOW + timedelta(minutes=11), tick=False)
    assert dispatch() == 0
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    assert dispatch() == 0

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.status_reason == NEVER_TWICE
    assert message.failed_at == NOW + timedelta(minutes=11)
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.FAILED]
