"""Gamma-Gamma fitted to 20,000 repeat customers simulated from known parameters recovers
them: each within 3 of its standard errors and 10 % of its value."""

import numpy as np

from regulars.insights.clv import fit_gammagamma, simulate_gammagamma

TRUE = np.array([6.0, 4.0, 20.0])  # p, q, gamma


def test_parameters_are_recovered():
    rng = np.random.default_rng(2024)
    x = rng.integers(1, 8, 20_000)
    m = simulate_gammagamma(*TRUE, x, rng)

    fit = fit_gammagamma(x, m)

    errors = np.array([fit.standard_errors[k] for k in ("p", "q", "gamma")])
    assert np.all(np.abs(fit.params - TRUE) < 3 * errors)
    assert np.all(np.abs(fit.params - TRUE) < 0.10 * TRUE)
    assert fit.independence == "weak"  # spend was drawn independently of frequency


def test_one_time_buyers_get_no_spend_and_are_ignored_by_the_fit():
    rng = np.random.default_rng(3)
    x = np.concatenate([np.zeros(500, dtype=int), rng.integers(1, 8, 5_000)])
    m = simulate_gammagamma(*TRUE, x, rng)

    fit = fit_gammagamma(x, m)

    assert np.all(m[:500] == 0.0)
    assert fit.n == 5_000
