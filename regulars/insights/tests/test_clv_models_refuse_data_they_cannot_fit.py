"""Where a model cannot be fitted, a ModelFitError says why, with a code for the dashboard;
nothing is returned half-fitted."""

import numpy as np
import pytest

from regulars.insights.clv import (
    FitErrorCode,
    ModelFitError,
    fit_bgnbd,
    fit_gammagamma,
    simulate_gammagamma,
)


def _error(fit, *args) -> ModelFitError:
    with pytest.raises(ModelFitError) as caught:
        fit(*args)
    return caught.value


def test_no_customers():
    e = _error(fit_bgnbd, [], [], [])
    assert (e.code, e.message) == (FitErrorCode.NO_ORDERS, "There are no customers.")


def test_no_repeat_customers():
    e = _error(fit_bgnbd, np.zeros(50, dtype=int), np.zeros(50), np.full(50, 10.0))
    assert e.code == FitErrorCode.TOO_FEW_REPEAT_CUSTOMERS
    assert e.message == (
        "BG/NBD needs at least 10 repeat customers (customers with more than one purchase"
        " day); these data have 0."
    )
    e = _error(fit_gammagamma, np.zeros(50, dtype=int), np.zeros(50))
    assert e.message == (
        "The Gamma-Gamma spend model needs at least 10 repeat customers (customers with more"
        " than one purchase day); these data have 0."
    )


def test_fewer_than_ten_repeat_customers():
    f = np.array([0] * 40 + [1, 2, 3] * 3)
    e = _error(fit_bgnbd, f, np.where(f > 0, 5.0, 0.0), np.full(f.size, 10.0))
    assert e.code == FitErrorCode.TOO_FEW_REPEAT_CUSTOMERS
    assert e.message.endswith("these data have 9.")


def test_a_single_frequency():
    e = _error(fit_bgnbd, np.full(30, 2), np.full(30, 5.0), np.full(30, 10.0))
    assert e.code == FitErrorCode.SINGLE_FREQUENCY
    assert e.message == (
        "BG/NBD needs customers with at least 2 different numbers of repeat purchases; every"
        " customer here has 2."
    )
    e = _error(fit_gammagamma, np.array([0] * 5 + [1] * 30), np.array([0.0] * 5 + [9.0] * 30))
    assert e.code == FitErrorCode.SINGLE_FREQUENCY
    assert e.message.endswith("every repeat customer here has 1.")


def test_customers_who_never_drop_out_leave_the_parameters_undetermined():
    f, T = np.array([1, 2] * 10), np.full(20, 10.0)  # everyone bought at the very end

    e = _error(fit_bgnbd, f, T.copy(), T)

    assert e.code == FitErrorCode.DID_NOT_CONVERGE
    assert e.message.startswith("The BG/NBD fit cannot pin down its parameters (")


def test_everyone_spending_exactly_the_same_is_fitted_at_one_mean_spend():
    # Not refused (any more): identical spend is the gamma's point-mass limit, fitted with one
    # mean spend for all (test_clv_gammagamma_fits_one_mean_spend_for_all.py). Whether the
    # optimiser first stops short of that limit depends on the SciPy release, so the test
    # states the outcome, not the path.
    fit = fit_gammagamma(np.array([1, 2, 3] * 10), np.full(30, 20.0))
    assert fit.same_mean_spend
    assert fit.p * fit.gamma / (fit.q - 1) == pytest.approx(20.0, rel=1e-3)


def test_spend_so_varied_that_its_mean_is_infinite():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 5, 5000)

    e = _error(fit_gammagamma, x, simulate_gammagamma(3.0, 0.8, 10.0, x, rng))

    assert e.code == FitErrorCode.DID_NOT_CONVERGE
    assert e.message.startswith("Spend varies so much between customers (q = 0.")


def test_histories_that_cannot_be():
    e = _error(fit_bgnbd, [1, 0], [12.0, 0.0], [10.0, 10.0])
    assert e.message == (
        "recency must be between 0 and T; it is not for 1 customer (the first at position 0)."
    )
    e = _error(fit_bgnbd, [0, 0], [0.0, 3.0], [10.0, 10.0])
    assert e.message == (
        "recency must be 0 for a customer without a repeat purchase; it is not for 1 customer"
        " (the first at position 1)."
    )
    e = _error(fit_bgnbd, [1.5], [1.0], [2.0])
    assert e.message.startswith("frequency must be a whole number >= 0; it is not for 1 customer")
    e = _error(fit_gammagamma, [1, 2], [3.0])
    assert e.message == (
        "frequency and monetary_value must be 1-dimensional arrays of one length (got shapes"
        " (2,), (1,))."
    )


def test_repeat_customers_without_positive_spend_are_left_out_and_counted():
    rng = np.random.default_rng(2)
    x = rng.integers(1, 6, 3000)
    m = simulate_gammagamma(6.0, 4.0, 20.0, x, rng)
    m[:7] = 0.0  # free orders

    fit = fit_gammagamma(x, m)

    assert fit.n == 2993
    assert fit.excluded == 7
