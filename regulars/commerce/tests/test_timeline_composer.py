"""The customer timeline: every source merged newest first, one query per provider, paged."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.commerce import timeline
from regulars.commerce.models import Customer
from regulars.commerce.schemas import CartIn, EventIn, FulfillmentIn, OrderIn
from regulars.commerce.services import record_event, upsert_cart, upsert_fulfillment, upsert_order
from regulars.commerce.timeline import (
    TimelineEntry,
    register_timeline_provider,
    timeline_for,
    timeline_page,
)

ANA = {"external_id": "c1", "email": "ana@example.com", "first_name": "Ana"}


def _order(store, external_id, placed, *, status="paid", **extra):
    data = {
        "external_id": external_id,
        "name": f"#{external_id}",
        "customer": ANA,
        "status": status,
        "currency": "USD",
        "total": "30.00",
        "placed_at": placed,
        "updated_at": extra.pop("updated_at", placed),
        "lines": [{"title": "Blue Train LP", "quantity": 2, "unit_price": "15.00"}],
        **extra,
    }
    return upsert_order(store, OrderIn(**data), source="api").obj


def _history(store) -> Customer:
    _order(store, "1001", "2026-03-01T10:00:00Z", coupon_codes=["WELCOME10"])
    _order(
        store,
        "1001",
        "2026-03-01T10:00:00Z",
        status="refunded",
        coupon_codes=["WELCOME10"],
        refunded_at="2026-03-05T08:00:00Z",
        updated_at="2026-03-05T08:00:00Z",
    )
    upsert_fulfillment(
        store,
        FulfillmentIn(
            external_id="f1",
            order_external_id="1001",
            carrier="UPS",
            tracking_number="1Z999",
            tracking_url="https://www.ups.com/track?tracknum=1Z999",
            status="delivered",
            shipped_at="2026-03-02T10:00:00Z",
            delivered_at="2026-03-03T15:30:00Z",
        ),
        source="api",
    )
    upsert_cart(
        store,
        CartIn(
            token="abandoned-1",
            customer_external_id="c1",
            currency="USD",
            checkout_url="https://shop.example/checkouts/abandoned-1",
            updated_at="2026-03-04T12:00:00Z",
            lines=[{"title": "Kind of Blue LP", "quantity": 1, "unit_price": "22.00"}],
        ),
        source="api",
    )
    record_event(
        store,
        EventIn(
            customer_external_id="c1",
            kind="searched",
            properties={"query": "coltrane"},
            occurred_at="2026-03-01T09:30:00Z",
        ),
        source="api",
    )
    return Customer.objects.get(store=store, external_id="c1")


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False)
def test_it_merges_orders_shipments_carts_and_events_newest_first(store):
    customer = _history(store)

    entries = timeline_for(customer)

    assert [(e.kind, e.at.isoformat()) for e in entries] == [
        ("order.refunded", "2026-03-05T08:00:00+00:00"),
        ("cart.abandoned", "2026-03-04T12:00:00+00:00"),
        ("fulfillment.delivered", "2026-03-03T15:30:00+00:00"),
        ("fulfillment.shipped", "2026-03-02T10:00:00+00:00"),
        ("order.paid", "2026-03-01T10:00:00+00:00"),
        ("order.placed", "2026-03-01T10:00:00+00:00"),
        ("event.searched", "2026-03-01T09:30:00+00:00"),
    ]
    placed = entries[5]
    assert (placed.title, placed.detail, placed.amount, placed.currency) == (
        "Placed order #1001",
        "Coupon WELCOME10",
        Decimal("30.000"),
        "USD",
    )
    delivered = entries[2]
    assert (delivered.title, delivered.detail, delivered.link) == (
        "Order #1001 delivered",
        "UPS 1Z999",
        "https://www.ups.com/track?tracknum=1Z999",
    )
    assert entries[1].detail == "Kind of Blue LP"
    assert entries[6].title == "Searched for “coltrane”"


@pytest.mark.django_db
def test_it_shows_a_recovered_cart_at_the_time_of_its_order(store):
    upsert_cart(
        store,
        CartIn(
            token="t1",
            customer=ANA,
            currency="USD",
            updated_at="2026-03-01T09:00:00Z",
            lines=[{"title": "Blue Train LP", "unit_price": "15.00"}],
        ),
        source="api",
    )
    _order(store, "1001", "2026-03-01T10:00:00Z", cart_token="t1")
    customer = Customer.objects.get(store=store, external_id="c1")

    cart_entries = [e for e in timeline_for(customer) if e.kind.startswith("cart.")]

    assert [(e.kind, e.title, e.at.isoformat()) for e in cart_entries] == [
        ("cart.recovered", "Cart recovered by order #1001", "2026-03-01T10:00:00+00:00")
    ]


@pytest.mark.django_db
def test_it_runs_one_query_per_provider_whatever_the_history_length(store):
    for n in range(30):
        _order(store, str(2000 + n), f"2026-02-{n % 28 + 1:02d}T10:00:00Z")
    customer = Customer.objects.get(store=store, external_id="c1")

    with CaptureQueriesContext(connection) as queries:
        entries = timeline_for(customer, limit=50)

    assert len(entries) == 50
    assert len(queries) == len(timeline.timeline_providers())


@pytest.mark.django_db
def test_it_pages_backwards_without_losing_entries_that_share_an_instant(store):
    for n in range(5):
        _order(store, str(3000 + n), f"2026-03-0{n + 1}T10:00:00Z")  # placed and paid together
    customer = Customer.objects.get(store=store, external_id="c1")

    pages, cursor = [], None
    while True:
        page, cursor = timeline_page(customer, before=cursor, limit=3)
        pages.append([e.title for e in page])
        if cursor is None:
            break

    assert pages == [
        ["Paid order #3004", "Placed order #3004"],
        ["Paid order #3003", "Placed order #3003"],
        ["Paid order #3002", "Placed order #3002"],
        ["Paid order #3001", "Placed order #3001"],
        ["Paid order #3000", "Placed order #3000"],
    ]


@pytest.mark.django_db
def test_a_registered_provider_adds_its_entries(store):
    customer = _history(store)

    def messages(customer, *, before, limit):
        return [TimelineEntry(at=datetime(2026, 3, 6, tzinfo=UTC), kind="message.sent", title="Hi")]

    register_timeline_provider(messages)
    try:
        entries = timeline_for(customer, limit=2)
    finally:
        timeline._providers.remove(messages)

    assert [e.kind for e in entries] == ["message.sent", "order.refunded"]


@pytest.mark.django_db
def test_it_never_returns_another_customers_entries(store, other_store):
    _history(store)
    _order(other_store, "1001", "2026-03-07T10:00:00Z")
    stranger = Customer.objects.get(store=other_store, external_id="c1")

    entries = timeline_for(stranger)

    assert [e.kind for e in entries] == ["order.paid", "order.placed"]
