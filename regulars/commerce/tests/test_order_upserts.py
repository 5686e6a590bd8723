from decimal import Decimal

import pytest

from regulars.commerce import domain_events
from regulars.commerce.models import Customer, Order, OrderLine, Product
from regulars.commerce.services import upsert_order
from regulars.commerce.tests.builders import order_in
from regulars.core import events


@pytest.fixture
def emitted():
    """Domain events emitted after commit, as (name, payload)."""
    seen = []
    handlers = {}
    for name in domain_events.ALL_EVENTS:
        handlers[name] = lambda _n=name, **payload: seen.append((_n, payload))
        events.subscribe(name, handlers[name])
    yield seen
    for name, handler in handlers.items():
        events.unsubscribe(name, handler)


def test_a_new_order_creates_its_customer_lines_and_products(store):
    result = upsert_order(store, order_in(), source="api")
    order = result.obj
    assert result.created
    assert order.total == Decimal("30.00") and order.subtotal == Decimal("30.00")
    assert order.customer.external_id == "c1"
    assert [(line.title, line.quantity, line.total) for line in order.lines.all()] == [
        ("Blue Train LP", 2, Decimal("30.00"))
    ]
    assert Product.objects.get(store=store, external_id="p1").title == "Blue Train LP"
    customer = Customer.objects.get(pk=order.customer_id)
    assert (customer.orders_count, customer.total_spent) == (1, Decimal("30.00"))


def test_the_same_order_twice_changes_nothing(store):
    upsert_order(store, order_in(), source="api")
    before = list(OrderLine.objects.values_list("pk", flat=True))
    again = upsert_order(store, order_in(), source="api")
    assert not again.created and not again.updated
    assert Order.objects.count() == 1
    assert list(OrderLine.objects.values_list("pk", flat=True)) == before


def test_an_older_update_does_not_overwrite_a_newer_one(store):
    upsert_order(
        store, order_in(status="refunded", updated_at="2026-03-05T00:00:00Z"), source="api"
    )
    late = upsert_order(
        store, order_in(status="paid", updated_at="2026-03-02T00:00:00Z"), source="api"
    )
    assert late.stale
    assert Order.objects.get().status == "refunded"


def test_status_changes_are_domain_events_after_commit(
    store, emitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upsert_order(store, order_in(status="pending"), source="api")
    assert [name for name, _ in emitted if name.startswith("order.")] == ["order.placed"]
    emitted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        upsert_order(
            store, order_in(status="paid", updated_at="2026-03-01T11:00:00Z"), source="api"
        )
        upsert_order(
            store, order_in(status="cancelled", updated_at="2026-03-01T12:00:00Z"), source="api"
        )
    order = Order.objects.get()
    assert [name for name, _ in emitted if name.startswith("order.")] == [
        "order.paid",
        "order.cancelled",
    ]
    assert emitted[0][1] == {
        "store_id": store.pk,
        "order_id": order.pk,
        "customer_id": order.customer_id,
    }
    assert order.paid_at.isoformat() == "2026-03-01T11:00:00+00:00"
    assert order.cancelled_at.isoformat() == "2026-03-01T12:00:00+00:00"


def test_events_of_a_rolled_back_write_are_never_emitted(
    store, emitted, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        upsert_order(store, order_in(), source="api")
        raise RuntimeError("abort")
    assert emitted == []
    assert not Order.objects.exists()


def test_changed_lines_replace_the_kept_ones(store):
    upsert_order(store, order_in(), source="api")
    result = upsert_order(
        store,
        order_in(
            updated_at="2026-03-01T11:00:00Z",
            total="12.00",
            lines=[{"title": "Kind of Blue CD", "quantity": 1, "unit_price": "12.00"}],
        ),
        source="api",
    )
    assert result.updated
    assert list(OrderLine.objects.values_list("title", flat=True)) == ["Kind of Blue CD"]


def test_cancelled_orders_do_not_count_as_spend(store):
    upsert_order(store, order_in(), source="api")
    upsert_order(store, order_in(external_id="1002", total="10.00", lines=[]), source="api")
    upsert_order(
        store,
        order_in(
            external_id="1002",
            total="10.00",
            lines=[],
            status="cancelled",
            updated_at="2026-03-02T00:00:00Z",
        ),
        source="api",
    )
    customer = Customer.objects.get(store=store, external_id="c1")
    assert (customer.orders_count, customer.total_spent) == (1, Decimal("30.00"))


def test_a_guest_order_becomes_the_customer_known_by_email(store):
    upsert_order(
        store, order_in(external_id="9", customer=None, email="Guest@Example.com"), source="api"
    )
    guest = Customer.objects.get(store=store)
    assert (guest.external_id, guest.email) == ("", "guest@example.com")
    upsert_order(
        store,
        order_in(external_id="10", customer={"external_id": "c77", "email": "guest@example.com"}),
        source="api",
    )
    assert Customer.objects.filter(store=store).count() == 1
    guest.refresh_from_db()
    assert guest.external_id == "c77" and guest.orders_count == 2


def test_the_same_external_ids_in_two_stores_stay_apart(store, other_store):
    upsert_order(store, order_in(), source="api")
    upsert_order(other_store, order_in(total="99.00", currency="THB"), source="api")
    assert Order.objects.get(store=store).total == Decimal("30.00")
    assert Order.objects.get(store=other_store).total == Decimal("99.00")
    assert Customer.objects.filter(external_id="c1").count() == 2
    assert Product.objects.filter(external_id="p1").count() == 2


def test_naive_times_are_read_in_the_store_time_zone(store):
    order = upsert_order(store, order_in(placed_at="2026-03-01T10:00:00"), source="api").obj
    assert order.placed_at.isoformat() == "2026-03-01T15:00:00+00:00"  # New York is UTC-5
