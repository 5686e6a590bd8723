"""NPS = % promoters (9-10) - % detractors (0-6), with its sample size and the adjusted-Wald
95 % interval (Rocks 2016); known values and the edge cases."""

import numpy as np
import pytest

from regulars.insights.surveys import nps, summarize


def test_fifty_promoters_thirty_passives_and_twenty_detractors_make_thirty():
    summary = nps([10] * 25 + [9] * 25 + [8] * 15 + [7] * 15 + [6] * 10 + [0] * 10)

    assert summary.kind == "nps"
    assert summary.value == 30.0
    assert summary.n == 100
    assert summary.counts == {"promoters": 50, "passives": 30, "detractors": 20}


def test_the_interval_is_the_adjusted_wald_interval():
    # By hand: n' = 103, pP = 50.75/103, pD = 20.75/103, d = pP - pD = 0.291262,
    # var = (pP + pD - d²)/n' = 0.0059159, d ± 1.959964·√var = 0.140511 .. 0.442013.
    low, high = nps([10] * 50 + [8] * 30 + [0] * 20).interval

    assert low == pytest.approx(14.0511, abs=1e-4)
    assert high == pytest.approx(44.2013, abs=1e-4)


def test_nine_and_ten_promote_seven_and_eight_are_passive_zero_to_six_detract():
    summary = nps(range(11))

    assert summary.counts == {"promoters": 2, "passives": 2, "detractors": 7}
    assert summary.value == pytest.approx(100 * (2 - 7) / 11)


def test_no_responses_give_no_score_and_no_interval():
    summary = nps([])

    assert (summary.n, summary.value, summary.interval) == (0, None, None)
    assert summary.counts == {"promoters": 0, "passives": 0, "detractors": 0}
    assert summary.as_dict() == {
        "kind": "nps",
        "n": 0,
        "value": None,
        "low": None,
        "high": None,
        "promoters": 0,
        "passives": 0,
        "detractors": 0,
    }


def test_all_promoters_make_100_with_an_interval_that_still_admits_doubt():
    summary = nps([10] * 10)

    assert summary.value == 100.0
    low, high = summary.interval
    assert high == 100.0
    # n' = 13, pP = 10.75/13, pD = 0.75/13: 0.769231 - 1.959964·0.150102 = 0.475036.
    assert low == pytest.approx(47.5036, abs=1e-4)


def test_all_detractors_make_minus_100():
    summary = nps([0, 3, 6] * 4)

    assert summary.value == -100.0
    low, high = summary.interval
    assert low == -100.0
    assert -100.0 < high < 0


def test_one_promoter_makes_100_with_an_interval_widened_to_include_it():
    summary = nps([9])

    assert (summary.n, summary.value) == (1, 100.0)
    low, high = summary.interval
    # The adjusted interval alone, centred on the shrunk 0.25, would stop at 98.5.
    assert low == pytest.approx(-48.4986, abs=1e-4)
    assert high == 100.0


def test_one_passive_makes_zero_with_a_symmetric_interval():
    summary = nps([7])

    low, high = summary.interval
    assert summary.value == 0.0
    assert low == pytest.approx(-high)
    assert high == pytest.approx(60.0114, abs=1e-4)


@pytest.mark.parametrize("shares", [(5, 3, 2), (10, 0, 0), (0, 0, 10), (1, 8, 1), (3, 0, 7)])
def test_the_interval_contains_the_value_and_narrows_as_n_grows(shares):
    promoters, passives, detractors = shares
    widths = []
    for scale in (1, 3, 10, 30, 100, 1000):
        summary = nps([10] * promoters * scale + [8] * passives * scale + [2] * detractors * scale)
        low, high = summary.interval
        assert -100.0 <= low <= summary.value <= high <= 100.0
        widths.append(high - low)
    assert widths == sorted(widths, reverse=True)
    assert widths[-1] < widths[0] / 10


def test_counts_per_score_give_the_same_summary_as_the_scores():
    assert summarize("nps", {10: 50, 7: 30, 3: 20}) == nps([10] * 50 + [7] * 30 + [3] * 20)


def test_it_reads_a_numpy_array_and_whole_floats():
    assert nps(np.array([10, 9, 0])).value == pytest.approx(100 / 3)
    assert nps([10.0, 9.0, 0.0]) == nps([10, 9, 0])


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([9, 11], "11 is outside the NPS scale 0–10"),
        ([-1], "-1 is outside the NPS scale 0–10"),
        ([9.5], "NPS scores are whole numbers from 0 to 10"),
        (["9"], "NPS scores are whole numbers from 0 to 10"),
    ],
)
def test_it_refuses_a_score_outside_the_scale(scores, message):
    with pytest.raises(ValueError, match=message):
        nps(scores)
