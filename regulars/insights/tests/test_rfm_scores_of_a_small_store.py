"""Recency, frequency and monetary value per customer, their scores and segments, as of a
moment, on a store of five customers whose values all differ (so the scores are 1 to 5):

  customer  orders  last order   days ago  spent    R F M  segment
  a         5       30 Jun       1         500.00   5 5 4  champions
  b         4       21 Jun       10        200.00   4 4 3  loyal
  c         3       1 Jun        30        60.00    3 3 2  need attention
  d         2       23 Mar       100       20.00    2 2 1  hibernating
  e         1       4 Sep 2025   300       1000.00  1 1 5  lost
"""

import numpy as np
import pytest
import time_machine

from regulars.commerce.models import Customer
from regulars.insights.orders_data import load_orders
from regulars.insights.rfm import rfm_scores
from regulars.insights.tests.purchases import buy, utc

AS_OF = utc("2026-07-01 00:00")


@pytest.fixture
def five(store):
    for n in range(5):
        buy(store, "a", f"2026-06-{26 + n} 00:00", "100.00")
    for day in ("2026-05-01", "2026-05-15", "2026-06-01", "2026-06-21"):
        buy(store, "b", f"{day} 00:00", "50.00")
    for day in ("2026-03-01", "2026-04-01", "2026-06-01"):
        buy(store, "c", f"{day} 00:00", "20.00")
    buy(store, "d", "2026-01-01 00:00", "10.00")
    buy(store, "d", "2026-03-23 00:00", "10.00")
    buy(store, "d", "2026-07-01 00:00", "999.00")  # at as_of: not before it, not counted
    buy(store, "e", "2025-09-04 00:00", "1000.00")
    buy(store, "f", "2026-07-05 00:00", "10.00")  # f's only order is after as_of
    return store


def by_customer(store, scores):
    names = dict(Customer.objects.filter(store=store).values_list("pk", "external_id"))
    return {names[int(pk)]: n for n, pk in enumerate(scores.customer_id)}


def test_recency_frequency_and_monetary_per_customer(five):
    scores = rfm_scores(load_orders(five), as_of=AS_OF)
    at = by_customer(five, scores)

    assert scores.customers == 5
    assert sorted(at) == ["a", "b", "c", "d", "e"]
    order = [at[name] for name in "abcde"]
    assert scores.recency_days[order].tolist() == [1.0, 10.0, 30.0, 100.0, 300.0]
    assert scores.frequency[order].tolist() == [5, 4, 3, 2, 1]
    assert scores.monetary[order].tolist() == [500.0, 200.0, 60.0, 20.0, 1000.0]


def test_scores_and_segments(five):
    scores = rfm_scores(load_orders(five), as_of=AS_OF)
    order = [by_customer(five, scores)[name] for name in "abcde"]

    assert scores.recency_score[order].tolist() == [5, 4, 3, 2, 1]
    assert scores.frequency_score[order].tolist() == [5, 4, 3, 2, 1]
    assert scores.monetary_score[order].tolist() == [4, 3, 2, 1, 5]
    assert scores.segment[order].tolist() == [
        "champions",
        "loyal",
        "need_attention",
        "hibernating",
        "lost",
    ]


def test_customers_are_in_customer_id_order(five):
    scores = rfm_scores(load_orders(five), as_of=AS_OF)

    assert np.all(np.diff(scores.customer_id) > 0)


def test_as_of_defaults_to_now(five):
    with time_machine.travel(AS_OF, tick=False):
        scores = rfm_scores(load_orders(five))

    assert scores.as_of == AS_OF
    assert sorted(scores.recency_days.tolist()) == [1.0, 10.0, 30.0, 100.0, 300.0]


def test_as_of_must_be_aware(five):
    with pytest.raises(ValueError, match="as_of must be an aware datetime"):
        rfm_scores(load_orders(five), as_of=AS_OF.replace(tzinfo=None))
