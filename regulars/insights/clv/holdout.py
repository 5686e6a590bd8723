"""The holdout check: fit on a calibration period, predict the period after it, compare.

The customers are grouped by their repeat purchases in the calibration period (0, 1, ... and
the last group open-ended, "7+"); for each group, the mean number of purchases its customers
actually made in the holdout period against the mean the model predicted for them (E[Y(t) |
x, t_x, T], t the holdout length), as in Fader, Hardie & Lee (2005), figure 4. Anyone can run
it on their own store's history to see how far the predictions are to be trusted.
"""

from dataclasses import dataclass

import numpy as np

from .bgnbd import BGNBDFit, expected_purchases, fit_bgnbd
from .errors import ModelFitError
from .summary import Summary


@dataclass(frozen=True)
class HoldoutGroup:
    label: str  # "0", "1", ... "7+"
    customers: int
    actual: float  # mean repeat purchases in the holdout period
    predicted: float


@dataclass(frozen=True)
class HoldoutCheck:
    fit: BGNBDFit  # fitted on the calibration period only
    holdout_length: float  # in the summary's units
    groups: list[HoldoutGroup]
    total_actual: int  # repeat purchases in the holdout period, all customers
    total_predicted: float
    mean_absolute_error: float  # per customer, |predicted - actual| purchases
    group_mean_absolute_error: float  # over the groups shown, each group counting once

    @property
    def total_error(self) -> float:
        """(predicted - actual) / actual for the holdout period's total; 0 when both are 0."""
        if self.total_actual == 0:
            return 0.0 if self.total_predicted == 0 else float("inf")
        return (self.total_predicted - self.total_actual) / self.total_actual

    def as_rows(self) -> list[dict]:
        """One dict per group, for a table or a CSV download."""
        return [
            {
                "calibration_purchases": g.label,
                "customers": g.customers,
                "actual": g.actual,
                "predicted": g.predicted,
            }
            for g in self.groups
        ]


def holdout_check(
    summary: Summary, *, max_group: int = 7, fit: BGNBDFit | None = None
) -> HoldoutCheck:
    """Compare predicted and actual holdout purchases for a summary made with a calibration
    end (`summarize(..., calibration_end=...)`). Fits BG/NBD on the calibration period unless
    a `fit` (of that same period) is given."""
    if summary.holdout_frequency is None or summary.holdout_length is None:
        raise ModelFitError(
            "This summary has no holdout period: summarise with a calibration_end before the"
            " observation end."
        )
    if summary.holdout_length <= 0:
        raise ModelFitError("The holdout period is empty: calibration_end equals observation_end.")
    if max_group < 1:
        raise ModelFitError("max_group must be at least 1.")
    if fit is None:
        fit = fit_bgnbd(summary.frequency, summary.recency, summary.T)
    predicted = expected_purchases(
        fit, summary.holdout_length, summary.frequency, summary.recency, summary.T
    )
    actual = summary.holdout_frequency.astype(np.float64)
    group = np.minimum(summary.frequency, max_group)
    customers = np.bincount(group, minlength=max_group + 1)
    shown = np.flatnonzero(customers)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_actual = np.bincount(group, actual, minlength=max_group + 1) / customers
        mean_predicted = np.bincount(group, predicted, minlength=max_group + 1) / customers
    groups = [
        HoldoutGroup(
            label=f"{k}+" if k == max_group else str(k),
            customers=int(customers[k]),
            actual=float(mean_actual[k]),
            predicted=float(mean_predicted[k]),
        )
        for k in shown
    ]
    return HoldoutCheck(
        fit=fit,
        holdout_length=float(summary.holdout_length),
        groups=groups,
        total_actual=int(summary.holdout_frequency.sum()),
        total_predicted=float(predicted.sum()),
        mean_absolute_error=float(np.abs(predicted - actual).mean()),
        group_mean_absolute_error=float(np.abs(mean_predicted[shown] - mean_actual[shown]).mean()),
    )
