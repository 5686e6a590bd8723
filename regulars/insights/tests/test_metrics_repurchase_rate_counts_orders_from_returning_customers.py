"""Repurchase rate = orders from returning customers / orders: 30 of 100 orders = 30 %.

An order is returning when its customer had a paid order before it, at any time, also before
the period."""

import pytest

from regulars.insights.metrics import repurchase_metrics
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy, utc

MARCH = (utc("2026-03-01 00:00"), utc("2026-04-01 00:00"))


@pytest.fixture
def hundred_orders(store):
    # Ten customers who first bought in January order three times each in March (30 returning
    # orders); seventy customers order once, for the first time, in March (70 new orders).
    for n in range(10):
        buy(store, f"regular-{n}", "2026-01-15 10:00", "50.00")
        for day in (3, 13, 23):
            buy(store, f"regular-{n}", f"2026-03-{day:02d} 10:00", "20.00")
    for n in range(70):
        buy(store, f"newcomer-{n}", f"2026-03-{1 + n % 28:02d} 12:00", "10.00")
    return store


def test_thirty_of_a_hundred_orders_from_returning_customers_is_thirty_percent(hundred_orders):
    metrics = repurchase_metrics(load_orders(hundred_orders), *MARCH)

    assert metrics.orders == 100
    assert metrics.returning_orders == 30
    assert metrics.new_orders == 70
    assert metrics.repurchase_rate == 0.3


def test_revenue_is_split_between_returning_and_new_customers(hundred_orders):
    metrics = repurchase_metrics(load_orders(hundred_orders), *MARCH)

    assert metrics.revenue == 1300.0
    assert metrics.returning_revenue == 600.0
    assert metrics.new_revenue == 700.0
    assert metrics.currency == "USD"


def test_customers_of_the_period_and_the_new_ones_among_them(hundred_orders):
    metrics = repurchase_metrics(load_orders(hundred_orders), *MARCH)

    assert metrics.customers == 80
    assert metrics.new_customers == 70
    assert metrics.average_order_value == 13.0
    assert metrics.purchase_frequency == 100 / 80


def test_the_first_order_ever_is_new_even_when_the_period_starts_before_it(hundred_orders):
    metrics = repurchase_metrics(load_orders(hundred_orders), None, None)

    assert metrics.orders == 110
    assert metrics.new_orders == 80
    assert metrics.returning_orders == 30
    assert metrics.repurchase_rate == 30 / 110
