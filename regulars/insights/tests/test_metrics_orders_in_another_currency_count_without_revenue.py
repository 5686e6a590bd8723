"""An order in a currency other than the store's (no exchange rate is known) is still a
purchase, so it counts as an order and makes the next one returning; its amount is left out
of revenue and of the average order value rather than added as if it were the store's."""

from regulars.insights.metrics import repurchase_metrics
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy


def test_it_counts_the_order_and_leaves_out_its_amount(store):
    buy(store, "ana", "2026-03-01 10:00", "1000.00", currency="EUR")
    buy(store, "ana", "2026-03-05 10:00", "20.00")
    buy(store, "ben", "2026-03-06 10:00", "40.00")

    frame = load_orders(store)
    metrics = repurchase_metrics(frame, None, None)

    assert frame.priced.tolist() == [False, True, True]
    assert frame.total.tolist() == [0.0, 20.0, 40.0]
    assert (metrics.orders, metrics.unpriced_orders) == (3, 1)
    assert (metrics.returning_orders, metrics.returning_revenue) == (1, 20.0)
    assert metrics.revenue == 60.0
    assert metrics.average_order_value == 30.0
