"""Predicted customer lifetime value over a horizon: BG/NBD purchases times Gamma-Gamma spend.

Following the `lifetimes` library's discounted-cash-flow approach: for each month m of the
horizon, the purchases expected in that month (the difference of the cumulative expectations at
the end and the start of the month) times the customer's expected spend per purchase, discounted
by (1 + monthly rate)^m, summed. A month is 365.25 / 12 days. The result is in the currency of
the monetary values given.

Vectorised: the expectation for an active customer depends only on frequency and age, so it is
computed once per distinct (x, T) and month and multiplied by each customer's P(alive).
"""

from dataclasses import dataclass

import numpy as np

from ._shared import as_rft, group_rows
from .bgnbd import _alive_expectation, _horizon, _p_alive
from .errors import ModelFitError, require_finite
from .gammagamma import conditional_expected_spend

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Scores:
    """Per-customer figures, in the order of the customers given."""

    p_alive: np.ndarray
    expected_purchases: np.ndarray | None  # in the next `t`; None when no t was asked for
    expected_spend: np.ndarray  # per purchase, Gamma-Gamma
    predicted_clv: np.ndarray  # discounted, over the horizon


def predicted_clv(
    bg_fit,
    gg_fit,
    frequency,
    recency,
    T,
    monetary_value,
    *,
    horizon_months: int = 12,
    monthly_discount_rate: float = 0.01,
    unit_days: float = 1.0,
) -> np.ndarray:
    """Each customer's discounted expected spend over the next `horizon_months` months.
    frequency, recency and T are in units of `unit_days` days, as the BG/NBD fit was."""
    return score_customers(
        bg_fit,
        gg_fit,
        frequency,
        recency,
        T,
        monetary_value,
        horizon_months=horizon_months,
        monthly_discount_rate=monthly_discount_rate,
        unit_days=unit_days,
    ).predicted_clv


def score_customers(
    bg_fit,
    gg_fit,
    frequency,
    recency,
    T,
    monetary_value,
    *,
    t: float | None = None,
    horizon_months: int = 12,
    monthly_discount_rate: float = 0.01,
    unit_days: float = 1.0,
) -> Scores:
    """P(alive), expected purchases in the next `t` (when given), expected spend and predicted
    CLV of every customer in one pass: the inputs checked and the customers grouped once, the
    hypergeometric function evaluated once per distinct (x, T) and time. The same numbers as
    `p_alive`, `expected_purchases`, `conditional_expected_spend` and `predicted_clv`."""
    f, r, age = as_rft(frequency, recency, T)
    _check_horizon(horizon_months, monthly_discount_rate, unit_days)
    spend = conditional_expected_spend(gg_fit, f, monetary_value)
    months = np.arange(int(horizon_months) + 1)
    times = months * DAYS_PER_MONTH / unit_days
    if t is not None:
        times = np.append(times, _horizon(t))
    (xs, Ts), inverse = group_rows(f, age)
    cumulative = _alive_expectation(bg_fit, xs[:, None], Ts[:, None], times[None, :])
    discount = (1.0 + monthly_discount_rate) ** -months[1:]
    discounted = (np.diff(cumulative[:, : months.size], axis=1) * discount).sum(axis=1)
    alive = _p_alive(bg_fit, f, r, age)
    scores = Scores(
        p_alive=alive,
        expected_purchases=None if t is None else alive * cumulative[:, -1][inverse],
        expected_spend=spend,
        predicted_clv=spend * alive * discounted[inverse],
    )
    require_finite("probability of being active", scores.p_alive)
    require_finite("expected number of purchases", cumulative)
    require_finite("predicted customer value", scores.predicted_clv)
    return scores


def _check_horizon(horizon_months, monthly_discount_rate, unit_days) -> None:
    if int(horizon_months) != horizon_months or horizon_months < 1:
        raise ModelFitError(f"horizon_months must be a whole number >= 1, not {horizon_months!r}.")
    if not (np.isfinite(monthly_discount_rate) and monthly_discount_rate > -1):
        raise ModelFitError("monthly_discount_rate must be a number above -1 (0.01 for 1 %).")
    if not (np.isfinite(unit_days) and unit_days > 0):
        raise ModelFitError(f"unit_days must be a positive number, not {unit_days!r}.")
