"""Reading customers and orders back: pages, filters, one customer with counts, one order."""

from datetime import UTC, datetime

import pytest
import time_machine

from regulars.commerce.models import Customer, Order
from regulars.commerce.tests.api_client import api_for, cart, customer, event, fulfillment, order


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def _customers(api, n: int) -> list[Customer]:
    api.batch(
        "customers",
        [customer(external_id=f"c{i}", email=f"c{i}@example.com") for i in range(n)],
    )
    return list(Customer.objects.order_by("pk"))


def test_customers_come_in_pages(api):
    kept = _customers(api, 5)

    first = api.get("/customers", limit=2).json()
    last = api.get("/customers", limit=2, offset=4).json()

    assert (first["count"], first["limit"], first["offset"], first["next_offset"]) == (5, 2, 0, 2)
    assert [c["id"] for c in first["items"]] == [kept[0].pk, kept[1].pk]
    assert (last["next_offset"], [c["id"] for c in last["items"]]) == (None, [kept[4].pk])


def test_customers_can_be_found_by_email_or_external_id(api):
    kept = _customers(api, 3)

    by_email = api.get("/customers", email="C1@Example.com").json()
    by_external_id = api.get("/customers", external_id="c2").json()

    assert [c["id"] for c in by_email["items"]] == [kept[1].pk]
    assert [c["id"] for c in by_external_id["items"]] == [kept[2].pk]


def test_customers_can_be_found_by_when_they_changed(api):
    with time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        api.batch("customers", [customer(external_id="old", email="old@example.com")])
    with time_machine.travel(datetime(2025, 3, 2, 12, 0, tzinfo=UTC), tick=False):
        api.batch("customers", [customer(external_id="new", email="new@example.com")])

    response = api.get("/customers", updated_since="2025-03-02T00:00:00Z").json()
    # A naive time is read in the store's time zone (America/New_York, UTC-5).
    naive = api.get("/customers", updated_since="2025-03-02T07:00:01").json()

    assert [c["external_id"] for c in response["items"]] == ["new"]
    assert naive["items"] == []


def test_one_customer_comes_with_counts(api, store):
    api.batch("carts", [cart(), cart(token="cart-2", updated_at="2025-02-01T00:00:00Z")])
    api.batch(
        "orders",
        [
            order(cart_token="cart-abc"),
            order(
                external_id="1002",
                status="pending",
                cart_token="",
                placed_at="2025-01-01T00:00:00Z",
            ),
            order(external_id="1003", status="cancelled", placed_at="2025-01-05T00:00:00Z"),
        ],
    )
    api.batch("events", [event(), event(external_id="e2")])
    ann = Customer.objects.get(store=store, external_id="c1")

    response = api.get(f"/customers/{ann.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {
        "orders": 2,
        "paid_orders": 1,
        "carts": 2,
        "abandoned_carts": 1,
        "events": 2,
    }
    assert (body["id"], body["email"], body["orders_count"], body["total_spent"]) == (
        ann.pk,
        "ann@example.com",
        2,
        "54.800",
    )


def test_an_unknown_customer_id_gets_404(api):
    response = api.get("/customers/4242")

    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "No customer with id 4242 in this store."


def _orders(api):
    api.batch(
        "orders",
        [
            order(external_id="1001", placed_at="2025-03-01T10:00:00Z"),
            order(external_id="1002", status="pending", placed_at="2025-03-03T10:00:00Z"),
            order(
                external_id="1003",
                customer={"external_id": "c2", "email": "bob@example.com"},
                placed_at="2025-03-02T10:00:00Z",
            ),
        ],
    )


def test_orders_come_newest_first(api):
    _orders(api)

    response = api.get("/orders").json()

    assert response["count"] == 3
    assert [o["external_id"] for o in response["items"]] == ["1002", "1003", "1001"]
    assert response["items"][1]["customer_external_id"] == "c2"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"customer_external_id": "c1"}, ["1002", "1001"]),
        ({"status": "pending"}, ["1002"]),
        ({"placed_since": "2025-03-02T00:00:00Z"}, ["1002", "1003"]),
        ({"status": "paid", "placed_since": "2025-03-02T00:00:00Z"}, ["1003"]),
    ],
)
def test_orders_can_be_filtered(api, params, expected):
    _orders(api)

    response = api.get("/orders", **params).json()

    assert [o["external_id"] for o in response["items"]] == expected


def test_orders_can_be_filtered_by_customer_id(api, store):
    _orders(api)
    bob = Customer.objects.get(store=store, external_id="c2")

    response = api.get("/orders", customer_id=bob.pk).json()

    assert [o["external_id"] for o in response["items"]] == ["1003"]


def test_listing_orders_takes_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    _orders(api)

    # key lookup, rate-limit upsert, count, page (customers joined): never one per order.
    with django_assert_max_num_queries(6):
        response = api.get("/orders")

    assert len(response.json()["items"]) == 3


def test_one_order_comes_with_its_lines_and_fulfillments(api, store):
    api.batch("orders", [order(external_id="A/1001")])
    api.batch(
        "fulfillments",
        [
            fulfillment(order_external_id="A/1001"),
            fulfillment(
                external_id="f2",
                order_external_id="A/1001",
                status="delivered",
                shipped_at="2025-03-03T09:00:00Z",
                delivered_at="2025-03-05T15:00:00Z",
            ),
        ],
    )
    kept = Order.objects.get(store=store, external_id="A/1001")

    response = api.get("/orders/A/1001")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["total"], body["currency"]) == (
        kept.pk,
        "paid",
        "54.800",
        "USD",
    )
    assert body["customer_external_id"] == "c1"
    assert body["lines"] == [
        {
            "id": kept.lines.get().pk,
            "external_id": "",
            "product_external_id": "p1",
            "sku": "",
            "title": "Blue Train (LP)",
            "quantity": 2,
            "unit_price": "24.900",
            "total": "49.800",
        }
    ]
    assert [(f["external_id"], f["status"], f["delivered_at"]) for f in body["fulfillments"]] == [
        ("f1", "in_transit", None),
        ("f2", "delivered", "2025-03-05T15:00:00Z"),
    ]


def test_an_unknown_order_gets_404(api):
    response = api.get("/orders/nope")

    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == (
        "No order with external id 'nope' in this store."
    )
