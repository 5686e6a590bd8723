"""A store without purchases before as_of has no RFM scores and empty segments."""

from regulars.insights.orders_data import load_orders
from regulars.insights.rfm import rfm_scores, segment_summary
from regulars.insights.tests.purchases import buy, utc


def test_no_orders_give_no_scores_and_empty_segments(store):
    scores = rfm_scores(load_orders(store), as_of=utc("2026-07-01 00:00"))
    summary = segment_summary(scores)

    assert scores.customers == 0
    assert scores.segment.tolist() == []
    assert [(s.customers, s.revenue) for s in summary] == [(0, 0.0)] * 11
    assert {(s.customer_share, s.revenue_share) for s in summary} == {(None, None)}


def test_orders_only_after_as_of_count_as_none(store):
    buy(store, "ana", "2026-07-02 00:00", "10.00")

    scores = rfm_scores(load_orders(store), as_of=utc("2026-07-01 00:00"))

    assert scores.customers == 0
    assert sum(s.customers for s in segment_summary(scores)) == 0
