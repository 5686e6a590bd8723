"""Orders carry the log's CDs and dollars exactly: per line, per order and per customer."""

import gzip
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from regulars.commerce.models import Order, OrderLine
from regulars.demo.dataset import DATA_FILE


def _log_by_customer() -> dict[str, tuple[int, int, Decimal]]:
    """customer id -> (purchase days, CDs, dollars), straight from the bundled file."""
    days, cds, dollars = defaultdict(set), defaultdict(int), defaultdict(Decimal)
    with gzip.open(DATA_FILE, "rt") as lines:
        next(lines)
        for line in lines:
            customer, day, count, value = line.split()
            days[customer].add(day)
            cds[customer] += int(count)
            dollars[customer] += Decimal(value)
    return {c: (len(days[c]), cds[c], dollars[c]) for c in days}


def test_every_order_line_total_is_its_quantity_times_its_unit_price(demo):
    lines = list(
        OrderLine.objects.filter(store=demo).values_list("quantity", "unit_price", "total")
    )

    assert lines
    assert [(q, u, t) for q, u, t in lines if q * u != t] == []


def test_the_lines_of_every_order_add_up_to_its_total(demo):
    orders = Order.objects.filter(store=demo).prefetch_related("lines")

    mismatched = [
        order.external_id
        for order in orders
        if sum((line.total for line in order.lines.all()), Decimal(0)) != order.total
        or not 1 <= len(order.lines.all()) <= 3
    ]

    assert orders.count() > 300
    assert mismatched == []


def test_each_customer_has_one_order_per_purchase_day_with_the_logs_cds_and_dollars(demo):
    log = _log_by_customer()
    orders = Order.objects.filter(store=demo)
    ours = {}
    for customer in {o.customer.external_id for o in orders.select_related("customer")}:
        mine = orders.filter(customer__external_id=customer)
        units = OrderLine.objects.filter(order__in=mine).aggregate(n=Sum("quantity"))["n"]
        total = sum((o.total for o in mine), Decimal(0))
        ours[customer] = (mine.count(), units, total)

    assert len(ours) == 300
    assert {customer: log[customer] for customer in ours} == ours


def test_about_two_percent_of_orders_are_cancelled_or_refunded(build):
    store = build(customers=3000).store
    orders = Order.objects.filter(store=store)

    share = orders.exclude(status="paid").count() / orders.count()

    assert 0.01 < share < 0.03
    assert set(orders.values_list("status", flat=True)) == {"paid", "cancelled", "refunded"}
