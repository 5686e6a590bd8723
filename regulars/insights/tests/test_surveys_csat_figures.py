"""CSAT = % of answers that are 4 or 5 on the 1-5 scale, with its sample size and the Wilson
score 95 % interval; known values and the edge cases."""

import pytest

from regulars.insights.surveys import csat, summarize


def test_eight_satisfied_of_ten_make_eighty_with_the_wilson_interval():
    summary = csat([5, 5, 5, 5, 4, 4, 4, 4, 3, 1])

    assert summary.kind == "csat"
    assert (summary.n, summary.value) == (10, 80.0)
    assert summary.counts == {"satisfied": 8, "neutral": 1, "dissatisfied": 1}
    # The textbook Wilson interval for 8 of 10 at 95 %: 0.4902 to 0.9433.
    low, high = summary.interval
    assert low == pytest.approx(49.0162, abs=1e-4)
    assert high == pytest.approx(94.3318, abs=1e-4)


def test_four_and_five_satisfy_three_is_neutral_one_and_two_dissatisfy():
    summary = csat([1, 2, 3, 4, 5])

    assert summary.counts == {"satisfied": 2, "neutral": 1, "dissatisfied": 2}
    assert summary.value == 40.0


def test_no_responses_give_no_score_and_no_interval():
    summary = csat([])

    assert (summary.n, summary.value, summary.interval) == (0, None, None)


def test_all_satisfied_make_100_with_an_interval_below_it():
    summary = csat([5] * 10)

    assert summary.value == 100.0
    low, high = summary.interval
    assert high == 100.0
    assert low == pytest.approx(72.2467, abs=1e-4)


def test_none_satisfied_make_zero():
    summary = csat([1, 2, 3])

    low, high = summary.interval
    assert (summary.value, low) == (0.0, 0.0)
    assert 0.0 < high < 100.0


def test_one_response_has_a_wide_interval():
    summary = csat([4])

    low, high = summary.interval
    assert (summary.n, summary.value, high) == (1, 100.0, 100.0)
    assert low == pytest.approx(20.6549, abs=1e-4)


@pytest.mark.parametrize("shares", [(7, 2, 1), (10, 0, 0), (0, 0, 10), (1, 1, 8)])
def test_the_interval_contains_the_value_and_narrows_as_n_grows(shares):
    satisfied, neutral, dissatisfied = shares
    widths = []
    for scale in (1, 3, 10, 30, 100, 1000):
        summary = csat([5] * satisfied * scale + [3] * neutral * scale + [1] * dissatisfied * scale)
        low, high = summary.interval
        assert 0.0 <= low <= summary.value <= high <= 100.0
        widths.append(high - low)
    assert widths == sorted(widths, reverse=True)
    assert widths[-1] < widths[0] / 10


def test_counts_per_score_give_the_same_summary_as_the_scores():
    assert summarize("csat", {5: 3, 2: 1}) == csat([5, 5, 5, 2])


@pytest.mark.parametrize(
    ("scores", "message"),
    [([0], "0 is outside the CSAT scale 1–5"), ([6], "6 is outside the CSAT scale 1–5")],
)
def test_it_refuses_a_score_outside_the_scale(scores, message):
    with pytest.raises(ValueError, match=message):
        csat(scores)


def test_it_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="'ces' is not a survey kind; use one of nps, csat"):
        summarize("ces", {5: 1})
