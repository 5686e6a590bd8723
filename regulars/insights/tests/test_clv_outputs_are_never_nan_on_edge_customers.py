"""Customers at the edges (first purchase at the very end, T = 0; hundreds of purchases;
silent for years) get finite numbers from every model function, never NaN."""

import numpy as np
import pytest

from regulars.insights.clv import (
    BGNBDFit,
    ModelFitError,
    conditional_expected_spend,
    expected_purchases,
    fit_bgnbd,
    fit_gammagamma,
    p_alive,
    predicted_clv,
    simulate_bgnbd,
    simulate_gammagamma,
    time_to_next_purchase,
)

# x, t_x, T (weeks): new today; new a week ago; bought 500 times; silent for 20 years;
# bought again just now; a repeat purchase at the very start and never since.
F = np.array([0, 0, 500, 3, 1, 1])
R = np.array([0.0, 0.0, 99.0, 1.0, 50.0, 0.0])
T = np.array([0.0, 1.0, 100.0, 1040.0, 50.0, 50.0])
M = np.array([0.0, 0.0, 12.5, 80.0, 30.0, 5.0])


def _fits():
    rng = np.random.default_rng(11)
    ages = np.concatenate([np.zeros(300), rng.uniform(0, 104, 5000)])  # 300 new today
    f, r = simulate_bgnbd(0.4, 5.0, 0.8, 2.5, ages, rng)
    m = simulate_gammagamma(6.0, 4.0, 20.0, f, rng)
    return fit_bgnbd(f, r, ages), fit_gammagamma(f, m)


def test_every_output_is_a_number():
    bg, gg = _fits()

    outputs = {
        "p_alive": p_alive(bg, F, R, T),
        "expected_purchases": expected_purchases(bg, 52.0, F, R, T),
        "spend": conditional_expected_spend(gg, F, M),
        "clv": predicted_clv(bg, gg, F, R, T, M, unit_days=7),
        "next": time_to_next_purchase(bg, F, R, T),
    }

    for name, values in outputs.items():
        assert not np.isnan(values).any(), name
    for name in ("p_alive", "expected_purchases", "spend", "clv"):
        assert np.isfinite(outputs[name]).all(), name
    assert outputs["p_alive"][:2].tolist() == [1.0, 1.0]
    assert outputs["p_alive"][3] < 1e-6  # silent for 20 years
    assert np.all(outputs["clv"] >= 0)


def test_new_customers_expect_nothing_in_no_time_and_a_zero_horizon_is_refused():
    bg = BGNBDFit(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, True, max_T=0.0)
    f, r, t = np.zeros(3, dtype=int), np.zeros(3), np.zeros(3)

    assert expected_purchases(bg, 0.0, f, r, t).tolist() == [0.0, 0.0, 0.0]
    assert np.all(np.isinf(time_to_next_purchase(bg, f, r, t, max_t=1.0)))
    with pytest.raises(ModelFitError, match="max_t must be positive"):
        time_to_next_purchase(bg, f, r, t)  # the fit saw no history: max_T = 0
