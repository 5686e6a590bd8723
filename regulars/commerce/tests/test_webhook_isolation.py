"""A webhook address belongs to one store: a delivery for one store never touches another, and
the same platform ids in two stores stay two separate records."""

import pytest

from regulars.commerce.models import Customer, DeliveryStatus, Order, WebhookDelivery
from regulars.commerce.services.deliveries import access_delivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, raw, sign
from regulars.core.errors import RegularsError


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


def test_a_delivery_signed_for_one_store_is_rejected_at_another_stores_address(
    store, other_store, send
):
    connect(store, shopify="first-store-secret")
    connect(other_store, shopify="other-store-secret")
    body = raw("shopify", "orders_create.json")
    signed_for_store = sign("first-store-secret", body)

    response = send.post(
        f"/webhooks/shopify/{other_store.public_id}",
        body,
        {"X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": signed_for_store},
    )

    assert response.status_code == 401
    assert WebhookDelivery.objects.filter(store=store).count() == 0
    assert WebhookDelivery.objects.get(store=other_store).status == DeliveryStatus.REJECTED
    assert Order.objects.count() == 0


def test_a_delivery_to_one_store_writes_only_that_stores_data(store, other_store, send):
    connect(store)
    connect(other_store)

    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))

    assert Order.objects.filter(store=store).count() == 1
    assert Order.objects.filter(store=other_store).count() == 0
    assert Customer.objects.filter(store=other_store).count() == 0
    assert WebhookDelivery.objects.filter(store=other_store).count() == 0


def test_the_same_platform_ids_in_two_stores_stay_separate(store, other_store, send):
    connect(store)
    connect(other_store)
    body = raw("shopify", "orders_create.json")

    send.shopify(store, "orders/create", body, webhook_id="shared-webhook-id")
    send.shopify(other_store, "orders/create", body, webhook_id="shared-webhook-id")

    mine = Order.objects.get(store=store)
    theirs = Order.objects.get(store=other_store)
    assert mine.pk != theirs.pk
    assert mine.external_id == theirs.external_id == "820982911946154508"
    assert mine.customer.store == store
    assert theirs.customer.store == other_store
    assert mine.customer_id != theirs.customer_id
    assert list(WebhookDelivery.objects.values_list("status", "duplicates")) == [
        (DeliveryStatus.PROCESSED, 0),
        (DeliveryStatus.PROCESSED, 0),
    ]


def test_a_store_cannot_open_another_stores_delivery(store, other_store, send):
    connect(other_store)
    send.shopify(other_store, "orders/create", raw("shopify", "orders_create.json"))
    theirs = WebhookDelivery.objects.get(store=other_store)

    with pytest.raises(RegularsError) as raised:
        access_delivery(store, theirs.pk)

    assert (raised.value.code, raised.value.message) == ("not_found", "No such webhook delivery.")
    assert access_delivery(other_store, str(theirs.pk)) == theirs
