"""WooCommerce topics, from WooCommerce's published REST API v3 examples: orders with their
lines and (guest) customer, customers and products; times from the *_gmt fields; the creation
ping answered so the merchant can save the webhook."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import (
    Customer,
    DeliveryStatus,
    Order,
    OrderStatus,
    Product,
    WebhookDelivery,
)
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.commerce.webhooks.woocommerce import order_status


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_order_created_keeps_the_order_with_its_lines(shop, send):
    response = send.woocommerce(shop, "order.created", raw("woocommerce", "order_created.json"))

    assert response.status_code == 200
    order = Order.objects.get(store=shop)
    assert (order.external_id, order.name) == ("727", "#727")
    assert order.status == OrderStatus.PAID  # "processing": paid, waiting to be shipped
    assert (order.total, order.currency) == (Decimal("29.35"), "USD")
    assert order.subtotal == Decimal("18.00")
    assert order.shipping_total == Decimal("10.00")
    assert order.tax_total == Decimal("1.35")
    assert order.discount_total == Decimal("0")
    lines = list(
        order.lines.order_by("pk").values_list(
            "external_id", "title", "quantity", "unit_price", "total"
        )
    )
    assert lines == [
        ("315", "Woo Single #1", 2, Decimal("3.00"), Decimal("6.00")),
        (
            "316",
            "Ship Your Idea – Color: Black, Size: M Test",
            1,
            Decimal("12.00"),
            Decimal("12.00"),
        ),
    ]
    assert order.source == "woocommerce"


def test_order_times_come_from_the_gmt_fields_not_the_site_local_ones(shop, send):
    # date_created is "2017-03-22T16:28:02" (site time, no offset); the _gmt twin is 19:28:02.
    send.woocommerce(shop, "order.created", raw("woocommerce", "order_created.json"))

    order = Order.objects.get(store=shop)
    assert order.placed_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)
    assert order.paid_at == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)
    assert order.source_updated_at == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)


def test_a_guest_order_keeps_the_customer_by_billing_email_and_phone(shop, send):
    send.woocommerce(shop, "order.created", raw("woocommerce", "order_created.json"))

    customer = Customer.objects.get(store=shop)
    assert customer.external_id == ""  # customer_id 0: a guest
    assert customer.email == "john.doe@example.com"
    assert customer.phone == "+15555555555"  # "(555) 555-5555" read with the billing country
    assert (customer.first_name, customer.last_name) == ("John", "Doe")
    assert customer.first_seen_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)
    assert (customer.orders_count, customer.total_spent) == (1, Decimal("29.35"))


def test_order_updated_changes_the_same_order(shop, send):
    send.woocommerce(shop, "order.created", raw("woocommerce", "order_created.json"))

    send.woocommerce(shop, "order.updated", raw("woocommerce", "order_updated.json"))

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.PAID  # "completed"
    assert order.source_updated_at == datetime(2017, 3, 22, 19, 30, 35, tzinfo=UTC)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 2


def test_a_cancelled_order_is_cancelled(shop, send):
    body = payload("woocommerce", "order_updated.json")
    body.update(status="cancelled", date_modified_gmt="2017-03-23T08:00:00")

    send.woocommerce(shop, "order.updated", encode(body))

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.CANCELLED
    assert order.cancelled_at == datetime(2017, 3, 23, 8, tzinfo=UTC)


def test_customer_created_keeps_the_customer(shop, send):
    send.woocommerce(shop, "customer.created", raw("woocommerce", "customer.json"))

    customer = Customer.objects.get(store=shop)
    assert customer.external_id == "25"
    assert customer.email == "john.doe@example.com"
    assert (customer.first_name, customer.last_name) == ("John", "Doe")
    assert customer.phone == "+15555555555"
    assert customer.first_seen_at == datetime(2017, 3, 21, 19, 9, 28, tzinfo=UTC)
    assert customer.source_updated_at == datetime(2017, 3, 21, 19, 9, 30, tzinfo=UTC)


def test_a_guest_who_registers_becomes_that_account(shop, send):
    send.woocommerce(shop, "order.created", raw("woocommerce", "order_created.json"))

    send.woocommerce(shop, "customer.created", raw("woocommerce", "customer.json"))

    customer = Customer.objects.get(store=shop)
    assert customer.external_id == "25"
    assert Order.objects.get(store=shop).customer == customer


def test_product_created_keeps_the_product(shop, send):
    send.woocommerce(shop, "product.created", raw("woocommerce", "product.json"))

    product = Product.objects.get(store=shop)
    assert (product.external_id, product.title) == ("794", "Premium Quality")
    assert product.url == "https://example.com/product/premium-quality-19/"
    assert product.image_url == "https://example.com/wp-content/uploads/2017/03/T_2_front-4.jpg"
    assert (product.price, product.currency) == (Decimal("21.99"), "USD")
    assert product.category == "Clothing"
    assert (product.published, product.in_stock) == (True, True)
    assert product.source_updated_at == datetime(2017, 3, 23, 20, 1, 14, tzinfo=UTC)


def test_product_updated_records_a_product_out_of_stock(shop, send):
    send.woocommerce(shop, "product.created", raw("woocommerce", "product.json"))
    body = payload("woocommerce", "product.json")
    body.update(stock_status="outofstock", price="", date_modified_gmt="2017-03-24T10:00:00")

    send.woocommerce(shop, "product.updated", encode(body))

    product = Product.objects.get(store=shop)
    assert (product.in_stock, product.price) == (False, None)


def test_the_creation_ping_gets_200_and_is_kept_without_processing(shop, send):
    response = send.post(
        f"/webhooks/woocommerce/{shop.public_id}",
        b"webhook_id=12",
        {"User-Agent": "WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)"},
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.topic, delivery.status, delivery.signature_valid) == (
        "ping",
        DeliveryStatus.IGNORED,
        False,
    )
    assert delivery.body == "webhook_id=12"
    assert delivery.error == (
        "WooCommerce's test ping for its webhook 12: answered 200 so the webhook can be saved; "
        "nothing to process"
    )
    assert Order.objects.count() == Customer.objects.count() == 0


def test_the_ping_is_answered_even_before_the_secret_is_pasted(store, send):
    response = send.post(
        f"/webhooks/woocommerce/{store.public_id}",
        b"webhook_id=7",
        {},
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert WebhookDelivery.objects.get(store=store).status == DeliveryStatus.IGNORED


def test_an_unsigned_body_that_is_not_the_ping_is_rejected(shop, send):
    response = send.post(
        f"/webhooks/woocommerce/{shop.public_id}",
        raw("woocommerce", "order_created.json"),
        {"X-WC-Webhook-Topic": "order.created"},
    )

    assert response.status_code == 401
    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.REJECTED
    assert delivery.error == "no X-WC-Webhook-Signature header: the request is not signed"
    assert Order.objects.count() == 0


def test_a_topic_regulars_does_not_use_is_kept_as_ignored(shop, send):
    response = send.woocommerce(shop, "order.deleted", encode({"id": 727}))

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.status, delivery.error) == (
        DeliveryStatus.IGNORED,
        "topic 'order.deleted' is not one Regulars uses",
    )
    assert delivery.attempts == 0


@pytest.mark.parametrize(
    ("woo_status", "expected"),
    [
        ("processing", OrderStatus.PAID),
        ("completed", OrderStatus.PAID),
        ("pending", OrderStatus.PENDING),
        ("on-hold", OrderStatus.PENDING),
        ("cancelled", OrderStatus.CANCELLED),
        ("failed", OrderStatus.CANCELLED),
        ("refunded", OrderStatus.REFUNDED),
        ("checkout-draft", OrderStatus.PENDING),
    ],
)
def test_woocommerce_statuses_map_to_ours(woo_status, expected):
    assert order_status(woo_status) == expected
