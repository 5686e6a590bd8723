"""Shopify fulfillments (shipments with UPS tracking) attach to their order and follow the
carrier's tracking state."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.models import DeliveryStatus, Fulfillment, FulfillmentStatus, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.commerce.webhooks.shopify import fulfillment_status


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store, send):
    connect(store)
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))
    return store


def test_fulfillments_create_keeps_the_ups_shipment_of_the_order(shop, send):
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))

    shipment = Fulfillment.objects.get(store=shop)
    assert shipment.external_id == "123456"
    assert shipment.order.external_id == "820982911946154508"
    assert shipment.carrier == "UPS"
    assert shipment.tracking_number == "1z827wk74630"
    assert shipment.tracking_url == (
        "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630"
    )
    # shipment_status null: shipped, no tracking news yet.
    assert shipment.status == FulfillmentStatus.IN_TRANSIT
    assert shipment.shipped_at == datetime(2022, 1, 1, tzinfo=UTC)
    assert shipment.delivered_at is None


def test_fulfillments_update_records_the_delivery(shop, send):
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at="2022-01-04T15:20:00-05:00")

    send.shopify(shop, "fulfillments/update", encode(body))

    shipment = Fulfillment.objects.get(store=shop)
    assert shipment.status == FulfillmentStatus.DELIVERED
    assert shipment.delivered_at == datetime(2022, 1, 4, 20, 20, tzinfo=UTC)
    assert (
        list(WebhookDelivery.objects.values_list("status", flat=True))
        == [DeliveryStatus.PROCESSED] * 3
    )


def test_the_2024_07_sample_is_read_the_same_way(shop, send):
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.2024-07.json"))

    shipment = Fulfillment.objects.get(store=shop)
    assert (shipment.carrier, shipment.tracking_number, shipment.status) == (
        "UPS",
        "1z827wk74630",
        FulfillmentStatus.IN_TRANSIT,
    )


def test_tracking_numbers_are_read_from_the_lists_when_the_single_fields_are_empty(shop, send):
    body = payload("shopify", "fulfillments_create.json")
    body.update(tracking_number=None, tracking_url=None)

    send.shopify(shop, "fulfillments/create", encode(body))

    shipment = Fulfillment.objects.get(store=shop)
    assert shipment.tracking_number == "1z827wk74630"
    assert shipment.tracking_url.endswith("trackNums=1z827wk74630")


def test_a_malformed_tracking_link_is_left_out_but_the_shipment_is_kept(shop, send):
    body = payload("shopify", "fulfillments_create.json")
    body.update(tracking_url="ups tracking page", tracking_urls=[])

    send.shopify(shop, "fulfillments/create", encode(body))

    shipment = Fulfillment.objects.get(store=shop)
    assert (shipment.tracking_number, shipment.tracking_url) == ("1z827wk74630", "")


@pytest.mark.parametrize(
    ("shipment_status", "status", "expected"),
    [
        (None, "success", FulfillmentStatus.IN_TRANSIT),
        ("label_printed", "success", FulfillmentStatus.IN_TRANSIT),
        ("label_purchased", "success", FulfillmentStatus.IN_TRANSIT),
        ("confirmed", "success", FulfillmentStatus.IN_TRANSIT),
        ("in_transit", "success", FulfillmentStatus.IN_TRANSIT),
        ("out_for_delivery", "success", FulfillmentStatus.OUT_FOR_DELIVERY),
        ("attempted_delivery", "success", FulfillmentStatus.OUT_FOR_DELIVERY),
        ("ready_for_pickup", "success", FulfillmentStatus.OUT_FOR_DELIVERY),
        ("delivered", "success", FulfillmentStatus.DELIVERED),
        ("failure", "success", FulfillmentStatus.FAILED),
        ("in_transit", "cancelled", FulfillmentStatus.FAILED),
        ("in_transit", "error", FulfillmentStatus.FAILED),
    ],
)
def test_shipment_status_maps_to_the_fulfillment_status(shipment_status, status, expected):
    assert fulfillment_status({"shipment_status": shipment_status, "status": status}) == expected
