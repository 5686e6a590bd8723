"""BG/NBD fitted to 20,000 customers simulated from known parameters recovers them: each
within 3 of its standard errors and 15 % of its value."""

import numpy as np

from regulars.insights.clv import BGNBDFit, expected_purchases_new, fit_bgnbd, simulate_bgnbd

TRUE = np.array([0.5, 6.0, 0.7, 3.0])  # r, alpha, a, b


def test_parameters_are_recovered():
    rng = np.random.default_rng(2024)
    T = rng.uniform(26, 52, 20_000)  # ages of half a year to a year, in weeks
    f, r = simulate_bgnbd(*TRUE, T, rng)

    fit = fit_bgnbd(f, r, T)

    errors = np.array([fit.standard_errors[k] for k in ("r", "alpha", "a", "b")])
    assert np.all(np.abs(fit.params - TRUE) < 3 * errors)
    assert np.all(np.abs(fit.params - TRUE) < 0.15 * TRUE)


def test_the_simulation_follows_the_model():
    rng = np.random.default_rng(5)
    T = np.full(200_000, 40.0)

    f, r = simulate_bgnbd(*TRUE, T, rng)

    # The mean number of repeat purchases by age 40 against equation (9), E[X(40)].
    model = BGNBDFit(*TRUE, log_likelihood=0.0, n=0, converged=True)
    assert abs(f.mean() - expected_purchases_new(model, 40.0)) < 0.02
    assert np.all((r == 0) == (f == 0))
    assert np.all((r >= 0) & (r <= T))
