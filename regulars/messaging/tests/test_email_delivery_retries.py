"""A transient SMTP refusal (4xx) puts the message back in the queue with backoff, and it is
delivered once the server accepts it; after the last retry it fails."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.messaging.models import MessageStatus, Purpose, Suppression
from regulars.messaging.services.sending import RETRY_DELAYS
from regulars.messaging.tests.email_delivery import (
    BASE_URL,
    dispatch,
    history,
    make_customer,
    queue_email,
)
from regulars.messaging.tests.smtp_server import free_port

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
TRY_LATER = "451 4.3.0 try again later"


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def test_a_refused_recipient_with_451_is_retried_a_minute_later_and_then_delivered(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    message = queue_email(store, customer, purpose=Purpose.MARKETING, subject="New records")
    smtp_server.refuse_next("RCPT", TRY_LATER)

    assert dispatch() == 1

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.send_after == NOW + timedelta(minutes=1)
    assert message.attempts == 1
    assert message.status_reason == f"retry 1 of 5 in 1 min: recipient refused: {TRY_LATER}"
    assert message.sent_at is None

    # Not due yet: nothing happens before send_after.
    time_machine.move_to(NOW + timedelta(seconds=59), tick=False)
    assert dispatch() == 0
    assert smtp_server.received == []

    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    assert dispatch() == 1

    [received] = smtp_server.received
    assert received.parsed()["Subject"] == "New records"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.sent_at == NOW + timedelta(minutes=1)
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.QUEUED, MessageStatus.SENT]
    # The marketing slot spent on the failed attempt was given back: the retry was not
    # deferred by the frequency cap.
    assert dispatch() == 0
    assert len(smtp_server.received) == 1


def test_a_data_refusal_with_451_is_retried_too(store, smtp_server, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    message = queue_email(store, customer, purpose=Purpose.TRANSACTIONAL)
    smtp_server.refuse_next("DATA", TRY_LATER)

    assert dispatch() == 1

    assert smtp_server.received == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.status_reason == f"retry 1 of 5 in 1 min: SMTP error: {TRY_LATER}"

    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    assert dispatch() == 1
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_message_refused_at_every_retry_fails_and_is_never_delivered(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    message = queue_email(store, customer, purpose=Purpose.MARKETING)
    smtp_server.refuse_next("RCPT", TRY_LATER, times=len(RETRY_DELAYS) + 1)

    moment = NOW
    waits = []
    for _ in range(len(RETRY_DELAYS) + 1):
        time_machine.move_to(moment, tick=False)
        assert dispatch() == 1
        message.refresh_from_db()
        if message.status != MessageStatus.QUEUED:
            break
        waits.append(message.send_after - moment)
        moment = message.send_after

    assert waits == list(RETRY_DELAYS)
    assert message.status == MessageStatus.FAILED
    assert message.attempts == len(RETRY_DELAYS) + 1
    assert message.status_reason == (f"gave up after 6 attempts: recipient refused: {TRY_LATER}")
    assert message.failed_at == moment
    assert smtp_server.received == []
    assert history(message) == [MessageStatus.QUEUED] * 6 + [MessageStatus.FAILED]
    # A temporary refusal says nothing about the address: it is not suppressed.
    assert not Suppression.objects.filter(store=store).exists()

    time_machine.move_to(moment + timedelta(days=1), tick=False)
    assert dispatch() == 0
    assert smtp_server.received == []


def test_a_mail_server_that_is_down_is_retried_and_delivered_when_it_is_back(
    store, smtp_server, settings, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    message = queue_email(store, customer, purpose=Purpose.TRANSACTIONAL)
    settings.EMAIL_PORT = free_port()  # nothing listens there

    assert dispatch() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.send_after == NOW + timedelta(minutes=1)
    assert message.status_reason.startswith("retry 1 of 5 in 1 min: mail server unreachable: ")

    settings.EMAIL_PORT = smtp_server.port
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)
    assert dispatch() == 1

    assert [r.rcpt_tos for r in smtp_server.received] == [("ada@example.com",)]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
