"""A message no longer relevant (past its deadline) is dropped with the reason, not sent late."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.messaging.models import MessageStatus, Purpose
from regulars.messaging.tests.email_delivery import (
    BASE_URL,
    dispatch,
    history,
    make_customer,
    queue_email,
)

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def test_a_message_past_its_deadline_is_dropped_and_not_sent(store, smtp_server, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    message = queue_email(
        store,
        customer,
        purpose=Purpose.MARKETING,
        subject="Flash sale, today only",
        deadline=NOW + timedelta(hours=2),
    )

    # The worker was down; it comes back after the sale ended.
    time_machine.move_to(NOW + timedelta(hours=3), tick=False)
    assert dispatch() == 1

    assert smtp_server.received == []
    assert smtp_server.sessions == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.DROPPED
    assert message.status_reason == "past its relevance deadline (2026-03-10 17:00 UTC)"
    assert message.sent_at is None
    assert message.failed_at == NOW + timedelta(hours=3)
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.DROPPED]


def test_a_message_before_its_deadline_is_sent(store, smtp_server, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    message = queue_email(
        store, customer, purpose=Purpose.MARKETING, deadline=NOW + timedelta(hours=2)
    )

    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    assert dispatch() == 1

    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
