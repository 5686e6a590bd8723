"""Why a customer-lifetime-value model could not be fitted or used.

Callers (insights services, the dashboard, the CLI) show `message` to the merchant as it is, so
every message says what was wrong with the data and, where it helps, what would fix it. The
models never return NaN: a result that is not finite raises `ModelFitError` instead.
"""

from enum import StrEnum

import numpy as np


class FitErrorCode(StrEnum):
    NO_ORDERS = "no_orders"
    INVALID_INPUT = "invalid_input"
    TOO_FEW_REPEAT_CUSTOMERS = "too_few_repeat_customers"
    SINGLE_FREQUENCY = "single_frequency"
    DID_NOT_CONVERGE = "did_not_converge"
    NOT_FINITE = "not_finite"


# Below this the fits are noise: the parameters are not identified by the data.
MIN_REPEAT_CUSTOMERS = 10


class ModelFitError(ValueError):
    """A model cannot be fitted to these data, or its result is not usable."""

    def __init__(self, message: str, *, code: str = FitErrorCode.INVALID_INPUT):
        super().__init__(message)
        self.message = message
        self.code = str(code)

    def as_dict(self) -> dict:
        return {"code": self.code, "field": None, "message": self.message}


def require_finite(what: str, *values) -> None:
    """Raise instead of letting NaN or infinity reach a caller."""
    for value in values:
        if not np.all(np.isfinite(value)):
            raise ModelFitError(
                f"The {what} is not a finite number for these data; the model cannot be used"
                " on them.",
                code=FitErrorCode.NOT_FINITE,
            )


def require_enough_repeat_customers(
    frequency: np.ndarray, model: str, *, repeat_only: bool
) -> None:
    """The minimum data a model of repeat buying needs: some repeat customers, who differ
    (among the repeat customers alone when `repeat_only`, as for the spend model)."""
    repeat = frequency[frequency > 0]
    if repeat.size < MIN_REPEAT_CUSTOMERS:
        raise ModelFitError(
            f"{model} needs at least {MIN_REPEAT_CUSTOMERS} repeat customers (customers with"
            f" more than one purchase day); these data have {repeat.size}.",
            code=FitErrorCode.TOO_FEW_REPEAT_CUSTOMERS,
        )
    among = repeat if repeat_only else frequency
    if among.min() == among.max():
        who = "repeat customer" if repeat_only else "customer"
        raise ModelFitError(
            f"{model} needs customers with at least 2 different"
            f" numbers of repeat purchases; every {who} here has {int(among[0])}.",
            code=FitErrorCode.SINGLE_FREQUENCY,
        )
