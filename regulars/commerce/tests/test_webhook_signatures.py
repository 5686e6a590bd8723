"""A request is processed only when its signature is the HMAC of its raw body under the store's
secret; anything else gets 401, is kept as rejected, and changes no data."""

import json

import pytest

from regulars.commerce.models import Customer, DeliveryStatus, Order, WebhookDelivery
from regulars.commerce.tests.fixtures import (
    SHOPIFY_SECRET,
    WebhookSender,
    connect,
    payload,
    raw,
    sign,
)
from regulars.commerce.webhooks.signatures import hmac_sha256_base64, signature_matches
from regulars.core.services import do_set_webhook_secret


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


def test_the_hmac_matches_shopifys_published_test_vector():
    vector = payload("shopify", "webhook_headers_and_hmac.json")["test_vector_from_shopify_api_js"]

    digest = hmac_sha256_base64(vector["secret"], vector["raw_body"].encode())

    assert digest.decode() == "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
    assert digest.decode() == vector["expected_X-Shopify-Hmac-Sha256"]


def test_the_endpoint_accepts_shopifys_published_test_vector(store, send):
    vector = payload("shopify", "webhook_headers_and_hmac.json")["test_vector_from_shopify_api_js"]
    do_set_webhook_secret(store, "shopify", vector["secret"])

    response = send.shopify(
        store,
        "products/create",
        vector["raw_body"].encode(),
        webhook_id="123456789",
        signature="B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=",
    )

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(store=store)
    assert delivery.signature_valid is True
    assert delivery.delivery_id == "123456789"
    assert delivery.body == '{"foo": "bar"}'
    # {"foo": "bar"} is no product: trusted, kept, and failed with the fields that are missing.
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == (
        "id: String should have at least 1 character (got ''); "
        "title: String should have at least 1 character (got '')"
    )


def test_it_processes_a_correctly_signed_delivery(store, send):
    connect(store)

    response = send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))

    assert response.status_code == 200
    assert response.json() == {"status": "queued"}
    delivery = WebhookDelivery.objects.get(store=store)
    assert (delivery.signature_valid, delivery.status, delivery.error) == (
        True,
        DeliveryStatus.PROCESSED,
        "",
    )
    assert Order.objects.filter(store=store).count() == 1


def _assert_rejected(store, response, error):
    assert response.status_code == 401
    assert response.json() == {"error": error}
    delivery = WebhookDelivery.objects.get(store=store)
    assert delivery.status == DeliveryStatus.REJECTED
    assert delivery.signature_valid is False
    assert delivery.error == error
    assert delivery.attempts == 0
    assert delivery.processed_at is None
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 0
    return delivery


def test_it_rejects_a_forged_signature(store, send):
    connect(store)
    body = raw("shopify", "orders_create.json")

    response = send.shopify(
        store, "orders/create", body, signature="B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
    )

    delivery = _assert_rejected(
        store, response, "signature does not match the store's Shopify secret"
    )
    assert delivery.topic == "orders/create"
    assert delivery.body == body.decode()
    assert delivery.headers["X-Shopify-Topic"] == "orders/create"


def test_it_rejects_a_body_changed_after_signing(store, send):
    connect(store)
    body = raw("shopify", "orders_create.json")
    signature = sign(SHOPIFY_SECRET, body)
    tampered = body.replace(b'"total_price": "404.95"', b'"total_price": "4.95"')

    response = send.shopify(store, "orders/create", tampered, signature=signature)

    _assert_rejected(store, response, "signature does not match the store's Shopify secret")


def test_it_rejects_a_delivery_signed_with_another_secret(store, send):
    connect(store)

    response = send.shopify(
        store, "orders/create", raw("shopify", "orders_create.json"), secret="someone-elses-key"
    )

    _assert_rejected(store, response, "signature does not match the store's Shopify secret")


def test_it_rejects_a_delivery_without_a_signature(store, send):
    connect(store)

    response = send.shopify(
        store, "orders/create", raw("shopify", "orders_create.json"), signature=""
    )

    delivery = _assert_rejected(
        store, response, "no X-Shopify-Hmac-Sha256 header: the request is not signed"
    )
    assert "X-Shopify-Hmac-Sha256" not in delivery.headers


def test_it_rejects_every_delivery_while_the_store_has_no_secret(store, send):
    response = send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))

    _assert_rejected(
        store,
        response,
        "no Shopify signing secret is configured for this store: paste it in "
        "Settings > Webhooks in Regulars",
    )


def test_the_woocommerce_secret_does_not_sign_shopify_deliveries(store, send):
    connect(store, shopify="shopify-key-one", woocommerce="shopify-key-two")

    response = send.shopify(
        store, "orders/create", raw("shopify", "orders_create.json"), secret="shopify-key-two"
    )

    _assert_rejected(store, response, "signature does not match the store's Shopify secret")


