"""predicted_clv(): for each month of the horizon, the purchases expected in that month times
the expected spend, discounted by (1 + monthly rate) ** month, summed."""

import numpy as np
import pytest

from regulars.insights.clv import (
    DAYS_PER_MONTH,
    BGNBDFit,
    GammaGammaFit,
    ModelFitError,
    conditional_expected_spend,
    expected_purchases,
    predicted_clv,
)

BG = BGNBDFit(0.243, 4.414, 0.793, 2.426, log_likelihood=-9582.4, n=2357, converged=True)
GG = GammaGammaFit(2.0, 3.0, 10.0, 0.0, 100, True, 0.0, "weak", "")
# Three customers (weeks): a regular, a lapsed repeat buyer, a one-time buyer.
F, R, T, M = np.array([6, 2, 0]), np.array([30.0, 5.0, 0.0]), np.full(3, 32.0), [25.0, 40.0, 0.0]
MONTH_IN_WEEKS = DAYS_PER_MONTH / 7


def test_expected_spend_weighs_the_customer_against_the_population():
    # (gamma + m x) p / (p x + q - 1); one-time buyers: the population mean p gamma / (q - 1).
    spend = conditional_expected_spend(GG, F, M)

    np.testing.assert_allclose(spend, [(10 + 150) * 2 / 14, (10 + 80) * 2 / 6, 10.0])


def test_without_discount_it_is_spend_times_the_purchases_of_the_whole_horizon():
    value = predicted_clv(
        BG, GG, F, R, T, M, horizon_months=12, monthly_discount_rate=0.0, unit_days=7
    )

    purchases = expected_purchases(BG, 12 * MONTH_IN_WEEKS, F, R, T)
    np.testing.assert_allclose(value, conditional_expected_spend(GG, F, M) * purchases, rtol=1e-12)


def test_each_month_is_discounted_by_its_own_factor():
    value = predicted_clv(
        BG, GG, F, R, T, M, horizon_months=2, monthly_discount_rate=0.10, unit_days=7
    )

    first = expected_purchases(BG, MONTH_IN_WEEKS, F, R, T)
    both = expected_purchases(BG, 2 * MONTH_IN_WEEKS, F, R, T)
    spend = conditional_expected_spend(GG, F, M)
    np.testing.assert_allclose(value, spend * (first / 1.1 + (both - first) / 1.21), rtol=1e-12)


def test_the_time_unit_only_rescales_the_inputs():
    in_weeks = predicted_clv(BG, GG, F, R, T, M, unit_days=7)
    days = BGNBDFit(0.243, 4.414 * 7, 0.793, 2.426, -9582.4, 2357, True)

    in_days = predicted_clv(days, GG, F, R * 7, T * 7, M, unit_days=1)

    np.testing.assert_allclose(in_days, in_weeks, rtol=1e-10)
    assert in_weeks[0] > in_weeks[1] > 0 and in_weeks[2] > 0


def test_it_refuses_a_horizon_or_rate_that_makes_no_sense():
    with pytest.raises(ModelFitError, match="horizon_months must be a whole number >= 1"):
        predicted_clv(BG, GG, F, R, T, M, horizon_months=0)
    with pytest.raises(ModelFitError, match="monthly_discount_rate must be a number above -1"):
        predicted_clv(BG, GG, F, R, T, M, monthly_discount_rate=-1.0)
