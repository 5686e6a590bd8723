"""WooCommerce has no marketing consent of its own: Regulars reads the store's checkout
checkboxes and customer consent states from meta data (docs/webhooks.md), with an audit row."""

import pytest

from regulars.commerce.models import ConsentChange, Customer, DeliveryStatus, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def _with_meta(name: str, meta: list[dict]) -> bytes:
    data = payload("woocommerce", name)
    data["meta_data"] = data.get("meta_data", []) + meta
    return encode(data)


def test_a_ticked_checkout_checkbox_subscribes_the_orders_customer(shop, send):
    body = _with_meta(
        "order_created.json",
        [
            {"id": 1, "key": "_wc_other/regulars/email-marketing", "value": "1"},
            {"id": 2, "key": "_wc_other/regulars/sms-marketing", "value": "0"},
        ],
    )

    assert send.woocommerce(shop, "order.created", body).status_code == 200

    customer = Customer.objects.get(store=shop)
    assert (customer.email_consent, customer.email_consent_source) == ("subscribed", "woocommerce")
    assert customer.sms_consent == "unknown"  # unticked says nothing
    assert list(ConsentChange.objects.values_list("channel", "state", "source")) == [
        ("email", "subscribed", "woocommerce")
    ]


def test_a_consent_state_on_the_customer_unsubscribes(shop, send):
    send.woocommerce(
        shop,
        "customer.created",
        _with_meta(
            "customer.json", [{"id": 1, "key": "regulars_sms_consent", "value": "subscribed"}]
        ),
    )
    send.woocommerce(
        shop,
        "customer.updated",
        _with_meta(
            "customer.json", [{"id": 1, "key": "regulars_sms_consent", "value": "Unsubscribed"}]
        ),
    )

    customer = Customer.objects.get(store=shop)
    assert customer.sms_consent == "unsubscribed"
    assert list(ConsentChange.objects.order_by("pk").values_list("previous", "state")) == [
        ("unknown", "subscribed"),
        ("subscribed", "unsubscribed"),
    ]


def test_an_unknown_consent_state_is_refused_naming_the_meta_data(shop, send):
    body = _with_meta(
        "customer.json", [{"id": 1, "key": "regulars_email_consent", "value": "maybe"}]
    )

    send.woocommerce(shop, "customer.created", body)

    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error.startswith("meta_data")
    assert not ConsentChange.objects.exists()
