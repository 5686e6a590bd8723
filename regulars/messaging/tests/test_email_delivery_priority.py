"""When two workers hold one customer's marketing e-mails, the higher priority goes first and
the lower one waits, even though they were claimed in separate batches."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.messaging.models import MessageStatus
from regulars.messaging.services import sending
from regulars.messaging.tests.email_delivery import BASE_URL, dispatch, make_customer, queue_email

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def test_a_lower_priority_email_waits_while_a_higher_one_to_the_same_customer_is_pending(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    sale = queue_email(store, customer, subject="Your wishlist is on sale", priority=5)
    newsletter = queue_email(store, customer, subject="March newsletter", priority=1)

    # Worker A claims one message (the higher priority is claimed first) and has not sent it
    # yet; worker B, with a batch of one, gets the newsletter.
    claimed_by_a = sending._claim(NOW, 1)
    assert [m.pk for m in claimed_by_a] == [sale.pk]
    assert dispatch(limit=1) == 1

    assert smtp_server.received == []
    newsletter.refresh_from_db()
    assert newsletter.status == MessageStatus.DEFERRED
    assert newsletter.status_reason == "a higher-priority message to this customer goes first"
    assert newsletter.send_after == NOW + timedelta(minutes=1)

    # Worker A finishes its batch: the sale goes out.
    sending._dispatch_store(claimed_by_a, NOW)
    assert [e["Subject"] for e in smtp_server.messages()] == ["Your wishlist is on sale"]

    # A minute later the newsletter meets the frequency cap the sale spent...
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    assert dispatch() == 1
    newsletter.refresh_from_db()
    assert newsletter.status == MessageStatus.DEFERRED
    assert newsletter.send_after == NOW + timedelta(hours=16)

    # ...and goes out when the cap allows.
    time_machine.move_to(NOW + timedelta(hours=16), tick=False)
    assert dispatch() == 1
    assert [e["Subject"] for e in smtp_server.messages()] == [
        "Your wishlist is on sale",
        "March newsletter",
    ]


def test_a_higher_priority_email_still_in_the_queue_holds_back_a_lower_one_in_the_batch(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    newsletter = queue_email(store, customer, subject="March newsletter", priority=1)
    # A worker claims the newsletter (the only message due); before it sends, another process
    # queues a sale for the same customer, outside the worker's batch.
    claimed = sending._claim(NOW, 1)
    sale = queue_email(store, customer, subject="Your wishlist is on sale", priority=5)
    sending._dispatch_store(claimed, NOW)

    assert smtp_server.received == []
    newsletter.refresh_from_db()
    assert newsletter.status == MessageStatus.DEFERRED
    assert newsletter.status_reason == "a higher-priority message to this customer goes first"
    sale.refresh_from_db()
    assert sale.status == MessageStatus.QUEUED

    assert dispatch() == 1
    assert [e["Subject"] for e in smtp_server.messages()] == ["Your wishlist is on sale"]
