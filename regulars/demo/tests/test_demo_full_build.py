"""The whole log, as `make run` builds it (about 15 s). The time is printed for the record
(`pytest -s`), never asserted."""

from regulars.commerce.models import Customer, Fulfillment, Order, OrderLine
from regulars.demo.tests.conftest import TODAY


def test_the_full_log_builds_every_customer_and_order(build):
    summary = build(customers=None, today=TODAY)

    print(f"\nfull demo build: {summary.seconds:.1f} s, {summary.counts}")
    assert Customer.objects.filter(store=summary.store).count() == 23_570
    assert Order.objects.filter(store=summary.store).count() == 67_591
    assert OrderLine.objects.filter(store=summary.store).count() == summary.counts["order lines"]
    assert Fulfillment.objects.filter(store=summary.store).count() == summary.counts["shipments"]
