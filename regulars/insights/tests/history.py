"""A store's purchase history for insights tests: deterministic, built through the commerce
services as real orders are, with enough repeat customers for the models to be fitted."""

import random
from datetime import UTC, datetime, timedelta

from regulars.commerce.schemas import OrderIn
from regulars.commerce.services import upsert_order

START = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def paid_order(store, number: str, customer: str, placed_at: datetime, total="40.00", **extra):
    data = {
        "external_id": number,
        "customer": {"external_id": customer, "email": f"{customer}@example.com"},
        "status": "paid",
        "currency": store.currency,
        "total": total,
        "placed_at": placed_at.isoformat(),
        "updated_at": placed_at.isoformat(),
        **extra,
    }
    return upsert_order(store, OrderIn(**data), source="api").obj


def build_history(store, *, customers: int = 200, seed: int = 7, prefix: str = "") -> int:
    """Orders of `customers` customers between START and NOW: about half buy again, every
    few weeks, some stop. Returns the number of orders written."""
    rng = random.Random(seed)
    orders = 0
    span = (NOW - START).days
    for n in range(customers):
        customer = f"{prefix}c{n}"
        day = rng.randrange(0, span - 30)
        repeats = rng.choice([0, 0, 0, 1, 2, 3, 5, 8])
        moments = [START + timedelta(days=day)]
        for _ in range(repeats):
            nxt = moments[-1] + timedelta(days=rng.randrange(7, 60))
            if nxt >= NOW:
                break
            moments.append(nxt)
        for k, moment in enumerate(moments):
            total = f"{rng.randrange(15, 120)}.{rng.randrange(0, 100):02d}"
            paid_order(store, f"{prefix}{n}-{k}", customer, moment, total=total)
            orders += 1
    return orders
