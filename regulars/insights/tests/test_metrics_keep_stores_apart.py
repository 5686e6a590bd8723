"""One store's figures never count another store's orders, even of a customer with the same
e-mail and id: the same person in two shops is two customers."""

from datetime import date

from regulars.insights.cohorts import cohort_table
from regulars.insights.metrics import repurchase_metrics
from regulars.insights.orders_data import load_orders
from regulars.insights.rfm import rfm_scores
from regulars.insights.tests.purchases import buy, utc


def test_another_stores_orders_are_not_read(store, other_store):
    buy(store, "ana", "2026-03-01 10:00", "10.00")
    buy(other_store, "ana", "2026-01-01 10:00", "900.00")
    buy(other_store, "ana", "2026-03-02 10:00", "900.00")
    buy(other_store, "zed", "2026-03-03 10:00", "900.00")

    frame = load_orders(store)
    metrics = repurchase_metrics(frame, None, None)

    assert frame.orders == 1
    assert (metrics.orders, metrics.revenue, metrics.customers) == (1, 10.0, 1)
    # ana's January order in the other store does not make her March order returning here.
    assert (metrics.new_orders, metrics.returning_orders) == (1, 0)


def test_cohorts_and_rfm_see_only_the_stores_customers(store, other_store):
    buy(store, "ana", "2026-03-01 10:00", "10.00")
    buy(other_store, "ana", "2026-02-01 10:00", "900.00")
    buy(other_store, "zed", "2026-03-03 10:00", "900.00")

    frame = load_orders(store)
    cohorts = cohort_table(frame, start_month=date(2026, 2, 1), end_month=date(2026, 3, 1))
    scores = rfm_scores(frame, as_of=utc("2026-04-01 00:00"))

    assert cohorts.sizes.tolist() == [0, 1]
    assert cohorts.revenue.sum() == 10.0
    assert scores.customers == 1
    assert scores.monetary.tolist() == [10.0]
    assert scores.frequency.tolist() == [1]


def test_the_other_store_sees_its_own(store, other_store):
    buy(store, "ana", "2026-03-01 10:00", "10.00")
    buy(other_store, "ana", "2026-01-01 10:00", "900.00")
    buy(other_store, "ana", "2026-03-02 10:00", "900.00")

    metrics = repurchase_metrics(load_orders(other_store), None, None)

    assert (metrics.orders, metrics.returning_orders, metrics.revenue) == (2, 1, 1800.0)
    assert metrics.currency == "THB"
