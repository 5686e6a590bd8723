"""When every customer drops out with the same probability after a purchase, the beta
distribution of that probability collapses to a point (a and b run off together). The fit then
estimates r, alpha and that one probability instead of refusing, and says so."""

import json

import numpy as np

from regulars.insights.clv import BGNBDFit, fit_bgnbd, p_alive, simulate_bgnbd

R, ALPHA, DROPOUT = 0.8, 5.0, 0.25


def _customers(seed: int = 0, n: int = 20_000):
    rng = np.random.default_rng(seed)
    T = rng.uniform(26, 52, n)
    # a beta this concentrated is the same p for every customer, to 1e-4
    f, r = simulate_bgnbd(R, ALPHA, DROPOUT * 1e9, (1 - DROPOUT) * 1e9, T, rng)
    return f, r, T


def test_the_common_dropout_chance_and_the_rate_are_recovered():
    f, r, T = _customers()

    fit = fit_bgnbd(f, r, T)

    assert fit.same_dropout
    errors = fit.standard_errors
    assert abs(fit.dropout - DROPOUT) < 3 * errors["p"] and abs(fit.dropout - DROPOUT) < 0.03
    assert abs(fit.r - R) < 3 * errors["r"] and abs(fit.r - R) < 0.15 * R
    assert abs(fit.alpha - ALPHA) < 3 * errors["alpha"] and abs(fit.alpha - ALPHA) < 0.15 * ALPHA
    assert errors["a"] is None and errors["b"] is None  # only their ratio is determined


def test_the_fit_predicts_and_survives_json():
    f, r, T = _customers()
    fit = fit_bgnbd(f, r, T)

    again = BGNBDFit.from_dict(json.loads(json.dumps(fit.as_dict(), allow_nan=False)))

    alive = p_alive(again, f, r, T)
    assert np.all((alive >= 0) & (alive <= 1))
    assert again.same_dropout and again.dropout == fit.dropout


def test_customers_with_spread_dropout_keep_the_beta():
    rng = np.random.default_rng(2024)
    T = rng.uniform(26, 52, 20_000)
    f, r = simulate_bgnbd(0.5, 6.0, 0.7, 3.0, T, rng)

    assert not fit_bgnbd(f, r, T).same_dropout
