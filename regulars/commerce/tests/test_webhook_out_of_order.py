"""Deliveries arrive out of order: an older copy (earlier updated_at) never overwrites a newer
one, and the older delivery is still processed (nothing is wrong with it)."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.models import (
    Customer,
    DeliveryStatus,
    Fulfillment,
    FulfillmentStatus,
    Order,
    OrderStatus,
    WebhookDelivery,
)
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_an_older_shopify_order_update_does_not_overwrite_a_newer_one(shop, send):
    newer = payload("shopify", "orders_updated.json")
    newer.update(financial_status="paid", cancelled_at=None, updated_at="2022-01-02T09:00:00Z")
    send.shopify(shop, "orders/paid", encode(newer))

    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))  # 2022-01-01

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.PAID
    assert order.cancelled_at is None
    assert order.source_updated_at == datetime(2022, 1, 2, 9, tzinfo=UTC)
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == [
        DeliveryStatus.PROCESSED,
        DeliveryStatus.PROCESSED,
    ]


def test_a_newer_update_still_applies_after_an_older_one(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))
    newer = payload("shopify", "orders_updated.json")
    newer.update(financial_status="paid", cancelled_at=None, updated_at="2022-01-02T09:00:00Z")

    send.shopify(shop, "orders/updated", encode(newer))

    assert Order.objects.get(store=shop).status == OrderStatus.PAID


def test_an_older_woocommerce_order_does_not_overwrite_a_newer_one(shop, send):
    send.woocommerce(shop, "order.updated", raw("woocommerce", "order_updated.json"))
    older = payload("woocommerce", "order_created.json")
    older["status"] = "on-hold"  # as it was before payment, delivered late

    send.woocommerce(shop, "order.created", encode(older))

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.PAID
    assert order.source_updated_at == datetime(2017, 3, 22, 19, 30, 35, tzinfo=UTC)


def test_an_older_shipment_update_does_not_undo_a_delivery(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))
    delivered = payload("shopify", "fulfillments_update.json")
    delivered.update(shipment_status="delivered", updated_at="2022-01-04T12:00:00Z")
    send.shopify(shop, "fulfillments/update", encode(delivered))

    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))

    shipment = Fulfillment.objects.get(store=shop)
    assert shipment.status == FulfillmentStatus.DELIVERED
    assert shipment.delivered_at == datetime(2022, 1, 4, 12, tzinfo=UTC)


def test_an_older_customer_update_does_not_overwrite_a_newer_one(shop, send):
    newer = payload("shopify", "customers_update.json")
    newer.update(last_name="Newname", updated_at="2022-03-01T00:00:00Z")
    send.shopify(shop, "customers/update", encode(newer))

    send.shopify(shop, "customers/create", raw("shopify", "customers_create.json"))

    assert Customer.objects.get(store=shop).last_name == "Newname"
