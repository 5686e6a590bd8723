"""A full refresh keeps the store's figures and scores every customer with a paid order; an
order paid afterwards rescores its customer with the fitted models."""

from datetime import timedelta

import pytest
import time_machine

from regulars.insights.models import CustomerScore, StoreInsights
from regulars.insights.services import do_refresh_insights
from regulars.insights.tests.history import NOW, build_history, paid_order

pytestmark = pytest.mark.django_db


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
