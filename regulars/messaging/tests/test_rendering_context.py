"""build_context: the documented variables as plain data, in a few queries."""

from datetime import date
from decimal import Decimal

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.rendering import VARIABLES, build_context, render_source
from regulars.messaging.tests import rendering_data as data


@pytest.fixture
def bought(store):
    data.product(store, "p1", "Blue Train LP", price="15.00")
    data.product(store, "p3", "Kind of Blue LP", price="21.00")
    customer = data.customer(
        store,
        "c1",
        first_name="Ana",
        last_name="Petrosyan",
        phone="+37491234567",
        timezone="Asia/Bangkok",
    )
    data.customer(store, "c2")
    data.order(store, "2001", "c2", [("p3", 1, "21.00")])
    order = data.order(
        store,
        "1001",
        "c1",
        [("p1", 2, "15.00"), ("p2", 1, "1234.50")],
        discount_total="5.00",
        shipping_total="4.50",
        total="1264.00",
        coupon_codes=["WELCOME10"],
    )
    shipment = data.fulfillment(store, "f1", "1001")
    customer.refresh_from_db()
    return customer, order, shipment


def test_it_builds_every_documented_variable(store, bought, settings):
    settings.BASE_URL = "https://regulars.example"
    customer, order, shipment = bought

    context = build_context(
        store,
        customer,
        order=order,
        fulfillment=shipment,
        coupon={"code": "COMEBACK15", "description": "15% off"},
    )

    assert context == {
        "customer": {
            "first_name": "Ana",
            "last_name": "Petrosyan",
            "name": "Ana Petrosyan",
            "email": "c1@example.com",
            "phone": "+37491234567",
            "language": "en",
            "orders_count": 1,
            "total_spent": "1,264.00 USD",
        },
        "store": {"name": "Vinyl Corner", "currency": "USD", "url": "https://regulars.example"},
        "order": {
            "name": "#1001",
            # 10:00 UTC in the customer's own time zone (Bangkok), not the store's (New York).
            "placed_at": "2026-03-01 17:00 +07",
            "status": "paid",
            "subtotal": "1,264.50 USD",
            "discount_total": "5.00 USD",
            "shipping_total": "4.50 USD",
            "total": "1,264.00 USD",
            "currency": "USD",
            "coupon_codes": ["WELCOME10"],
            "lines": [
                {
                    "title": "Product p1",
                    "quantity": 2,
                    "price": "15.00 USD",
                    "total": "30.00 USD",
                    "url": "https://shop.example/p/p1",
                    "image_url": "https://shop.example/i/p1.jpg",
                },
                {
                    # A product first seen in this order: no page or image known yet.
                    "title": "Product p2",
                    "quantity": 1,
                    "price": "1,234.50 USD",
                    "total": "1,234.50 USD",
                    "url": "",
                    "image_url": "",
                },
            ],
        },
        "fulfillment": {
            "carrier": "UPS",
            "tracking_number": "1Z999",
            "tracking_url": "https://www.ups.com/track?tracknum=1Z999",
            "status": "in_transit",
            "shipped_at": "2026-03-02 21:00 +07",
            "delivered_at": "",
        },
        "coupon": {"code": "COMEBACK15", "description": "15% off", "expires_at": ""},
        "recommended_products": [
            {
                "title": "Kind of Blue LP",
                "url": "https://shop.example/p/p3",
                "image_url": "https://shop.example/i/p3.jpg",
                "price": "21.00 USD",
            }
        ],
        "data": {},
        "unsubscribe_url": "",
        "preferences_url": "",
    }


def test_times_are_in_the_stores_zone_when_the_customers_is_unknown(store):
    data.customer(store, "c9")
    order = data.order(store, "9001", "c9", [("p1", 1)])
    customer = order.customer

    context = build_context(store, customer, order=order, recommendations=False)

    assert context["order"]["placed_at"] == "2026-03-01 05:00 EST"


def test_without_an_order_the_order_variables_are_empty(store):
    customer = data.customer(store, "c5")

    context = build_context(store, customer, recommendations=False)

    assert (context["order"], context["fulfillment"], context["coupon"]) == (None, None, None)
    assert context["recommended_products"] == []
    assert context["customer"]["total_spent"] == "0.00 USD"


def test_extra_variables_are_merged_last(store):
    customer = data.customer(store, "c5")

    context = build_context(
        store,
        customer,
        recommendations=False,
        extra={"unsubscribe_url": "https://regulars.example/u/abc"},
    )

    assert context["unsubscribe_url"] == "https://regulars.example/u/abc"


def test_it_takes_the_same_few_queries_whatever_the_number_of_lines(
    store, bought, django_assert_num_queries
):
    customer, order, _ = bought
    big = data.order(store, "1002", "c1", [(f"x{i}", 1) for i in range(40)])

    # One query for the lines, one for the recommendations.
    with django_assert_num_queries(2):
        build_context(store, customer, order=order)
    with django_assert_num_queries(2):
        context = build_context(store, customer, order=big)
    assert len(context["order"]["lines"]) == 40


def test_another_stores_order_or_customer_is_refused(store, other_store):
    data.customer(other_store, "t1")
    theirs = data.order(other_store, "5001", "t1", [("p1", 1)])
    mine = data.customer(store, "c1")

    with pytest.raises(RegularsError) as caught:
        build_context(store, mine, order=theirs)
    assert (caught.value.field, caught.value.message) == (
        "order",
        "The order belongs to another store.",
    )

    with pytest.raises(RegularsError) as caught:
        build_context(store, theirs.customer)
    assert caught.value.field == "customer"


def _paths(value, prefix=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        yield prefix
        yield from _paths(value[0], f"{prefix}[]")
    else:
        yield prefix


def test_every_variable_built_is_documented_and_every_documented_one_is_built(store, bought):
    customer, order, shipment = bought
    context = build_context(
        store,
        customer,
        order=order,
        fulfillment=shipment,
        coupon={"code": "A", "description": "B", "expires_at": "2026-04-01"},
    )

    built = set(_paths(context))
    documented = {v.name for v in VARIABLES if v.type != "object"}
    assert built == documented
    assert all(v.meaning and v.type for v in VARIABLES)


def test_a_coupon_from_the_caller_is_passed_through_as_plain_text():
    rendered = render_source(
        channel="sms",
        subject="",
        body_html="",
        body_text="{{ coupon.code }}: {{ coupon.description }} until {{ coupon.expires_at }}",
        context={
            "coupon": {
                "code": "COMEBACK15",
                "description": Decimal("15.0"),
                "expires_at": date(2026, 4, 1),
            }
        },
    )

    assert rendered.body_text == "COMEBACK15: 15.0 until 2026-04-01"


def test_data_sent_with_the_message_is_read_under_data(store):
    customer = data.customer(store, "c5", first_name="Ana")
    context = build_context(store, customer, recommendations=False) | {
        "data": {"reply": "Your parcel left today.", "items": [{"sku": "LP-1"}]}
    }

    rendered = render_source(
        channel="sms",
        subject="",
        body_html="",
        body_text="{{ customer.first_name }}: {{ data.reply }} ({{ data.items.first.sku }})",
        context=context,
    )

    assert rendered.body_text == "Ana: Your parcel left today. (LP-1)"
