"""Quintile scores: 1 + floor(5 x share of the other customers strictly worse), at most 5.
Equal values score alike; any number of customers works."""

import numpy as np

from regulars.insights.rfm import quintile_scores


def scores(values, **kwargs):
    return quintile_scores(np.array(values), **kwargs).tolist()


def test_ten_different_values_make_two_customers_per_quintile():
    assert scores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_five_different_values_score_one_to_five_in_any_order():
    assert scores([3.5, 1.0, 9.0, 2.0, 4.0]) == [3, 1, 5, 2, 4]


def test_fewer_is_better_for_recency():
    assert scores([3.5, 1.0, 9.0, 2.0, 4.0], higher_is_better=False) == [3, 5, 1, 4, 2]


def test_equal_values_get_equal_scores():
    # Seven one-time buyers share the lowest score; the two with 2 orders beat 7 of the 9
    # others (5 x 7 / 9 = 3.9: score 4); the one with 3 orders beats all 9.
    assert scores([1, 1, 2, 1, 1, 3, 1, 2, 1, 1]) == [1, 1, 4, 1, 1, 5, 1, 4, 1, 1]


def test_everyone_equal_scores_one():
    assert scores([2, 2, 2, 2, 2, 2]) == [1] * 6
    assert scores([2, 2, 2], higher_is_better=False) == [1] * 3


def test_fewer_than_five_customers():
    assert scores([]) == []
    assert scores([42]) == [1]
    assert scores([7, 3]) == [5, 1]
    assert scores([7, 3, 5]) == [5, 1, 3]
    assert scores([4, 1, 3, 2]) == [5, 1, 4, 2]


def test_the_scores_are_small_integers():
    assert quintile_scores(np.arange(1000)).dtype.name == "int8"
    assert np.bincount(quintile_scores(np.arange(1000))).tolist() == [0, 200, 200, 200, 200, 200]
