"""An order's customer is recounted by one statement compiled once; it writes exactly what the
query built for many customers writes, and touches no other store's customer."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import Customer
from regulars.commerce.services import refresh_customer_stats, upsert_order
from regulars.commerce.tests.builders import order_in

NOW = datetime(2026, 3, 1, tzinfo=UTC)
FIGURES = ("orders_count", "total_spent", "first_order_at", "last_order_at")
# (status, total, day of March 2026): counted are pending and paid; spend is paid only.
HISTORY = [
    ("paid", "19.99", 3),
    ("paid", "0.10", 9),
    ("paid", "0.20", 5),
    ("pending", "5.00", 12),
    ("cancelled", "7.00", 1),
    ("refunded", "9.00", 20),
]


def _customer_with(store, name: str, history) -> Customer:
    customer = Customer.objects.create(
        store=store, external_id=name, email=f"{name}@example.com", first_seen_at=NOW
    )
    for n, (status, total, day) in enumerate(history):
        upsert_order(
            store,
            order_in(
                f"{name}-{n}",
                customer={"external_id": name, "email": f"{name}@example.com"},
                status=status,
                total=total,
                placed_at=f"2026-03-{day:02d}T10:00:00Z",
                lines=[],
            ),
            source="api",
        )
    return customer


def _figures(customer: Customer) -> tuple:
    customer.refresh_from_db()
    return tuple(getattr(customer, name) for name in FIGURES)


def _scramble(*customers: Customer) -> None:
    Customer.objects.filter(pk__in=[c.pk for c in customers]).update(
        orders_count=99, total_spent=Decimal("999"), first_order_at=None, last_order_at=None
    )


@pytest.mark.parametrize(
    "history",
    [HISTORY, [("cancelled", "7.00", 1)], []],
    ids=["mixed statuses", "nothing counted", "no orders"],
)
def test_one_customer_gets_the_figures_the_many_customer_query_writes(store, history):
    ana = _customer_with(store, "ana", history)
    ben = _customer_with(store, "ben", history)
    _scramble(ana, ben)

    assert refresh_customer_stats(store, [ana.pk]) == 1  # the statement compiled once
    assert refresh_customer_stats(store, [ben.pk, 0, ben.pk]) == 1  # built by the ORM

    assert _figures(ana) == _figures(ben)


def test_the_figures_of_one_customer_are_counted_from_their_orders(store):
    ana = _customer_with(store, "ana", HISTORY)
    _scramble(ana)

    refresh_customer_stats(store, [ana.pk])

    assert _figures(ana) == (
        4,
        Decimal("20.29"),
        datetime(2026, 3, 3, 10, tzinfo=UTC),
        datetime(2026, 3, 12, 10, tzinfo=UTC),
    )


def test_another_stores_customer_is_left_alone(store, other_store):
    theirs = _customer_with(other_store, "ana", HISTORY)
    _scramble(theirs)

    assert refresh_customer_stats(store, [theirs.pk]) == 0

    assert _figures(theirs) == (99, Decimal("999"), None, None)
