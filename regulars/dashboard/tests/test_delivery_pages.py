"""Kept webhook deliveries: the list with filters, one delivery with its headers and body,
and the Replay button that processes a failed delivery again."""

import json

import pytest

from regulars.commerce.models import DeliveryStatus, Fulfillment, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(client, store, django_capture_on_commit_callbacks):
    connect(store)
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def failed_shipment(store, send) -> WebhookDelivery:
    """A shipment whose order has not arrived yet: kept as failed, replayable later."""
    send.shopify(store, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    return WebhookDelivery.objects.get(store=store, topic="fulfillments/create")


def test_the_list_filters_by_status_and_platform(client, store, owner, send, failed_shipment):
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"), signature="forged")
    client.force_login(owner)

    failed = client.get(url("deliveries", store), {"status": "failed"}).content.decode()
    rejected = client.get(url("deliveries", store), {"status": "rejected"}).content.decode()
    woo = client.get(url("deliveries", store), {"platform": "woocommerce"}).content.decode()

    assert (
        "<code>fulfillments/create</code>" in failed and "<code>orders/create</code>" not in failed
    )
    assert "No order with external id" in failed
    assert "<code>orders/create</code>" in rejected and "signature does not match" in rejected
    assert "No delivery matches these filters" in woo


def test_the_delivery_page_shows_headers_the_indented_body_and_the_error(
    client, store, owner, failed_shipment
):
    client.force_login(owner)

    html = client.get(url("delivery", store, failed_shipment.pk)).content.decode()

    assert "<dt>X-Shopify-Topic</dt><dd>fulfillments/create</dd>" in html
    indented = json.dumps(payload("shopify", "fulfillments_create.json"), indent=2)
    assert indented.splitlines()[1].replace('"', "&quot;") in html
    assert 'badge--failed badge--large">Failed</span>' in html
    assert "No order with external id" in html
    assert "Replay delivery" in html


def test_replay_processes_the_delivery_again_once_its_order_exists(
    client, store, owner, send, failed_shipment
):
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))
    client.force_login(owner)

    response = client.post(url("delivery_replay", store, failed_shipment.pk), follow=True)

    failed_shipment.refresh_from_db()
    assert (failed_shipment.status, failed_shipment.error) == (DeliveryStatus.PROCESSED, "")
    assert failed_shipment.attempts == 2
    assert Fulfillment.objects.filter(store=store, external_id="123456").exists()
    assert "Replayed; the delivery is now processed." in response.content.decode()


def test_a_replay_that_fails_again_says_why(client, store, owner, failed_shipment):
    client.force_login(owner)

    response = client.post(url("delivery_replay", store, failed_shipment.pk), follow=True)

    failed_shipment.refresh_from_db()
    assert failed_shipment.status == DeliveryStatus.FAILED
    assert failed_shipment.attempts == 2
    assert "Replayed; it failed again: " in response.content.decode()


def test_a_rejected_request_is_never_replayed(client, store, owner, send):
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"), signature="forged")
    rejected = WebhookDelivery.objects.get(store=store)
    client.force_login(owner)

    response = client.post(url("delivery_replay", store, rejected.pk), follow=True)

    rejected.refresh_from_db()
    assert (rejected.status, rejected.attempts) == (DeliveryStatus.REJECTED, 0)
    assert "could not be replayed: This request was not signed" in response.content.decode()


def test_replay_needs_a_post(client, store, owner, failed_shipment):
    client.force_login(owner)

    response = client.get(url("delivery_replay", store, failed_shipment.pk))

    assert response.status_code == 405
    failed_shipment.refresh_from_db()
    assert failed_shipment.attempts == 1


def test_a_body_that_is_not_json_is_shown_as_received(client, store, owner, send):
    send.shopify(store, "orders/create", b"not json <at all>")
    client.force_login(owner)
    delivery = WebhookDelivery.objects.get(store=store)

    html = client.get(url("delivery", store, delivery.pk)).content.decode()

    assert '<pre class="pre">not json &lt;at all&gt;</pre>' in html


def test_duplicates_are_counted_on_the_list(client, store, owner, send):
    body = encode(payload("shopify", "orders_create.json"))
    for _ in range(3):
        send.shopify(store, "orders/create", body, webhook_id="same-id")
    client.force_login(owner)

    html = client.get(url("deliveries", store)).content.decode()

    assert "+2 duplicates" in html
