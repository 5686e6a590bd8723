"""A key reads and changes only its own store's data, whatever ids it sends or asks for."""

import pytest

from regulars.commerce.models import Customer, Fulfillment, Order, OrderStatus
from regulars.commerce.tests.api_client import api_for, customer, fulfillment, order


@pytest.fixture
def ours(client, store):
    return api_for(client, store)


@pytest.fixture
def theirs(client, other_store):
    return api_for(client, other_store)


@pytest.fixture
def their_data(theirs, other_store):
    theirs.batch("customers", [customer(first_name="Somchai", email="somchai@example.com")])
    theirs.batch("orders", [order(currency="THB", total="900", status="paid")])
    return {
        "customer": Customer.objects.get(store=other_store, external_id="c1"),
        "order": Order.objects.get(store=other_store, external_id="1001"),
    }


def test_a_key_does_not_list_another_stores_customers_or_orders(ours, their_data):
    customers = ours.get("/customers")
    orders = ours.get("/orders")
    by_email = ours.get("/customers", email="somchai@example.com")

    assert customers.json()["count"] == 0
    assert orders.json()["count"] == 0
    assert by_email.json()["items"] == []


def test_a_key_gets_404_for_another_stores_customer(ours, their_data):
    response = ours.get(f"/customers/{their_data['customer'].pk}")

    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "code": "not_found",
                "field": None,
                "message": f"No customer with id {their_data['customer'].pk} in this store.",
                "index": None,
            }
        ]
    }


def test_a_key_gets_404_for_another_stores_order(ours, their_data):
    response = ours.get("/orders/1001")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_filtering_by_another_stores_customer_id_finds_nothing(ours, their_data):
    response = ours.get("/orders", customer_id=their_data["customer"].pk)

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_the_same_external_ids_in_two_stores_stay_separate(ours, store, other_store, their_data):
    response = ours.batch(
        "orders", [order(status="refunded", updated_at="2025-03-09T10:00:00Z", total="12.00")]
    )

    assert response.json()["items"][0]["outcome"] == "created"
    mine = Order.objects.get(store=store, external_id="1001")
    assert mine.pk != their_data["order"].pk
    assert mine.status == OrderStatus.REFUNDED
    theirs_kept = Order.objects.get(store=other_store, external_id="1001")
    assert (theirs_kept.status, theirs_kept.total, theirs_kept.currency) == (
        OrderStatus.PAID,
        900,
        "THB",
    )
    assert Customer.objects.get(store=other_store, external_id="c1").first_name == "Somchai"
    assert ours.get("/orders/1001").json()["id"] == mine.pk


def test_a_key_cannot_ship_another_stores_order(ours, store, other_store, their_data):
    response = ours.batch("fulfillments", [fulfillment()])

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items[0].order_external_id"
    assert not Fulfillment.objects.exists()


def test_the_same_customer_external_id_updates_only_this_stores_customer(
    ours, store, other_store, their_data
):
    ours.batch("customers", [customer(first_name="Ann")])

    ours.batch("customers", [customer(first_name="Annabel")])

    assert Customer.objects.get(store=store, external_id="c1").first_name == "Annabel"
    assert Customer.objects.get(store=other_store, external_id="c1").first_name == "Somchai"
