"""RFM works with fewer customers than quintiles: scores stay in 1..5, ties score alike."""

from regulars.insights.orders_data import load_orders
from regulars.insights.rfm import rfm_scores, segment_summary
from regulars.insights.tests.purchases import buy, utc

AS_OF = utc("2026-07-01 00:00")


def test_one_customer_has_no_one_to_be_better_than(store):
    buy(store, "ana", "2026-06-30 00:00", "10.00")

    scores = rfm_scores(load_orders(store), as_of=AS_OF)

    assert (scores.recency_score.tolist(), scores.frequency_score.tolist()) == ([1], [1])
    assert scores.monetary_score.tolist() == [1]
    assert scores.segment.tolist() == ["lost"]
    assert sum(s.customers for s in segment_summary(scores)) == 1


def test_two_customers_score_one_and_five(store):
    buy(store, "ana", "2026-06-30 00:00", "10.00")
    buy(store, "ana", "2026-06-29 00:00", "10.00")
    buy(store, "ben", "2026-01-01 00:00", "30.00")

    scores = rfm_scores(load_orders(store), as_of=AS_OF)
    ana = scores.frequency.tolist().index(2)
    ben = 1 - ana

    assert scores.recency_score[[ana, ben]].tolist() == [5, 1]
    assert scores.frequency_score[[ana, ben]].tolist() == [5, 1]
    assert scores.monetary_score[[ana, ben]].tolist() == [1, 5]
    assert scores.segment[[ana, ben]].tolist() == ["champions", "lost"]


def test_three_one_time_buyers_share_the_frequency_score(store):
    buy(store, "ana", "2026-06-30 00:00", "10.00")
    buy(store, "ben", "2026-05-01 00:00", "10.00")
    buy(store, "cleo", "2026-01-01 00:00", "10.00")

    scores = rfm_scores(load_orders(store), as_of=AS_OF)

    assert scores.frequency_score.tolist() == [1, 1, 1]
    assert scores.monetary_score.tolist() == [1, 1, 1]
    assert sorted(scores.recency_score.tolist()) == [1, 3, 5]
    assert sorted(scores.segment.tolist()) == ["about_to_sleep", "lost", "new"]
