"""The builder recounts every customer's figures, as the upsert services would have."""

from decimal import Decimal

from regulars.commerce.models import Customer


def test_orders_count_total_spent_and_order_dates_match_the_orders(demo):
    wrong = []
    for customer in Customer.objects.filter(store=demo).prefetch_related("orders"):
        counted = [o for o in customer.orders.all() if o.status in ("paid", "pending")]
        paid = [o for o in customer.orders.all() if o.status == "paid"]
        expected = (
            len(counted),
            sum((o.total for o in paid), Decimal(0)),
            min((o.placed_at for o in counted), default=None),
            max((o.placed_at for o in counted), default=None),
        )
        actual = (
            customer.orders_count,
            customer.total_spent,
            customer.first_order_at,
            customer.last_order_at,
        )
        if actual != expected:
            wrong.append((customer.external_id, actual, expected))

    assert wrong == []
    assert Customer.objects.filter(store=demo, orders_count__gt=1).count() > 50
