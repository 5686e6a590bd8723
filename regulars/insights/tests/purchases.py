"""Orders for the insights tests, written through commerce's own service as every import is."""

import itertools
from datetime import UTC, datetime

from regulars.commerce.schemas import OrderIn
from regulars.commerce.services import upsert_order

_numbers = itertools.count(1)


def utc(text: str) -> datetime:
    """An aware UTC datetime from text such as "2026-03-01 10:00" (seconds optional)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def buy(
    store,
    customer: str | None,
    placed_at: str,
    total: str = "10.00",
    *,
    status: str = "paid",
    currency: str | None = None,
):
    """One order of `customer` (an external id; None for a guest order without a customer)
    placed at `placed_at` (UTC, "2026-03-01 10:00")."""
    number = next(_numbers)
    data = OrderIn(
        external_id=f"o{number}",
        name=f"#{number}",
        customer={"external_id": customer, "email": f"{customer}@example.com"}
        if customer
        else None,
        status=status,
        currency=currency or store.currency,
        total=total,
        placed_at=utc(placed_at),
        updated_at=utc(placed_at),
    )
    return upsert_order(store, data, source="api").obj


def change_status(store, order, status: str, updated_at: str):
    """The store reports `order` again, now with `status` (as its webhook would)."""
    data = OrderIn(
        external_id=order.external_id,
        name=order.name,
        customer_external_id=order.customer.external_id if order.customer else "",
        status=status,
        currency=order.currency,
        total=order.total,
        placed_at=order.placed_at,
        updated_at=utc(updated_at),
    )
    return upsert_order(store, data, source="api").obj
