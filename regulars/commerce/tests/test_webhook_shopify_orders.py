"""Shopify order topics, from Shopify's published sample payloads, become one order with its
lines, its customer and (for orders/fulfilled) its shipments."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import (
    Customer,
    DeliveryStatus,
    Fulfillment,
    Order,
    OrderStatus,
    Product,
    WebhookDelivery,
)
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.commerce.webhooks.shopify import order_status

NEW_YEAR = datetime(2022, 1, 1, tzinfo=UTC)  # "2021-12-31T19:00:00-05:00"


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_orders_create_keeps_the_order_with_its_five_lines(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))

    order = Order.objects.get(store=shop)
    assert order.external_id == "820982911946154508"  # above 2**53, exact
    assert order.name == "#9999"
    assert (order.total, order.currency) == (Decimal("404.95"), "USD")
    assert order.subtotal == Decimal("414.95")
    assert order.discount_total == Decimal("20.00")
    assert order.shipping_total == Decimal("10.00")
    assert order.tax_total == Decimal("0")
    assert order.email == "jon@example.com"
    assert order.placed_at == NEW_YEAR
    assert order.source == "shopify"
    assert order.source_updated_at == NEW_YEAR
    lines = list(order.lines.order_by("pk").values_list("external_id", "title", "unit_price"))
    assert lines == [
        ("487817672276298554", "Aviator sunglasses", Decimal("89.99")),
        ("789012345678901234", "Lens Protection Plan (2 Year)", Decimal("19.99")),
        ("890123456789012345", "Premium Leather Case", Decimal("24.99")),
        ("976318377106520349", "Mid-century lounger", Decimal("159.99")),
        ("315789986012684393", "Coffee table", Decimal("119.99")),
    ]
    assert sum(line.total for line in order.lines.all()) == Decimal("414.95")
    delivery = WebhookDelivery.objects.get(store=shop)
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.PROCESSED, 1, "")


def test_the_sample_order_is_cancelled_because_it_is_voided_and_cancelled(shop, send):
    send.shopify(shop, "orders/cancelled", raw("shopify", "orders_create.json"))

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.CANCELLED
    assert order.cancelled_at == NEW_YEAR
    assert order.paid_at is None


def test_the_orders_customer_is_kept_with_its_shopify_id(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))

    customer = Customer.objects.get(store=shop)
    assert customer.external_id == "115310627314723954"
    assert (customer.first_name, customer.last_name) == ("John", "Smith")
    assert customer.email == "john@example.com"
    assert customer.language == "en"
    # Shopify sent created_at null: the customer was seen when the order was placed.
    assert customer.first_seen_at == NEW_YEAR
    assert Order.objects.get(store=shop).customer == customer
    # A cancelled order is neither counted nor spent.
    assert (customer.orders_count, customer.total_spent) == (0, Decimal("0"))


def test_line_products_are_created_from_the_lines(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))

    product = Product.objects.get(store=shop)
    assert product.external_id == "788032119674292922"
    assert set(
        Order.objects.get(store=shop).lines.values_list("product__external_id", flat=True)
    ) == {
        "788032119674292922",
        None,
    }


def test_orders_paid_makes_the_order_paid_and_counts_it(shop, send):
    body = payload("shopify", "orders_paid.json")
    body.update(financial_status="paid", cancelled_at=None, cancel_reason=None)

    send.shopify(shop, "orders/paid", encode(body))

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.PAID
    assert order.paid_at == NEW_YEAR  # Shopify gives no paid time: the update that said so
    customer = order.customer
    customer.refresh_from_db()
    assert (customer.orders_count, customer.total_spent) == (1, Decimal("404.95"))


def test_orders_updated_and_orders_fulfilled_update_the_same_order(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))
    body = payload("shopify", "orders_updated.json")
    body.update(financial_status="refunded", cancelled_at=None, updated_at="2022-01-05T10:00:00Z")
    body["refunds"] = [{"id": 1, "created_at": "2022-01-05T09:30:00Z"}]

    send.shopify(shop, "orders/updated", encode(body))

    order = Order.objects.get(store=shop)
    assert order.status == OrderStatus.REFUNDED
    assert order.refunded_at == datetime(2022, 1, 5, 9, 30, tzinfo=UTC)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 2


def test_orders_fulfilled_keeps_the_shipments_it_carries(shop, send):
    body = payload("shopify", "orders_fulfilled.json")
    body["fulfillments"] = [payload("shopify", "fulfillments_create.json")]

    send.shopify(shop, "orders/fulfilled", encode(body))

    shipment = Fulfillment.objects.get(store=shop)
    assert shipment.order == Order.objects.get(store=shop)
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1z827wk74630")


def test_the_2024_07_sample_is_read_the_same_way(shop, send):
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.2024-07.json"))

    order = Order.objects.get(store=shop)
    assert (order.external_id, order.total, order.lines.count()) == (
        "820982911946154508",
        Decimal("359.97"),
        3,
    )
    assert order.customer.external_id == "115310627314723954"


def test_a_bad_line_price_fails_the_delivery_naming_the_line_and_writes_nothing(shop, send):
    body = payload("shopify", "orders_create.json")
    body["line_items"][2]["price"] = "-5.00"

    response = send.shopify(shop, "orders/create", encode(body))

    assert response.status_code == 200  # accepted: the signature is valid; the data is not
    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == (
        "line_items[2].price: Input should be greater than or equal to 0 (got '-5.00')"
    )
    assert delivery.attempts == 1
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 0


def test_a_missing_currency_fails_the_delivery_naming_the_field(shop, send):
    body = payload("shopify", "orders_create.json")
    del body["currency"]

    send.shopify(shop, "orders/create", encode(body))

    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "currency: Input should be a valid string (got None)"


@pytest.mark.parametrize(
    ("financial_status", "cancelled_at", "expected"),
    [
        ("paid", None, OrderStatus.PAID),
        ("partially_refunded", None, OrderStatus.PAID),
        ("refunded", None, OrderStatus.REFUNDED),
        ("pending", None, OrderStatus.PENDING),
        ("authorized", None, OrderStatus.PENDING),
        ("partially_paid", None, OrderStatus.PENDING),
        ("voided", None, OrderStatus.CANCELLED),
        ("expired", None, OrderStatus.CANCELLED),
        ("paid", "2022-01-02T00:00:00Z", OrderStatus.CANCELLED),
        ("refunded", "2022-01-02T00:00:00Z", OrderStatus.CANCELLED),
        (None, None, OrderStatus.PENDING),
    ],
)
def test_financial_status_maps_to_the_order_status(financial_status, cancelled_at, expected):
    assert order_status({"financial_status": financial_status, "cancelled_at": cancelled_at}) == (
        expected
    )
