"""A full refresh keeps the store's figures and scores every customer with a paid order; an
order paid afterwards rescores its customer with the fitted models."""

from datetime import timedelta

import pytest
import time_machine

from regulars.commerce.models import Customer
from regulars.insights.models import CustomerScore, StoreInsights
from regulars.insights.services import do_refresh_insights
from regulars.insights.tests.history import NOW, build_history, paid_order

pytestmark = pytest.mark.django_db


def test_every_customer_with_a_paid_order_is_scored(store, other_store):
    build_history(store)
    build_history(other_store, customers=5, prefix="x")
    paid_order(store, "cancelled-1", "no-purchase", NOW, status="cancelled")

    report = do_refresh_insights(store, now=NOW)

    scored = CustomerScore.objects.filter(store=store)
    buyers = Customer.objects.filter(store=store, orders_count__gt=0)
    assert sorted(scored.values_list("customer_id", flat=True)) == sorted(
        buyers.values_list("pk", flat=True)
    )
    assert not scored.filter(customer__external_id="no-purchase").exists()
    assert not CustomerScore.objects.filter(store=other_store).exists()
    for score in scored:
        assert 0 <= score.p_alive <= 1
        assert score.predicted_clv is not None and score.predicted_clv >= 0
        assert score.orders == score.customer.orders_count
        assert 1 <= score.recency_score <= 5
    figures = report.figures
    assert figures["clv"]["problem"] == ""
    assert figures["clv"]["bgnbd"]["customers"] == buyers.count()
    assert figures["churn"]["at_risk"] == scored.filter(churn_risk=True).count()
    assert sum(s["customers"] for s in figures["segments"]) == buyers.count()
    assert [p["key"] for p in figures["periods"]] == ["30d", "90d", "12m", "all"]


def test_a_store_without_repeat_customers_says_why_instead_of_scoring_the_models(store):
    paid_order(store, "1", "only-once", NOW - timedelta(days=3))

    figures = do_refresh_insights(store, now=NOW).figures

    assert "cannot be fitted" in figures["clv"]["problem"]
    score = CustomerScore.objects.get(store=store)
    assert score.p_alive is None and score.predicted_clv is None
    assert score.segment  # RFM needs no model


def test_an_order_paid_later_rescores_its_customer(store, django_capture_on_commit_callbacks):
    build_history(store)
    do_refresh_insights(store, now=NOW)
    first_timer = CustomerScore.objects.filter(store=store, orders=1).first()
    customer = first_timer.customer.external_id

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        paid_order(store, "later-1", customer, NOW - timedelta(hours=1))

    rescored = CustomerScore.objects.get(pk=first_timer.pk)
    assert rescored.orders == 2
    assert rescored.frequency == 1
    assert StoreInsights.objects.get(store=store).scored_through == NOW
