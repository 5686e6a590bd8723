"""The same delivery twice (a platform retrying, or sending a copy) is acknowledged and counted,
and changes nothing the second time."""

import pytest

from regulars.commerce import domain_events
from regulars.commerce.models import Customer, DeliveryStatus, Order, WebhookDelivery
from regulars.commerce.tests.fixtures import (
    SHOPIFY_SECRET,
    WebhookSender,
    connect,
    encode,
    payload,
    raw,
    sign,
)
from regulars.core.events import subscribe, unsubscribe


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


@pytest.fixture
def placed():
    seen = []

    def record(**ids):
        seen.append(ids)

    subscribe(domain_events.ORDER_PLACED, record)
    yield seen
    unsubscribe(domain_events.ORDER_PLACED, record)


def test_a_repeated_shopify_delivery_is_counted_and_not_processed_again(shop, send, placed):
    body = raw("shopify", "orders_create.json")
    send.shopify(shop, "orders/create", body, webhook_id="b2c4e6f8-retry")
    order_before = Order.objects.values().get(store=shop)

    response = send.shopify(shop, "orders/create", body, webhook_id="b2c4e6f8-retry")

    assert response.status_code == 200
    assert response.json() == {"status": "duplicate"}
    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.status, delivery.attempts, delivery.duplicates) == (
        DeliveryStatus.PROCESSED,
        1,
        1,
    )
    assert Order.objects.values().get(store=shop) == order_before
    assert len(placed) == 1


def test_a_copy_with_the_same_id_but_another_body_is_not_applied(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"), webhook_id="same-id")
    changed = payload("shopify", "orders_create.json")
    changed.update(total_price="1.00", updated_at="2022-06-01T00:00:00Z")

    response = send.shopify(shop, "orders/create", encode(changed), webhook_id="same-id")

    assert response.json() == {"status": "duplicate"}
    assert str(Order.objects.get(store=shop).total) == "404.950"
    assert WebhookDelivery.objects.get(store=shop).duplicates == 1


def test_every_further_copy_is_counted(shop, send):
    body = raw("woocommerce", "order_created.json")
    for _ in range(3):
        send.woocommerce(shop, "order.created", body, delivery_id="0c9d2e1f")

    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.duplicates, delivery.attempts) == (2, 1)
    assert Order.objects.filter(store=shop).count() == 1


def test_a_forged_request_carrying_a_real_id_does_not_block_the_real_delivery(shop, send):
    body = raw("shopify", "orders_create.json")
    send.shopify(shop, "orders/create", body, webhook_id="real-id", secret="an-attackers-key")

    response = send.shopify(shop, "orders/create", body, webhook_id="real-id")

    assert response.json() == {"status": "queued"}
    statuses = dict(WebhookDelivery.objects.values_list("signature_valid", "status"))
    assert statuses == {False: DeliveryStatus.REJECTED, True: DeliveryStatus.PROCESSED}
    assert Order.objects.filter(store=shop).count() == 1


def test_a_delivery_without_an_id_is_deduplicated_by_its_body(shop, send):
    body = raw("shopify", "customers_create.json")
    headers = {
        "X-Shopify-Topic": "customers/create",
        "X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body),
    }
    url = f"/webhooks/shopify/{shop.public_id}"

    send.post(url, body, headers)
    second = send.post(url, body, headers)

    assert second.json() == {"status": "duplicate"}
    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.delivery_id.startswith("sha256:")
    assert delivery.duplicates == 1
    assert Customer.objects.filter(store=shop).count() == 1
