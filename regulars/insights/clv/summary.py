"""From one row per order to the per-customer figures the models take.

For each customer: **frequency** is the number of repeat purchases, counted as distinct purchase
days minus one (orders placed on the same day are one purchase, their values summed; this is
how Fader, Hardie & Lee prepare the CDNOW data); **recency** the time from the first purchase to
the last; **T** (age) the time from the first purchase to the end of observation; **monetary
value** the mean value of the repeat purchases (the first purchase left out, as the Gamma-Gamma
model wants), 0 for a one-time buyer. Times are in units of `unit_days` days (7 for weeks).

Days are those of the times given: shift the times to the store's time zone first if "the same
day" should mean the store's day. Orders after `observation_end` are left out (the summary is
"as of" that moment); `orders_after_end` counts them.

With `calibration_end`, the figures describe the calibration period (orders up to and including
`calibration_end`, T measured to it), customers whose first purchase came later are left out,
and `holdout_frequency` counts each customer's purchase days after it, up to `observation_end`.

Everything is done by sorting (one argsort) and segment reductions, with no loop per customer.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .errors import FitErrorCode, ModelFitError

_EPOCH = np.datetime64("1970-01-01T00:00:00", "s")
_DAY = np.timedelta64(1, "D")
_NO_ORDERS = FitErrorCode.NO_ORDERS


@dataclass(frozen=True)
class Summary:
    """Per-customer arrays, one entry per customer, ordered by customer id."""

    customer_ids: np.ndarray  # int64
    frequency: np.ndarray  # int64, repeat purchase days
    recency: np.ndarray  # float64, units
    T: np.ndarray  # float64, units
    monetary_value: np.ndarray  # float64, mean repeat purchase value; 0 for one-time buyers
    unit_days: float
    orders_after_end: int = 0
    holdout_frequency: np.ndarray | None = None  # int64, only with a calibration end
    holdout_length: float | None = None  # units, only with a calibration end

    def __len__(self) -> int:
        return self.customer_ids.size


def summarize(
    customer_ids,
    order_times,
    order_values,
    *,
    observation_end,
    calibration_end=None,
    unit_days: float = 1.0,
) -> Summary:
    """Summarise orders (parallel arrays: int customer ids; times as numpy datetime64 or float
    days; values) into a `Summary` (see the module docstring for the definitions)."""
    ids, times, values, is_dates = _validated(customer_ids, order_times, order_values, unit_days)
    end = _as_days(observation_end, is_dates, "observation_end")
    cut = end if calibration_end is None else _as_days(calibration_end, is_dates, "calibration_end")
    if cut > end:
        raise ModelFitError("calibration_end is after observation_end.")
    kept = times <= end
    after_end = int(kept.size - np.count_nonzero(kept))
    ids, times, values = ids[kept], times[kept], values[kept]
    if ids.size == 0:
        raise ModelFitError("There are no orders up to the end of observation.", code=_NO_ORDERS)
    p_ids, p_times, p_values, p_late = _purchases(ids, times, values, cut)
    early = ~p_late
    if not early.any():
        raise ModelFitError("There are no orders up to the calibration end.", code=_NO_ORDERS)
    customers, frequency, first, last, monetary = _per_customer(
        p_ids[early], p_times[early], p_values[early]
    )
    holdout = None
    if calibration_end is not None:
        holdout = _count_per_customer(customers, p_ids[p_late])
    return Summary(
        customer_ids=customers,
        frequency=frequency,
        recency=(last - first) / unit_days,
        T=(cut - first) / unit_days,
        monetary_value=monetary,
        unit_days=float(unit_days),
        orders_after_end=after_end,
        holdout_frequency=holdout,
        holdout_length=None if calibration_end is None else (end - cut) / unit_days,
    )


def _validated(customer_ids, order_times, order_values, unit_days):
    ids = np.asarray(customer_ids)
    times = np.asarray(order_times)
    values = np.asarray(order_values, dtype=np.float64)
    if not ids.size == times.size == values.size:
        raise ModelFitError(
            f"customer_ids, order_times and order_values differ in length"
            f" ({ids.size}, {times.size}, {values.size})."
        )
    if ids.ndim != 1 or times.ndim != 1 or values.ndim != 1:
        raise ModelFitError("customer_ids, order_times and order_values must be 1-dimensional.")
    if ids.size == 0:
        raise ModelFitError("There are no orders.", code=_NO_ORDERS)
    if not np.issubdtype(ids.dtype, np.integer):
        raise ModelFitError(f"customer_ids must be integers, not {ids.dtype}.")
    if not (np.isfinite(unit_days) and unit_days > 0):
        raise ModelFitError(f"unit_days must be a positive number, not {unit_days!r}.")
    is_dates = np.issubdtype(times.dtype, np.datetime64)
    if is_dates:
        missing = np.isnat(times)
        if missing.any():
            raise ModelFitError(
                f"order_times has {int(missing.sum())} missing times (the first at position"
                f" {int(np.flatnonzero(missing)[0])})."
            )
        days = (times - _EPOCH) / _DAY
    elif np.issubdtype(times.dtype, np.number):
        days = times.astype(np.float64)
    else:
        raise ModelFitError(f"order_times must be datetime64 or numbers, not {times.dtype}.")
    for name, array in (("order_times", days), ("order_values", values)):
        bad = ~np.isfinite(array)
        if bad.any():
            raise ModelFitError(
                f"{name} has {int(bad.sum())} values that are not finite numbers"
                f" (the first at position {int(np.flatnonzero(bad)[0])})."
            )
    return ids.astype(np.int64, copy=False), days, values, is_dates


def _as_days(value, is_dates: bool, name: str) -> float:
    """A moment in the same float-day scale as the order times."""
    if is_dates:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        if isinstance(value, dt.date | np.datetime64 | str):
            return float((np.datetime64(value) - _EPOCH) / _DAY)
        raise ModelFitError(f"{name} must be a date or datetime, as the order times are.")
    if isinstance(value, dt.date | np.datetime64):
        raise ModelFitError(f"{name} must be a number of days, as the order times are.")
    value = float(value)
    if not np.isfinite(value):
        raise ModelFitError(f"{name} must be a finite number.")
    return value


def _purchases(ids, days, values, cut):
    """Merge each customer's orders of one day into one purchase, at its earliest time, its
    value the sum. A day that straddles `cut` stays two purchases, one on either side."""
    period = np.floor(days) * 2 + (days > cut)
    order = _sort_by_customer_then(ids, period)
    ids, period, days, values = ids[order], period[order], days[order], values[order]
    starts = np.flatnonzero(
        np.concatenate(([True], (ids[1:] != ids[:-1]) | (period[1:] != period[:-1])))
    )
    p_days = np.minimum.reduceat(days, starts)
    return ids[starts], p_days, np.add.reduceat(values, starts), p_days > cut


def _sort_by_customer_then(ids, period):
    """Order by (customer, period): one argsort of a combined integer key when it fits in 63
    bits (always, for ids and dates of real stores), else a two-key lexsort."""
    p = (period - period.min()).astype(np.int64)
    span = int(p.max()) + 1
    low, high = int(ids.min()), int(ids.max())
    if (high - low + 1) * span < 2**62:
        return np.argsort((ids - low) * span + p)
    return np.lexsort((p, ids))


def _per_customer(ids, days, values):
    starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    counts = np.diff(np.append(starts, ids.size))
    frequency = counts - 1
    first = days[starts]
    last = days[starts + counts - 1]
    repeat_total = np.add.reduceat(values, starts) - values[starts]
    monetary = np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0)
    return ids[starts], frequency.astype(np.int64), first, last, monetary


def _count_per_customer(customers, ids):
    """How many of `ids` (sorted) belong to each of `customers` (sorted); others ignored."""
    at = np.searchsorted(customers, ids)
    known = at < customers.size
    known[known] = customers[at[known]] == ids[known]
    return np.bincount(at[known], minlength=customers.size).astype(np.int64)
