"""Each figure of the period on a store small enough to count by hand (docs/insights.md).

March 2026, UTC (the period is given as instants, not months):
  ana:  10 Jan, 5 Mar, 15 Mar          -> 2 returning orders in March
  ben:  2 Mar, 12 Mar, 22 Mar 22:00    -> 1 new, 2 returning
  cleo: 20 Mar                         -> 1 new
  eve:  20 Feb, 8 Mar                  -> 1 returning
  dan:  1 Feb, 10 Apr                  -> nothing in March
"""

import pytest

from regulars.insights.metrics import repurchase_metrics
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy, utc

MARCH = (utc("2026-03-01 00:00"), utc("2026-04-01 00:00"))


@pytest.fixture
def small_store(store):
    buy(store, "ana", "2026-01-10 10:00", "40.00")
    buy(store, "ana", "2026-03-05 10:00", "30.00")
    buy(store, "ana", "2026-03-15 10:00", "20.00")
    buy(store, "ben", "2026-03-02 10:00", "15.00")
    buy(store, "ben", "2026-03-12 10:00", "25.00")
    buy(store, "ben", "2026-03-22 22:00", "35.00")
    buy(store, "cleo", "2026-03-20 10:00", "12.50")
    buy(store, "eve", "2026-02-20 10:00", "99.00")
    buy(store, "eve", "2026-03-08 10:00", "17.50")
    buy(store, "dan", "2026-02-01 10:00", "60.00")
    buy(store, "dan", "2026-04-10 10:00", "60.00")
    return store


@pytest.fixture
def march(small_store):
    return repurchase_metrics(load_orders(small_store), *MARCH)


def test_orders_and_revenue_of_the_period(march):
    assert march.orders == 7
    assert march.revenue == 155.0  # 30 + 20 + 15 + 25 + 35 + 12.5 + 17.5
    assert march.average_order_value == pytest.approx(155 / 7, abs=0.005)
    assert march.average_order_value == 22.14  # rounded to cents


def test_returning_orders_count_earlier_orders_from_before_the_period(march):
    assert march.returning_orders == 5  # ana 2, ben 2, eve 1
    assert march.returning_revenue == 127.5
    assert (march.new_orders, march.new_revenue) == (2, 27.5)  # ben's first, cleo's
    assert march.repurchase_rate == 5 / 7


def test_customers_new_customers_and_purchase_frequency(march):
    assert march.customers == 4  # ana, ben, cleo, eve
    assert march.new_customers == 2  # ben, cleo
    assert march.purchase_frequency == 7 / 4


def test_repeat_customers_ordered_twice_within_the_period(march):
    # Klaviyo's repeat purchasers: ana and ben; eve's first order was in February.
    assert march.repeat_customers == 2
    assert march.repeat_customer_rate == 2 / 4


def test_returning_customers_placed_a_second_or_later_order_in_the_period(march):
    # Shopify's returning customer rate: ana, ben and eve.
    assert march.returning_customers == 3
    assert march.returning_customer_rate == 3 / 4


def test_median_days_between_orders_takes_pairs_whose_second_order_is_in_the_period(march):
    # ana 54 and 10 days, ben 10 and 10.5 days, eve 16 days; dan's pair ends in April.
    assert march.median_days_between_orders == 10.5


def test_the_figures_as_json(march):
    data = march.as_dict()

    assert data["start"] == "2026-03-01T00:00:00+00:00"
    assert data["end"] == "2026-04-01T00:00:00+00:00"
    assert data["orders"] == 7
    assert data["repurchase_rate"] == 5 / 7
    assert data["unpriced_orders"] == 0


def test_an_open_period_runs_from_the_first_order_or_to_the_last(small_store):
    frame = load_orders(small_store)

    since_march = repurchase_metrics(frame, MARCH[0], None)
    until_march = repurchase_metrics(frame, None, MARCH[0])

    assert (since_march.orders, until_march.orders) == (8, 3)
    # With dan's 68 days: 10, 10, 10.5, 16, 54, 68, an even count: (10.5 + 16) / 2.
    assert since_march.median_days_between_orders == 13.25


def test_a_period_that_ends_before_it_starts_is_refused(small_store):
    with pytest.raises(ValueError, match=r"ends \(2026-03-01T00:00:00\+00:00\) before it starts"):
        repurchase_metrics(load_orders(small_store), MARCH[1], MARCH[0])


def test_a_naive_datetime_is_refused(small_store):
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        repurchase_metrics(load_orders(small_store), MARCH[0].replace(tzinfo=None), None)
