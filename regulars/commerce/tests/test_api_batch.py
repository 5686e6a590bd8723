"""Batch upserts through the JSON API: what each item did, idempotency, ordering, all-or-nothing."""

from decimal import Decimal

import pytest

from regulars.commerce.models import (
    Cart,
    Customer,
    Event,
    Fulfillment,
    FulfillmentStatus,
    Order,
    OrderStatus,
    Product,
    Source,
)
from regulars.commerce.tests.api_client import (
    api_for,
    cart,
    customer,
    event,
    fulfillment,
    order,
    product,
)


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def _everything(api):
    """One batch of each kind, in the order a store would send them."""
    return [
        api.batch("customers", [customer()]),
        api.batch("products", [product()]),
        api.batch("carts", [cart()]),
        api.batch("orders", [order(cart_token="cart-abc")]),
        api.batch("fulfillments", [fulfillment()]),
        api.batch("events", [event()]),
    ]


def _row_counts(store) -> dict:
    models = (Customer, Product, Order, Fulfillment, Cart, Event)
    return {model.__name__: model.objects.filter(store=store).count() for model in models}


def test_it_creates_customers_and_reports_each_item(api, store):
    response = api.batch(
        "customers", [customer(), customer(external_id="c2", email="bob@example.com")]
    )

    assert response.status_code == 200
    ann = Customer.objects.get(store=store, external_id="c1")
    bob = Customer.objects.get(store=store, external_id="c2")
    assert response.json() == {
        "items": [
            {"index": 0, "external_id": "c1", "outcome": "created", "id": ann.pk},
            {"index": 1, "external_id": "c2", "outcome": "created", "id": bob.pk},
        ],
        "summary": {"created": 2, "updated": 0, "unchanged": 0, "stale": 0},
    }
    assert ann.email == "ann@example.com"
    assert ann.first_name == "Ann"
    assert ann.source == Source.API


def test_it_creates_an_order_with_its_lines_customer_and_recovered_cart(api, store):
    api.batch("carts", [cart()])

    response = api.batch("orders", [order(cart_token="cart-abc")])

    assert response.status_code == 200
    kept = Order.objects.get(store=store, external_id="1001")
    assert response.json()["items"] == [
        {"index": 0, "external_id": "1001", "outcome": "created", "id": kept.pk}
    ]
    assert kept.status == OrderStatus.PAID
    assert kept.total == Decimal("54.80")
    assert kept.customer.external_id == "c1"
    assert [(line.title, line.quantity, line.total) for line in kept.lines.all()] == [
        ("Blue Train (LP)", 2, Decimal("49.80"))
    ]
    assert Cart.objects.get(store=store, token="cart-abc").recovered_order == kept


def test_it_upserts_every_kind(api, store):
    responses = _everything(api)

    assert [r.status_code for r in responses] == [200] * 6
    assert [r.json()["summary"]["created"] for r in responses] == [1] * 6
    assert responses[2].json()["items"][0]["token"] == "cart-abc"
    assert _row_counts(store) == {
        "Customer": 1,
        "Product": 1,
        "Order": 1,
        "Fulfillment": 1,
        "Cart": 1,
        "Event": 1,
    }
    assert Fulfillment.objects.get(store=store).order.external_id == "1001"
    assert Event.objects.get(store=store).customer.external_id == "c1"


def test_sending_the_same_batches_twice_creates_nothing_the_second_time(api, store):
    _everything(api)
    counts = _row_counts(store)

    again = _everything(api)

    assert [r.status_code for r in again] == [200] * 6
    assert [r.json()["summary"] for r in again] == [
        {"created": 0, "updated": 0, "unchanged": 1, "stale": 0}
    ] * 6
    assert _row_counts(store) == counts


def test_orders_sent_twice_without_times_are_unchanged_the_second_time(api, store):
    # No updated_at and no cancelled_at/refunded_at: the times are filled in once and kept.
    items = [
        order(external_id=str(n), status=status, updated_at=None)
        for n, status in enumerate(["pending", "paid", "cancelled", "refunded"])
    ]
    api.batch("orders", items)
    kept = {o.external_id: (o.paid_at, o.cancelled_at, o.refunded_at) for o in Order.objects.all()}

    again = api.batch("orders", items)

    assert again.json()["summary"] == {"created": 0, "updated": 0, "unchanged": 4, "stale": 0}
    assert {
        o.external_id: (o.paid_at, o.cancelled_at, o.refunded_at) for o in Order.objects.all()
    } == kept


