"""segment_summary: every segment, best first, with its customers and their total spent."""

from regulars.insights.orders_data import load_orders
from regulars.insights.rfm import SEGMENTS, rfm_scores, segment_summary
from regulars.insights.tests.purchases import buy, utc

AS_OF = utc("2026-07-01 00:00")


def test_sizes_revenue_and_shares_of_each_segment(store):
    # The store of test_rfm_scores_of_a_small_store plus g, a second one-time buyer as long
    # ago as e. Six customers move the bands (p counts the 5 others):
    #   a  1 day,   5 orders, 500   R5 F5  champions
    #   b  10 days, 4 orders, 200   R5 F5  champions  (beats 4 of 5: 1 + floor(4) = 5)
    #   c  30 days, 3 orders,  60   R4 F4  loyal
    #   d  100 days, 2 orders, 20   R3 F3  need attention
    #   e, g  300 days, 1 order, 1000 and 20: tied on R and F, both R1 F1, lost
    for n in range(5):
        buy(store, "a", f"2026-06-{26 + n} 00:00", "100.00")
    for day in ("2026-05-01", "2026-05-15", "2026-06-01", "2026-06-21"):
        buy(store, "b", f"{day} 00:00", "50.00")
    for day in ("2026-03-01", "2026-04-01", "2026-06-01"):
        buy(store, "c", f"{day} 00:00", "20.00")
    buy(store, "d", "2026-01-01 00:00", "10.00")
    buy(store, "d", "2026-03-23 00:00", "10.00")
    buy(store, "e", "2025-09-04 00:00", "1000.00")
    buy(store, "g", "2025-09-04 00:00", "20.00")

    summary = segment_summary(rfm_scores(load_orders(store), as_of=AS_OF))
    found = {s.segment: (s.customers, s.revenue) for s in summary if s.customers}

    assert [s.segment for s in summary] == [s.value for s in SEGMENTS]
    assert found == {
        "champions": (2, 700.0),
        "loyal": (1, 60.0),
        "need_attention": (1, 20.0),
        "lost": (2, 1020.0),
    }
    lost = summary[-1]
    assert lost.customer_share == 2 / 6
    assert lost.revenue_share == 1020 / 1800
    assert lost.as_dict() == {
        "segment": "lost",
        "label": "Lost",
        "rule": "R 1, F 1",
        "customers": 2,
        "revenue": 1020.0,
        "customer_share": 2 / 6,
        "revenue_share": 1020 / 1800,
    }
    assert summary[0].as_dict()["customer_share"] == 2 / 6


def test_segments_without_customers_are_listed_with_zero(store):
    buy(store, "a", "2026-06-30 00:00", "10.00")

    summary = segment_summary(rfm_scores(load_orders(store), as_of=AS_OF))

    assert len(summary) == 11
    assert sum(s.customers for s in summary) == 1
    assert summary[0].segment == "champions"
    assert (summary[0].customers, summary[0].revenue, summary[0].customer_share) == (0, 0.0, 0.0)
