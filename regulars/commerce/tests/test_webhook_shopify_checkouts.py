"""Shopify checkouts (abandoned checkouts) become carts, keyed by the checkout token, that the
order completing them recovers."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import Cart, DeliveryStatus, Order, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_checkouts_create_keeps_an_abandoned_cart(shop, send):
    send.shopify(shop, "checkouts/create", raw("shopify", "checkouts_create.json"))

    cart = Cart.objects.get(store=shop)
    assert cart.token == "123123123"  # the 2026-04 sample has no top-level id
    assert (cart.value, cart.currency) == (Decimal("421.88"), "USD")
    assert cart.email == "example@email.com"
    assert cart.checkout_url == (
        "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token"
    )
    assert cart.updated_at == datetime(2022, 1, 1, tzinfo=UTC)
    assert (
        cart.lines
        == [
            {
                "product_external_id": "632910392",
                "sku": "IPOD2008PINK",
                "title": "IPod Nano - 8GB - Pink",
                "quantity": 1,
                "unit_price": "199.00",
            }
        ]
        * 2
    )
    assert cart.customer.external_id == "603851970716743426"
    assert cart.recovered_order is None
    assert cart.source == "shopify"


def test_the_2025_10_sample_with_an_id_is_the_same_cart(shop, send):
    send.shopify(shop, "checkouts/create", raw("shopify", "checkouts_create.json"))

    send.shopify(shop, "checkouts/update", raw("shopify", "checkouts_update.2025-10.json"))

    assert list(Cart.objects.filter(store=shop).values_list("token", flat=True)) == ["123123123"]
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 2


def test_a_completed_checkout_is_not_kept_as_abandoned(shop, send):
    body = payload("shopify", "checkouts_update.json")
    body["completed_at"] = "2022-01-01T10:00:00-05:00"

    send.shopify(shop, "checkouts/update", encode(body))

    assert Cart.objects.count() == 0
    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.IGNORED
    assert delivery.error == (
        "checkout completed at 2022-01-01T10:00:00-05:00: not an abandoned cart; the order "
        "whose checkout_token names it marks the cart recovered"
    )


def test_the_order_of_the_checkout_recovers_the_cart(shop, send):
    send.shopify(shop, "checkouts/create", raw("shopify", "checkouts_create.json"))
    order = payload("shopify", "orders_create.json")
    order["checkout_token"] = "123123123"

    send.shopify(shop, "orders/create", encode(order))

    cart = Cart.objects.get(store=shop)
    assert cart.recovered_order == Order.objects.get(store=shop)


def test_a_completed_checkout_naming_its_order_recovers_the_cart(shop, send):
    send.shopify(shop, "checkouts/create", raw("shopify", "checkouts_create.json"))
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))
    body = payload("shopify", "checkouts_update.json")
    body.update(
        completed_at="2022-01-01T10:00:00-05:00",
        updated_at="2022-01-01T10:00:00-05:00",
        order_id=820982911946154508,
    )

    send.shopify(shop, "checkouts/update", encode(body))

    cart = Cart.objects.get(store=shop)
    assert cart.recovered_order.external_id == "820982911946154508"
