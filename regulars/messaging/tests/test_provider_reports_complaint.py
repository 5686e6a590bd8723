"""A spam complaint suppresses the address and unsubscribes the customer from marketing
e-mail, with an audit row; an unsubscribe at the provider unsubscribes, nothing more."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.models import ConsentChange
from regulars.messaging.models import MessageEvent, Suppression
from regulars.messaging.tests.provider_webhooks import (
    make_customer,
    post_postmark,
    postmark,
    sent_message,
    use_webhook_settings,
)

POSTMARK_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    use_webhook_settings(settings)


def test_a_spam_complaint_suppresses_and_unsubscribes(client, store):
    customer = make_customer(store)
    message = sent_message(store, customer, POSTMARK_ID)

    response = post_postmark(client, postmark("postmark_spam_complaint.json", message))

    assert response.status_code == 200
    suppression = Suppression.objects.get(store=store)
    assert (suppression.address, suppression.reason, suppression.detail) == (
        "ana@example.com",
        "complained",
        "Postmark: Test spam complaint details",
    )
    customer.refresh_from_db()
    assert customer.email_consent == "unsubscribed"
    assert customer.email_consent_source == "spam_complaint"
    change = ConsentChange.objects.get(customer=customer, state="unsubscribed")
    assert (change.channel, change.previous, change.source) == (
        "email",
        "subscribed",
        "spam_complaint",
    )
    assert change.at == datetime(2019, 11, 5, 16, 33, 54, 907025, tzinfo=UTC)
    # The message itself was delivered; a complaint is not a delivery status.
    message.refresh_from_db()
    assert message.status == "sent"


def test_the_same_complaint_twice_writes_one_audit_row(client, store):
    customer = make_customer(store)
    body = postmark("postmark_spam_complaint.json", sent_message(store, customer, POSTMARK_ID))

    assert post_postmark(client, body).status_code == 200
    assert post_postmark(client, body).status_code == 200

    assert ConsentChange.objects.filter(customer=customer, state="unsubscribed").count() == 1
    assert Suppression.objects.filter(store=store).count() == 1


def test_an_unsubscribe_at_the_provider_unsubscribes_without_suppressing(client, store):
    customer = make_customer(store)
    message = sent_message(store, customer, "883953f4-6105-42a2-a16a-77a8eac79483")
    # Postmark reports a recipient's unsubscribe as a ManualSuppression from the recipient.
    body = postmark(
        "postmark_subscription_change.json", message, SuppressionReason="ManualSuppression"
    )

    response = post_postmark(client, body)

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.email_consent, customer.email_consent_source) == (
        "unsubscribed",
        "esp_unsubscribe",
    )
    assert ConsentChange.objects.get(customer=customer, state="unsubscribed").source == (
        "esp_unsubscribe"
    )
    assert not Suppression.objects.exists()
    message.refresh_from_db()
    assert message.status == "sent"
    assert not MessageEvent.objects.filter(message=message).exists()


def test_a_reactivation_at_the_provider_does_not_subscribe_anyone(client, store):
    customer = make_customer(store, email_consent="unsubscribed")
    message = sent_message(store, customer, "883953f4-6105-42a2-a16a-77a8eac79483")
    body = postmark(
        "postmark_subscription_change.json", message, SuppressSending=False, SuppressionReason=None
    )

    assert post_postmark(client, body).status_code == 200

    customer.refresh_from_db()
    assert customer.email_consent == "unsubscribed"
    assert not ConsentChange.objects.filter(customer=customer, state="subscribed").exists()
