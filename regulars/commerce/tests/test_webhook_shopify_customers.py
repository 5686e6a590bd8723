"""Shopify customer topics keep the customer; the consent topics record e-mail and SMS
marketing consent with its time and source."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.models import Consent, Customer, DeliveryStatus, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.commerce.webhooks.shopify import CONSENT_STATE

BOB = "706405506930370084"


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_customers_create_keeps_the_customer(shop, send):
    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))

    bob = Customer.objects.get(store=shop)
    assert bob.external_id == BOB
    assert (bob.first_name, bob.last_name, bob.email) == ("Bob", "Biller", "bob@biller.com")
    assert bob.first_seen_at == datetime(2022, 1, 1, tzinfo=UTC)
    assert bob.source_updated_at == datetime(2022, 1, 1, tzinfo=UTC)
    assert (bob.email_consent, bob.sms_consent) == (Consent.UNKNOWN, Consent.UNKNOWN)


def test_customers_update_changes_the_same_customer(shop, send):
    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))
    body = payload("shopify", "customers_update.json")
    body.update(last_name="Payer", phone="+16135550123", updated_at="2022-02-01T00:00:00Z")

    send.shopify(shop, "customers/update", encode(body))

    bob = Customer.objects.get(store=shop)
    assert (bob.last_name, bob.phone) == ("Payer", "+16135550123")


def test_the_published_email_consent_update_is_not_subscribed(shop, send):
    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))

    send.shopify(
        shop,
        "customers_email_marketing_consent/update",
        raw("shopify", "customers_email_marketing_consent_update.json"),
    )

    bob = Customer.objects.get(store=shop)
    assert bob.email_consent == Consent.UNKNOWN
    assert bob.email_consent_at is None
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 2


def test_an_email_subscription_is_recorded_with_its_time_and_source(shop, send):
    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))
    body = payload("shopify", "customers_email_marketing_consent_update.json")
    body["email_marketing_consent"].update(
        state="subscribed", opt_in_level="single_opt_in", consent_updated_at="2022-03-01T12:00:00Z"
    )

    send.shopify(shop, "customers_email_marketing_consent/update", encode(body))

    bob = Customer.objects.get(store=shop)
    assert bob.email_consent == Consent.SUBSCRIBED
    assert bob.email_consent_at == datetime(2022, 3, 1, 12, tzinfo=UTC)
    assert bob.email_consent_source == "shopify"


def test_an_sms_consent_update_without_a_state_changes_nothing(shop, send):
    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))

    send.shopify(
        shop,
        "customers_marketing_consent/update",
        raw("shopify", "customers_marketing_consent_update.json"),
    )

    bob = Customer.objects.get(store=shop)
    assert (bob.sms_consent, bob.sms_consent_at) == (Consent.UNKNOWN, None)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 2


def test_an_sms_unsubscribe_is_recorded_with_the_phone(shop, send):
    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))
    body = payload("shopify", "customers_marketing_consent_update.json")
    body["phone"] = "+66 81 234 5678"
    body["sms_marketing_consent"].update(
        state="unsubscribed", consent_updated_at="2022-03-02T08:30:00+07:00"
    )

    send.shopify(shop, "customers_marketing_consent/update", encode(body))

    bob = Customer.objects.get(store=shop)
    assert bob.phone == "+66812345678"
    assert bob.sms_consent == Consent.UNSUBSCRIBED
    assert bob.sms_consent_at == datetime(2022, 3, 2, 1, 30, tzinfo=UTC)
    assert bob.sms_consent_source == "shopify"


def test_consent_embedded_in_a_customer_is_recorded(shop, send):
    body = payload("shopify", "customers_create.json")
    body["email_marketing_consent"] = {
        "state": "subscribed",
        "opt_in_level": "confirmed_opt_in",
        "consent_updated_at": "2021-12-30T10:00:00Z",
    }
    body["sms_marketing_consent"] = {"state": "pending", "consent_updated_at": None}

    send.shopify(shop, "customers/create", encode(body))

    bob = Customer.objects.get(store=shop)
    assert (bob.email_consent, bob.sms_consent) == (Consent.SUBSCRIBED, Consent.PENDING)
    assert bob.email_consent_at == datetime(2021, 12, 30, 10, tzinfo=UTC)


def test_an_unknown_consent_state_fails_the_delivery_naming_the_field(shop, send):
    body = payload("shopify", "customers_email_marketing_consent_update.json")
    body["email_marketing_consent"]["state"] = "maybe"

    send.shopify(shop, "customers_email_marketing_consent/update", encode(body))

    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == (
        "email_marketing_consent.state: 'maybe' is not a consent state Shopify documents "
        "(subscribed, pending, unsubscribed, not_subscribed, redacted, invalid)"
    )
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    ("shopify_state", "expected"),
    [
        ("subscribed", Consent.SUBSCRIBED),
        ("pending", Consent.PENDING),
        ("unsubscribed", Consent.UNSUBSCRIBED),
        ("not_subscribed", Consent.UNKNOWN),
        ("redacted", Consent.UNSUBSCRIBED),
        ("invalid", Consent.UNSUBSCRIBED),
    ],
)
def test_shopify_consent_states_map_to_ours(shopify_state, expected):
    assert CONSENT_STATE[shopify_state] == expected
