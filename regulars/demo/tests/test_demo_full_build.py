"""The whole log, as `make run` builds it (about 15 s). The time is printed for the record
(`pytest -s`), never asserted."""

from regulars.commerce.models import Customer, Fulfillment, Order, OrderLine
from regulars.demo.tests.conftest import TODAY
from regulars.insights.models import CustomerScore, StoreInsights


def test_the_full_log_builds_every_customer_and_order(build):
    summary = build(customers=None, today=TODAY)

    print(f"\nfull demo build: {summary.seconds:.1f} s, {summary.counts}")
    assert Customer.objects.filter(store=summary.store).count() == 23_570
    assert Order.objects.filter(store=summary.store).count() == 67_591
    assert OrderLine.objects.filter(store=summary.store).count() == summary.counts["order lines"]
    assert Fulfillment.objects.filter(store=summary.store).count() == summary.counts["shipments"]
    # Insights are there at the first login: both models fitted, every buyer scored.
    figures = StoreInsights.objects.get(store=summary.store).figures
    assert figures["clv"]["problem"] == "" and figures["clv"]["gamma_gamma_problem"] == ""
    buyers = Customer.objects.filter(store=summary.store, orders_count__gt=0).count()
    assert (
        CustomerScore.objects.filter(store=summary.store, p_alive__isnull=False).count() == buyers
    )
