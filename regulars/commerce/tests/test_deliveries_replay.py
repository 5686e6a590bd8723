"""A delivery whose processing fails is kept with a clear error and can be replayed once the
cause is fixed; replaying is safe whatever the delivery's status."""

import pytest

from regulars.commerce.models import (
    Customer,
    DeliveryStatus,
    Fulfillment,
    Order,
    WebhookDelivery,
)
from regulars.commerce.services.deliveries import replay_delivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.core.errors import RegularsError

NO_ORDER = (
    "order_id: No order with external id '820982911946154508' in this store; send the order first."
)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_a_shipment_before_its_order_fails_with_the_reason(shop, send):
    response = send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.status, delivery.error, delivery.attempts) == (
        DeliveryStatus.FAILED,
        NO_ORDER,
        1,
    )
    assert delivery.processed_at is not None
    assert Fulfillment.objects.count() == 0


def test_replay_applies_the_shipment_once_its_order_is_in(shop, send):
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    failed = WebhookDelivery.objects.get(topic="fulfillments/create")
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))

    replayed = replay_delivery(failed)

    assert (replayed.status, replayed.error, replayed.attempts) == (DeliveryStatus.PROCESSED, "", 2)
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (DeliveryStatus.PROCESSED, "", 2)
    shipment = Fulfillment.objects.get(store=shop)
    assert shipment.order == Order.objects.get(store=shop)


def test_replay_of_a_delivery_that_still_fails_records_the_new_attempt(shop, send):
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    failed = WebhookDelivery.objects.get(store=shop)

    replayed = replay_delivery(failed)

    assert (replayed.status, replayed.error, replayed.attempts) == (
        DeliveryStatus.FAILED,
        NO_ORDER,
        2,
    )
    assert WebhookDelivery.objects.get(pk=failed.pk).attempts == 2


def test_a_failing_payload_writes_nothing_at_all(shop, send):
    body = payload("shopify", "orders_create.json")
    body["line_items"][4]["quantity"] = "two"

    send.shopify(shop, "orders/create", encode(body))

    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.error == (
        "line_items[4].quantity: Input should be a valid integer, unable to parse string as an "
        "integer (got 'two')"
    )
    # The customer came before the failing line; the whole delivery was rolled back.
    assert Customer.objects.count() == 0
    assert Order.objects.count() == 0


def test_a_body_that_is_not_json_fails_with_where_it_breaks(shop, send):
    send.shopify(shop, "orders/create", b'{"id": 1, "currency": ')

    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.status, delivery.error) == (
        DeliveryStatus.FAILED,
        "body: not JSON (Expecting value at line 1, column 23)",
    )


def test_a_json_body_that_is_not_an_object_fails(shop, send):
    send.shopify(shop, "orders/create", b"[1, 2, 3]")

    assert WebhookDelivery.objects.get(store=shop).error == (
        "body: a JSON object was expected, not a list"
    )


def test_replaying_a_processed_delivery_changes_nothing(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))
    delivery = WebhookDelivery.objects.get(store=shop)
    before = Order.objects.values().get(store=shop)

    replayed = replay_delivery(delivery)

    assert (replayed.status, replayed.attempts) == (DeliveryStatus.PROCESSED, 2)
    assert Order.objects.values().get(store=shop) == before
    assert Order.objects.count() == 1


def test_a_rejected_delivery_cannot_be_replayed(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"), secret="forged-key")
    rejected = WebhookDelivery.objects.get(store=shop)

    with pytest.raises(RegularsError) as raised:
        replay_delivery(rejected)

    assert raised.value.code == "bad_signature"
    assert raised.value.message == (
        "This request was not signed with the store's secret, so it is never processed."
    )
    rejected.refresh_from_db()
    assert (rejected.status, rejected.attempts) == (DeliveryStatus.REJECTED, 0)
    assert Order.objects.count() == 0
