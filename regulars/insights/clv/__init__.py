"""Customer-lifetime-value models in pure NumPy and SciPy (no Django here: a library that the
rest of insights calls).

    summary = summarize(customer_ids, order_times, order_values, observation_end=...)
    bg = fit_bgnbd(summary.frequency, summary.recency, summary.T)
    gg = fit_gammagamma(summary.frequency, summary.monetary_value)
    scores = score_customers(bg, gg, summary.frequency, summary.recency, summary.T,
                             summary.monetary_value, t=30 / summary.unit_days,
                             unit_days=summary.unit_days)  # t: the next 30 days
    scores.p_alive, scores.expected_purchases, scores.predicted_clv, ...

Every function raises `ModelFitError` (a ValueError with a message for the merchant and a
`code`) rather than return NaN.
"""

from .bgnbd import (
    BGNBDFit,
    expected_purchases,
    expected_purchases_new,
    fit_bgnbd,
    p_alive,
    simulate_bgnbd,
    time_to_next_purchase,
)
from .errors import FitErrorCode, ModelFitError
from .gammagamma import (
    GammaGammaFit,
    conditional_expected_spend,
    fit_gammagamma,
    independence_check,
    simulate_gammagamma,
)
from .holdout import HoldoutCheck, HoldoutGroup, holdout_check
from .summary import Summary, summarize
from .value import DAYS_PER_MONTH, Scores, predicted_clv, score_customers

__all__ = [
    "DAYS_PER_MONTH",
    "BGNBDFit",
    "FitErrorCode",
    "GammaGammaFit",
    "HoldoutCheck",
    "HoldoutGroup",
    "ModelFitError",
    "Scores",
    "Summary",
    "conditional_expected_spend",
    "expected_purchases",
    "expected_purchases_new",
    "fit_bgnbd",
    "fit_gammagamma",
    "holdout_check",
    "independence_check",
    "p_alive",
    "predicted_clv",
    "score_customers",
    "simulate_bgnbd",
    "simulate_gammagamma",
    "summarize",
    "time_to_next_purchase",
]
