"""A hard bounce marks the message bounced and suppresses the address, so the dispatcher
sends nothing more to it."""

import pytest
from django.core import mail

from regulars.messaging.models import Message, MessageEvent, Suppression
from regulars.messaging.services.sending import dispatch_due, do_queue_message
from regulars.messaging.tests.provider_webhooks import (
    mailgun,
    make_customer,
    post_mailgun,
    post_postmark,
    postmark,
    sent_message,
    use_webhook_settings,
)

POSTMARK_ID = "883953f4-6105-42a2-a16a-77a8eac79483"
REPLY = "smtp;550 5.1.1 The email account that you tried to reach does not exist."


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    use_webhook_settings(settings)


def test_a_postmark_hard_bounce_bounces_the_message_and_suppresses_the_address(client, store):
    customer = make_customer(store, email="Ana@Example.com")
    message = sent_message(store, customer, POSTMARK_ID)

    response = post_postmark(client, postmark("postmark_bounce.json", message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "bounced"
    assert message.status_reason == f"hard bounce reported by Postmark: {REPLY}"
    suppression = Suppression.objects.get(store=store)
    assert (suppression.channel, suppression.address, suppression.reason) == (
        "email",
        "ana@example.com",
        "bounced",
    )
    assert suppression.detail == f"Postmark: {REPLY}"
    assert suppression.message_id == message.pk


def test_the_dispatcher_suppresses_the_next_message_to_a_bounced_address(client, store, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    customer = make_customer(store)
    post_postmark(
        client, postmark("postmark_bounce.json", sent_message(store, customer, POSTMARK_ID))
    )
    later = do_queue_message(
        store,
        customer,
        channel="email",
        purpose="transactional",
        subject="Your order has shipped",
        body_text="It is on its way.",
    )

    dispatch_due()

    later.refresh_from_db()
    assert later.status == "suppressed"
    assert later.status_reason == "the address is on the suppression list"
    assert mail.outbox == []


def test_a_mailgun_permanent_failure_is_a_hard_bounce(client, store):
    message = sent_message(
        store, make_customer(store), "<20180812214658.1.0DF563D0B3597700@example.org>"
    )

    response = post_mailgun(client, mailgun("mailgun_failed_permanent.json", message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "bounced"
    suppression = Suppression.objects.get(store=store, address="ana@example.com")
    assert suppression.reason == "bounced"
    assert suppression.detail.startswith(
        "Mailgun: 5.1.1 The email account that you tried to reach does not exist."
    )


def test_the_same_bounce_twice_logs_one_event_and_one_suppression(client, store):
    message = sent_message(store, make_customer(store), POSTMARK_ID)
    body = postmark("postmark_bounce.json", message)

    assert post_postmark(client, body).status_code == 200
    assert post_postmark(client, body).status_code == 200
    # Postmark also reports the address's deactivation as a subscription change.
    change = postmark("postmark_subscription_change.json", message)
    assert post_postmark(client, change).status_code == 200

    assert MessageEvent.objects.filter(message=message, status="bounced").count() == 1
    assert Suppression.objects.filter(store=store).count() == 1


def test_a_bounce_for_an_unknown_message_suppresses_nothing(client, store):
    message = sent_message(store, make_customer(store), POSTMARK_ID)

    response = post_postmark(
        client, postmark("postmark_bounce.json", message, MessageID="3c3e7b4e-unknown")
    )

    assert response.status_code == 200
    assert not Suppression.objects.exists()
    assert Message.objects.get(pk=message.pk).status == "sent"
