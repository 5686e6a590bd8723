"""When customers' mean spend differs only by chance, the gamma distribution of nu collapses to
a point (q and gamma run off together). The spend fit then estimates p and the one mean spend
instead of refusing, and every customer's expected spend is that mean, whatever their own."""

import json

import numpy as np

from regulars.insights.clv import (
    GammaGammaFit,
    conditional_expected_spend,
    fit_gammagamma,
    simulate_gammagamma,
)

P, MEAN_SPEND = 6.0, 60.0
Q = 1e12  # nu the same for every customer, to 1e-6
GAMMA = MEAN_SPEND * (Q - 1) / P


def _customers(seed: int = 4, n: int = 5_000):
    rng = np.random.default_rng(seed)
    frequency = rng.integers(0, 6, n)
    return frequency, simulate_gammagamma(P, Q, GAMMA, frequency, rng)


def test_p_and_the_mean_spend_are_recovered():
    frequency, spend = _customers()

    fit = fit_gammagamma(frequency, spend)

    assert fit.same_mean_spend
    errors = fit.standard_errors
    assert abs(fit.mean_spend - MEAN_SPEND) < 3 * errors["mean_spend"]
    assert abs(fit.mean_spend - MEAN_SPEND) < 0.02 * MEAN_SPEND
    assert abs(fit.p - P) < 3 * errors["p"] and abs(fit.p - P) < 0.15 * P
    assert errors["q"] is None and errors["gamma"] is None


def test_every_customer_is_expected_to_spend_the_mean_and_the_fit_survives_json():
    frequency, spend = _customers()
    fit = fit_gammagamma(frequency, spend)

    again = GammaGammaFit.from_dict(json.loads(json.dumps(fit.as_dict(), allow_nan=False)))

    expected = conditional_expected_spend(again, [1, 5, 0], [20.0, 150.0, 0.0])
    assert np.allclose(expected, fit.mean_spend, rtol=0.01)
    assert again.same_mean_spend


def test_customers_whose_spend_differs_keep_the_gamma():
    rng = np.random.default_rng(4)
    frequency = rng.integers(0, 6, 5_000)
    spend = simulate_gammagamma(6.0, 4.0, 15.0, frequency, rng)

    assert not fit_gammagamma(frequency, spend).same_mean_spend
