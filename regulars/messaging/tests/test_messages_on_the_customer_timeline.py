"""A customer's messages appear on their timeline with what happened to them, and a channel
the store switched off sends nothing (e-mail included, though it needs no set-up)."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.commerce.timeline import timeline_for
from regulars.messaging.models import ChannelConfig, MessageStatus
from regulars.messaging.services.sending import dispatch_due, do_queue_message

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _outbox(settings, time_machine):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def ana(store):
    return upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj


def _queue(store, customer, subject="Your order is on its way"):
    return do_queue_message(
        store,
        customer,
        channel="email",
        purpose="transactional",
        subject=subject,
        body_text="It left today.",
    )


def test_a_sent_message_is_on_the_customers_timeline(store, ana):
    message = _queue(store, ana)
    dispatch_due()

    (entry,) = [e for e in timeline_for(ana) if e.kind.startswith("message.")]

    assert (entry.kind, entry.at, entry.ref_kind, entry.ref_id) == (
        "message.sent",
        NOW,
        "message",
        message.pk,
    )
    assert entry.title == "E-mail (transactional): Your order is on its way"
    assert entry.detail == "Sent"


def test_another_customers_messages_stay_off_the_timeline(store, other_store, ana):
    bea = upsert_customer(other_store, CustomerIn(email="ana@example.com"), source="api").obj
    _queue(other_store, bea)

    assert [e for e in timeline_for(ana) if e.kind.startswith("message.")] == []


def test_a_switched_off_email_channel_sends_nothing_and_says_why(store, ana):
    ChannelConfig.objects.create(store=store, channel="email", enabled=False)
    message = _queue(store, ana)

    dispatch_due()

    message.refresh_from_db()
    assert (message.status, message.status_reason) == (
        MessageStatus.FAILED,
        "the store switched its email channel off",
    )
    assert mail.outbox == []
