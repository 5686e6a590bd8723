"""Only paid orders with a customer are purchases: pending ones are not yet, cancelled and
refunded ones no longer are, and a guest order without a customer cannot be repeated."""

from regulars.insights.metrics import repurchase_metrics
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy, change_status, utc


def test_cancelled_refunded_and_pending_orders_are_not_counted(store):
    buy(store, "ana", "2026-03-01 10:00", "10.00")
    buy(store, "ana", "2026-03-02 10:00", "500.00", status="cancelled")
    buy(store, "ana", "2026-03-03 10:00", "500.00", status="refunded")
    buy(store, "ana", "2026-03-04 10:00", "500.00", status="pending")

    metrics = repurchase_metrics(load_orders(store), None, None)

    assert (metrics.orders, metrics.revenue, metrics.returning_orders) == (1, 10.0, 0)


def test_an_earlier_cancelled_order_does_not_make_the_next_one_returning(store):
    buy(store, "ben", "2026-02-01 10:00", "80.00", status="cancelled")
    buy(store, "ben", "2026-03-01 10:00", "20.00")

    metrics = repurchase_metrics(load_orders(store), utc("2026-03-01 00:00"), None)

    assert (metrics.orders, metrics.new_orders, metrics.returning_orders) == (1, 1, 0)
    assert metrics.new_customers == 1


def test_an_order_refunded_later_leaves_the_figures(store):
    order = buy(store, "cleo", "2026-03-01 10:00", "30.00")
    buy(store, "cleo", "2026-03-05 10:00", "30.00")
    before = repurchase_metrics(load_orders(store), None, None)

    change_status(store, order, "refunded", "2026-03-09 10:00")
    after = repurchase_metrics(load_orders(store), None, None)

    assert (before.orders, before.returning_orders) == (2, 1)
    assert (after.orders, after.returning_orders, after.new_orders) == (1, 0, 1)


def test_guest_orders_without_a_customer_are_not_counted(store):
    buy(store, None, "2026-03-01 10:00", "70.00")
    buy(store, "dan", "2026-03-02 10:00", "5.00")

    frame = load_orders(store)
    metrics = repurchase_metrics(frame, None, None)

    assert frame.orders == 1
    assert (metrics.orders, metrics.revenue, metrics.customers) == (1, 5.0, 1)
