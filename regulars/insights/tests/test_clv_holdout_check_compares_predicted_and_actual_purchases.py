"""holdout_check(): fit on the calibration period, predict the holdout period, compare per
group of calibration-period frequency (0, 1, ... 7+), as Fader, Hardie & Lee (2005) figure 4."""

import numpy as np
import pytest

from regulars.insights.clv import ModelFitError, holdout_check, summarize
from regulars.insights.tests.clv_cdnow import calibration


def test_on_the_cdnow_sample():
    check = holdout_check(calibration())

    assert [g.label for g in check.groups] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert [g.customers for g in check.groups] == [1411, 439, 214, 100, 62, 38, 29, 64]
    actual = [round(g.actual, 3) for g in check.groups]
    assert actual == [0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359]
    # Close for one-time and frequent buyers, short for one or two repeat purchases; in total
    # 12 % short of the actual (the published parameters give the same: see the fit below).
    predicted = [round(g.predicted, 3) for g in check.groups]
    assert predicted == [0.225, 0.523, 1.044, 1.52, 2.164, 2.654, 3.504, 6.157]
    assert round(check.fit.log_likelihood, 1) == -9582.4
    assert check.holdout_length == 39.0
    assert check.total_actual == 1882
    assert round(check.total_predicted) == 1653
    assert round(check.total_error, 3) == -0.121
    assert round(check.group_mean_absolute_error, 3) == 0.224
    assert round(check.mean_absolute_error, 3) == 0.785
    assert check.as_rows()[7] == {
        "calibration_purchases": "7+",
        "customers": 64,
        "actual": check.groups[7].actual,
        "predicted": check.groups[7].predicted,
    }


def _orders_from_the_model(n, r, alpha, a, b, weeks, rng):
    """One row per purchase of n customers who each make their first purchase in the first 13
    weeks and follow BG/NBD until `weeks`: repeat purchases at the Poisson times of their
    rate until they drop out (after each repeat purchase, with probability p)."""
    first = rng.uniform(0, 13, n)
    lam = rng.gamma(r, 1 / alpha, n)
    before_dropout = rng.geometric(rng.beta(a, b, n))
    counts = rng.poisson(lam * (weeks - first))
    owner = np.repeat(np.arange(n), counts)
    at = first[owner] + rng.uniform(0, 1, owner.size) * (weeks - first)[owner]
    order = np.lexsort((at, owner))
    owner, at = owner[order], at[order]
    rank = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    kept = rank < before_dropout[owner]
    ids = np.concatenate([np.arange(n), owner[kept]])
    return ids, np.concatenate([first, at[kept]]) * 7, np.ones(ids.size)  # times in days


def test_on_customers_drawn_from_the_model_the_prediction_is_right():
    rng = np.random.default_rng(8)
    ids, days, values = _orders_from_the_model(20_000, 0.5, 6.0, 0.7, 3.0, 78, rng)
    s = summarize(ids, days, values, observation_end=78 * 7, calibration_end=39 * 7, unit_days=7)

    check = holdout_check(s)

    assert abs(check.total_error) < 0.03
    for group in check.groups:
        assert abs(group.predicted - group.actual) < 0.15 * group.actual + 0.05, group


def test_a_summary_without_a_holdout_period_is_refused():
    s = summarize([1, 1], [0.0, 3.0], [1.0, 1.0], observation_end=5.0)

    with pytest.raises(ModelFitError, match="This summary has no holdout period"):
        holdout_check(s)
