"""The contact budget holds marketing e-mail back (frequency cap, quiet hours) to the next
allowed moment and then delivers it; transactional e-mail is never held."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.messaging.models import MessageStatus, Purpose
from regulars.messaging.services.channels import do_save_messaging_settings
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


def _subjects(smtp_server) -> list[str]:
    return [email["Subject"] for email in smtp_server.messages()]


def test_of_two_marketing_emails_the_higher_priority_goes_and_the_other_waits_16_hours(
    store, smtp_server, time_machine
):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    newsletter = queue_email(store, customer, subject="March newsletter", priority=1)
    sale = queue_email(store, customer, subject="Your wishlist is on sale", priority=5)

    assert dispatch() == 2

    assert _subjects(smtp_server) == ["Your wishlist is on sale"]
    sale.refresh_from_db()
    newsletter.refresh_from_db()
    assert sale.status == MessageStatus.SENT
    assert newsletter.status == MessageStatus.DEFERRED
    assert newsletter.send_after == NOW + timedelta(hours=16)
    assert newsletter.status_reason == "frequency cap: one marketing message per 16 h"

    time_machine.move_to(NOW + timedelta(hours=16) - timedelta(seconds=1), tick=False)
    assert dispatch() == 0

    time_machine.move_to(NOW + timedelta(hours=16), tick=False)
    assert dispatch() == 1

    assert _subjects(smtp_server) == ["Your wishlist is on sale", "March newsletter"]
    newsletter.refresh_from_db()
    assert newsletter.status == MessageStatus.SENT
    assert newsletter.sent_at == NOW + timedelta(hours=16)
    assert history(newsletter) == [
        MessageStatus.QUEUED,
        MessageStatus.DEFERRED,
        MessageStatus.SENT,
    ]


def test_a_transactional_email_is_never_held_by_the_frequency_cap(store, smtp_server, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = make_customer(store, "ada@example.com")
    queue_email(store, customer, subject="Spring sale", purpose=Purpose.MARKETING)
    receipt = queue_email(
        store, customer, subject="Your order #1001", purpose=Purpose.TRANSACTIONAL
    )

    assert dispatch() == 2

    assert sorted(_subjects(smtp_server)) == ["Spring sale", "Your order #1001"]
    receipt.refresh_from_db()
    assert receipt.status == MessageStatus.SENT


def test_a_marketing_email_at_23_00_in_bangkok_waits_for_08_00_bangkok_with_quiet_hours_on(
    store, owner, smtp_server, time_machine
):
    do_save_messaging_settings(store, owner, quiet_hours_for_email=True)
    # 23:00 in Bangkok (UTC+7) is 16:00 UTC; the store itself is in New York, where it is
    # 11:00: the customer's own time zone decides.
    late_evening = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    time_machine.move_to(late_evening, tick=False)
    customer = make_customer(store, "somchai@example.com", timezone="Asia/Bangkok")
    message = queue_email(store, customer, subject="New arrivals")

    assert dispatch() == 1

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == MessageStatus.DEFERRED
    # 08:00 on 11 March in Bangkok.
    assert message.send_after == datetime(2026, 3, 11, 1, 0, tzinfo=UTC)
    assert message.status_reason == "quiet hours in Asia/Bangkok until 08:00"

    time_machine.move_to(datetime(2026, 3, 11, 0, 59, tzinfo=UTC), tick=False)
    assert dispatch() == 0

    time_machine.move_to(datetime(2026, 3, 11, 1, 0, tzinfo=UTC), tick=False)
    assert dispatch() == 1

    assert _subjects(smtp_server) == ["New arrivals"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_quiet_hours_do_not_hold_email_unless_the_store_turns_them_on(
    store, smtp_server, time_machine
):
    time_machine.move_to(datetime(2026, 3, 10, 16, 0, tzinfo=UTC), tick=False)
    customer = make_customer(store, "somchai@example.com", timezone="Asia/Bangkok")
    queue_email(store, customer, subject="New arrivals")

    assert dispatch() == 1

    assert _subjects(smtp_server) == ["New arrivals"]
