"""A store without purchases (a new one, or a period without orders) gives zeros and None,
never NaN and never a division by zero."""

import math

from regulars.insights.metrics import repurchase_metrics
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy, utc

COUNTS = (
    "orders",
    "returning_orders",
    "new_orders",
    "unpriced_orders",
    "customers",
    "new_customers",
    "repeat_customers",
    "returning_customers",
)
MONEY = ("revenue", "returning_revenue", "new_revenue")
RATIOS = (
    "repurchase_rate",
    "repeat_customer_rate",
    "returning_customer_rate",
    "average_order_value",
    "purchase_frequency",
    "median_days_between_orders",
)


def _assert_empty(metrics):
    assert {name: getattr(metrics, name) for name in COUNTS} == dict.fromkeys(COUNTS, 0)
    assert {name: getattr(metrics, name) for name in MONEY} == dict.fromkeys(MONEY, 0.0)
    assert {name: getattr(metrics, name) for name in RATIOS} == dict.fromkeys(RATIOS, None)


def test_a_store_without_orders(store):
    frame = load_orders(store)

    assert frame.orders == 0
    assert frame.customer_id.dtype.name == "int64"
    _assert_empty(repurchase_metrics(frame, None, None))
    _assert_empty(repurchase_metrics(frame, utc("2026-03-01 00:00"), utc("2026-04-01 00:00")))


def test_a_period_without_orders(store):
    buy(store, "ana", "2026-01-10 10:00", "40.00")
    buy(store, "ana", "2026-05-10 10:00", "40.00")

    _assert_empty(
        repurchase_metrics(load_orders(store), utc("2026-03-01 00:00"), utc("2026-04-01 00:00"))
    )


def test_only_unpaid_orders_count_as_none(store):
    buy(store, "ana", "2026-03-10 10:00", "40.00", status="pending")

    _assert_empty(repurchase_metrics(load_orders(store), None, None))


def test_the_empty_figures_as_json_hold_no_nan(store):
    data = repurchase_metrics(load_orders(store), None, None).as_dict()

    assert not any(isinstance(v, float) and math.isnan(v) for v in data.values())
    assert data["repurchase_rate"] is None