def test_it_keeps_only_the_first_64_kb_of_a_rejected_body(store, send):
    connect(store)
    body = json.dumps({"padding": "x" * 100_000}).encode()

    send.shopify(store, "orders/create", body, secret="wrong-secret-000")

    delivery = WebhookDelivery.objects.get(store=store)
    assert delivery.status == DeliveryStatus.REJECTED
    assert delivery.body == body[: 64 * 1024].decode()


def test_header_names_are_read_without_regard_to_case(
    store, client, django_capture_on_commit_callbacks
):
    connect(store)
    body = raw("shopify", "customers_create.json")
    headers = {
        "x-shopify-topic": "customers/create",
        "x-shopify-hmac-sha256": sign(SHOPIFY_SECRET, body),
        "x-shopify-webhook-id": "lower-case-1",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/webhooks/shopify/{store.public_id}",
            data=body,
            content_type="application/json",
            headers=headers,
        )

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(store=store)
    assert (delivery.delivery_id, delivery.topic, delivery.status) == (
        "lower-case-1",
        "customers/create",
        DeliveryStatus.PROCESSED,
    )


def test_it_accepts_the_woocommerce_signature_of_the_wire_body(store, send):
    example = payload("woocommerce", "webhook_headers_and_signature.json")[
        "derived_example_NOT_from_woocommerce"
    ]
    connect(store, woocommerce=example["secret"])

    response = send.woocommerce(
        store,
        "order.created",
        raw("woocommerce", example["body_file"]),
        signature=example["expected_X-WC-Webhook-Signature"],
    )

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(store=store)
    assert (delivery.signature_valid, delivery.status) == (True, DeliveryStatus.PROCESSED)
    assert Order.objects.get(store=store).external_id == "727"


def test_it_rejects_a_woocommerce_delivery_signed_with_another_secret(store, send):
    connect(store)

    response = send.woocommerce(
        store, "order.created", raw("woocommerce", "order_created.json"), secret="not-the-secret"
    )

    _assert_rejected(store, response, "signature does not match the store's WooCommerce secret")


def test_a_woocommerce_secret_is_used_as_woocommerce_decodes_it(store, send):
    # WooCommerce signs with wp_specialchars_decode($secret): "&amp;" in a stored secret is "&".
    connect(store, woocommerce="s3cret&amp;more-characters")
    body = raw("woocommerce", "order_created.json")

    response = send.woocommerce(
        store, "order.created", body, signature=sign("s3cret&more-characters", body)
    )

    assert response.status_code == 200
    assert WebhookDelivery.objects.get(store=store).status == DeliveryStatus.PROCESSED


def test_an_unknown_store_address_gets_404_and_nothing_is_kept(store, send):
    connect(store)
    body = raw("shopify", "orders_create.json")

    response = send.post(
        "/webhooks/shopify/no-such-store",
        body,
        {"X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body)},
    )

    assert response.status_code == 404
    assert WebhookDelivery.objects.count() == 0


def test_the_endpoints_take_only_post(store, client):
    connect(store)

    assert client.get(f"/webhooks/shopify/{store.public_id}").status_code == 405
    assert client.get(f"/webhooks/woocommerce/{store.public_id}").status_code == 405
    assert WebhookDelivery.objects.count() == 0


def test_the_address_works_with_a_trailing_slash(store, send):
    connect(store)
    body = raw("shopify", "customers_create.json")

    response = send.post(
        f"/webhooks/shopify/{store.public_id}/",
        body,
        {
            "X-Shopify-Topic": "customers/create",
            "X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body),
        },
    )

    assert response.status_code == 200
    assert WebhookDelivery.objects.get(store=store).status == DeliveryStatus.PROCESSED


def test_signature_matches_ignores_surrounding_whitespace_only():
    body = b'{"foo": "bar"}'
    good = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="

    assert signature_matches("test_secret_key", body, f" {good}\n")
    assert not signature_matches("test_secret_key", body, good.lower())
    assert not signature_matches("test_secret_key", body, "ünïcode")


def test_a_body_over_the_size_limit_gets_413_and_is_kept_as_rejected(store, send, settings):
    connect(store)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = raw("shopify", "orders_create.json")

    response = send.shopify(store, "orders/create", body)

    reason = "the body is larger than this installation accepts (REGULARS_MAX_BODY_BYTES)"
    assert response.status_code == 413
    assert response.json() == {"error": reason}
    delivery = WebhookDelivery.objects.get(store=store)
    assert (delivery.status, delivery.error, delivery.body) == (
        DeliveryStatus.REJECTED,
        reason,
        "",
    )
    assert Order.objects.count() == 0
