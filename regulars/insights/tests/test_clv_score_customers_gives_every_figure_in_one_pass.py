"""score_customers() gives, in one pass, the same numbers as the separate functions."""

import numpy as np

from regulars.insights.clv import (
    conditional_expected_spend,
    expected_purchases,
    fit_bgnbd,
    fit_gammagamma,
    p_alive,
    predicted_clv,
    score_customers,
)
from regulars.insights.tests.clv_cdnow import calibration


def test_the_same_numbers_as_the_separate_functions():
    s = calibration()
    data = (s.frequency, s.recency, s.T)
    bg = fit_bgnbd(*data)
    gg = fit_gammagamma(s.frequency, s.monetary_value)

    scores = score_customers(bg, gg, *data, s.monetary_value, t=52.0, horizon_months=6, unit_days=7)

    np.testing.assert_array_equal(scores.p_alive, p_alive(bg, *data))
    np.testing.assert_allclose(
        scores.expected_purchases, expected_purchases(bg, 52.0, *data), rtol=1e-12
    )
    np.testing.assert_array_equal(
        scores.expected_spend, conditional_expected_spend(gg, s.frequency, s.monetary_value)
    )
    np.testing.assert_array_equal(
        scores.predicted_clv,
        predicted_clv(bg, gg, *data, s.monetary_value, horizon_months=6, unit_days=7),
    )


def test_without_a_horizon_t_there_are_no_expected_purchases():
    s = calibration()
    bg = fit_bgnbd(s.frequency, s.recency, s.T)
    gg = fit_gammagamma(s.frequency, s.monetary_value)

    scores = score_customers(bg, gg, s.frequency, s.recency, s.T, s.monetary_value, unit_days=7)

    assert scores.expected_purchases is None
    assert scores.predicted_clv.shape == (2357,)
