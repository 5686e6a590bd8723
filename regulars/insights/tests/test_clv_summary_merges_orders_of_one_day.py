"""summarize(): one row per order in, per-customer frequency, recency, age and spend out."""

import numpy as np

from regulars.insights.clv import summarize


def test_orders_of_one_day_are_one_purchase_with_their_values_summed():
    # customer 7: two orders on day 0, one on day 10, one on day 24; customer 3: one order.
    ids = [7, 7, 3, 7, 7]
    days = [0.25, 0.75, 5.5, 10.0, 24.9]
    values = [10.0, 5.0, 99.0, 20.0, 40.0]

    s = summarize(ids, days, values, observation_end=31.0)

    assert s.customer_ids.tolist() == [3, 7]
    assert s.frequency.tolist() == [0, 2]
    assert s.recency.tolist() == [0.0, 24.9 - 0.25]
    assert s.T.tolist() == [31.0 - 5.5, 31.0 - 0.25]
    # The first purchase (15.00 on day 0) is left out of the mean: (20 + 40) / 2.
    assert s.monetary_value.tolist() == [0.0, 30.0]
    assert s.holdout_frequency is None and s.holdout_length is None
    assert s.orders_after_end == 0


def test_times_may_be_dates_and_the_unit_weeks():
    ids = np.array([1, 1, 1, 2], dtype=np.int32)
    times = np.array(
        ["2024-01-01T09:00", "2024-01-01T18:00", "2024-01-15T12:00", "2024-01-08T00:00"],
        dtype="datetime64[s]",
    )

    s = summarize(ids, times, [1.0, 2.0, 4.0, 8.0], observation_end="2024-01-29", unit_days=7)

    assert s.frequency.tolist() == [1, 0]
    assert s.recency.tolist() == [(14 + 3 / 24) / 7, 0.0]
    assert s.T.tolist() == [(28 - 9 / 24) / 7, 3.0]
    assert s.monetary_value.tolist() == [4.0, 0.0]
    assert s.unit_days == 7.0


def test_orders_after_the_observation_end_are_left_out_and_counted():
    s = summarize([1, 1, 1], [0.0, 5.0, 12.0], [1.0, 2.0, 3.0], observation_end=10.0)

    assert s.frequency.tolist() == [1]
    assert s.recency.tolist() == [5.0]
    assert s.monetary_value.tolist() == [2.0]
    assert s.orders_after_end == 1


def test_a_calibration_end_splits_off_the_holdout_purchases():
    # 1 buys on days 0, 3 (twice), 12, 15; 2 on day 2 only; 3 first buys in the holdout.
    ids = [1, 1, 1, 1, 1, 2, 3, 3]
    days = [0.0, 3.1, 3.9, 12.0, 15.0, 2.0, 11.0, 14.0]
    values = [5.0, 1.0, 2.0, 7.0, 9.0, 4.0, 6.0, 6.0]

    s = summarize(ids, days, values, observation_end=20.0, calibration_end=10.0)

    assert s.customer_ids.tolist() == [1, 2]
    assert s.frequency.tolist() == [1, 0]
    assert s.recency.tolist() == [3.1, 0.0]
    assert s.T.tolist() == [10.0, 8.0]
    assert s.monetary_value.tolist() == [3.0, 0.0]
    assert s.holdout_frequency.tolist() == [2, 0]
    assert s.holdout_length == 10.0


def test_a_day_that_straddles_the_calibration_end_counts_on_both_sides():
    s = summarize(
        [1, 1, 1], [0.0, 4.25, 4.75], [1.0, 2.0, 3.0], observation_end=6.0, calibration_end=4.5
    )

    assert s.frequency.tolist() == [1]
    assert s.monetary_value.tolist() == [2.0]
    assert s.holdout_frequency.tolist() == [1]


def test_huge_customer_ids_are_sorted_without_a_combined_key():
    big = np.iinfo(np.int64).max
    s = summarize([big, -big, big], [0.0, 1.0, 2.0], [1.0, 1.0, 3.0], observation_end=2.0)

    assert s.customer_ids.tolist() == [-big, big]
    assert s.frequency.tolist() == [0, 1]
    assert s.monetary_value.tolist() == [0.0, 3.0]