def test_a_later_copy_updates_and_says_so(api, store):
    api.batch("orders", [order()])

    response = api.batch("orders", [order(status="refunded", updated_at="2025-03-05T10:00:00Z")])

    assert response.json()["items"][0]["outcome"] == "updated"
    assert Order.objects.get(store=store, external_id="1001").status == OrderStatus.REFUNDED


def test_an_older_update_does_not_overwrite_a_newer_one(api, store):
    api.batch("orders", [order(status="refunded", updated_at="2025-03-05T10:00:00Z")])
    api.batch("customers", [customer(first_name="Annie", updated_at="2025-03-05T10:00:00Z")])

    late_order = api.batch("orders", [order(status="paid", updated_at="2025-03-01T10:00:00Z")])
    late_customer = api.batch(
        "customers", [customer(first_name="Ann", updated_at="2025-03-01T10:00:00Z")]
    )

    assert late_order.json()["items"][0]["outcome"] == "stale"
    assert late_order.json()["summary"]["stale"] == 1
    assert late_customer.json()["items"][0]["outcome"] == "stale"
    assert Order.objects.get(store=store, external_id="1001").status == OrderStatus.REFUNDED
    assert Customer.objects.get(store=store, external_id="c1").first_name == "Annie"


def test_a_delivered_fulfillment_sent_before_in_transit_stays_delivered(api, store):
    api.batch("orders", [order()])
    api.batch(
        "fulfillments",
        [fulfillment(status="delivered", updated_at="2025-03-04T12:00:00Z")],
    )

    response = api.batch("fulfillments", [fulfillment(status="in_transit")])

    assert response.json()["items"][0]["outcome"] == "stale"
    assert Fulfillment.objects.get(store=store).status == FulfillmentStatus.DELIVERED


def test_items_of_one_batch_are_applied_in_order(api, store):
    response = api.batch(
        "customers",
        [customer(first_name="Ann"), customer(first_name="Annabel")],
    )

    assert [item["outcome"] for item in response.json()["items"]] == ["created", "updated"]
    assert Customer.objects.get(store=store, external_id="c1").first_name == "Annabel"


def test_a_batch_with_an_item_the_service_refuses_applies_nothing(api, store):
    api.batch("orders", [order()])

    response = api.batch(
        "fulfillments",
        [
            fulfillment(),
            fulfillment(external_id="f2", order_external_id="9999"),
            fulfillment(external_id="f3", order_external_id="8888"),
        ],
    )

    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "code": "not_found",
                "field": "items[1].order_external_id",
                "message": "No order with external id '9999' in this store; send the order first.",
                "index": 1,
            },
            {
                "code": "not_found",
                "field": "items[2].order_external_id",
                "message": "No order with external id '8888' in this store; send the order first.",
                "index": 2,
            },
        ]
    }
    assert not Fulfillment.objects.filter(store=store).exists()


def test_an_empty_batch_changes_nothing(api, store):
    response = api.batch("customers", [])

    assert response.status_code == 200
    assert response.json() == {
        "items": [],
        "summary": {"created": 0, "updated": 0, "unchanged": 0, "stale": 0},
    }
    assert not Customer.objects.filter(store=store).exists()


def test_a_batch_of_more_than_500_items_is_refused_whole(api, store):
    items = [customer(external_id=f"c{n}", email=f"c{n}@example.com") for n in range(501)]

    response = api.batch("customers", items)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "field": "items",
            "message": "List should have at most 500 items after validation, not 501",
            "index": None,
        }
    ]
    assert not Customer.objects.filter(store=store).exists()


def test_a_batch_of_500_items_is_accepted(api, store):
    items = [customer(external_id=f"c{n}", email=f"c{n}@example.com") for n in range(500)]

    response = api.batch("customers", items)

    assert response.status_code == 200
    assert response.json()["summary"]["created"] == 500
    assert Customer.objects.filter(store=store).count() == 500


def test_an_event_needs_its_own_id_so_a_retry_records_it_once(api, store):
    response = api.batch("events", [event(external_id="")])

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "field": "items[0].external_id",
            "message": "String should have at least 1 character",
            "index": 0,
        }
    ]
    assert not Event.objects.filter(store=store).exists()
