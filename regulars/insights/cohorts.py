"""Cohorts by first-order month: how many of a month's new customers order again, and when.

A customer's cohort is the month of their first paid order, in the store's time zone (an
order at 23:30 UTC on 31 January is a February order in Bangkok). For each cohort the table
holds its size, and for each month since the first order (0, 1, 2, ...) the customers who
ordered in that month (retained) and the revenue of all the cohort's orders in it. Month 0
counts every customer of the cohort (they all ordered then) and includes their later orders
of that same month.

Vectorised: each order's month comes from a binary search among the month boundaries (as UTC
instants, so daylight saving time is right), and the table from one `np.bincount` over cohort
x offset cells.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np

from regulars.core.money import minor_units
from regulars.insights.orders_data import OrderFrame


@dataclass(frozen=True, eq=False)
class CohortTable:
    """`customers` and `revenue` have one row per cohort month and one column per month since
    the first order; `observed` is False for the cells after the table's last month (not yet
    happened: neither 0 nor a figure)."""

    months: list[date]
    sizes: np.ndarray
    customers: np.ndarray
    revenue: np.ndarray
    observed: np.ndarray
    currency: str
    timezone: str

    @property
    def offsets(self) -> list[int]:
        return list(range(self.customers.shape[1]))

    def retention(self) -> list[list[float | None]]:
        """Share of each cohort retained in each month; None where not observed or empty."""
        return [
            [
                float(self.customers[row, k]) / float(self.sizes[row])
                if self.observed[row, k] and self.sizes[row]
                else None
                for k in self.offsets
            ]
            for row in range(len(self.months))
        ]

    def as_dict(self) -> dict:
        """JSON-ready, None in the cells not observed yet."""
        places = minor_units(self.currency)
        retention = self.retention()
        rows = []
        for row, month in enumerate(self.months):
            seen = self.observed[row]
            rows.append(
                {
                    "month": f"{month:%Y-%m}",
                    "size": int(self.sizes[row]),
                    "retained": [
                        int(v) if s else None
                        for v, s in zip(self.customers[row], seen, strict=True)
                    ],
                    "retention": retention[row],
                    "revenue": [
                        round(float(v), places) if s else None
                        for v, s in zip(self.revenue[row], seen, strict=True)
                    ],
                }
            )
        return {
            "offsets": self.offsets,
            "rows": rows,
            "currency": self.currency,
            "timezone": self.timezone,
        }


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_date(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def _local_month(seconds: int, zone: ZoneInfo) -> int:
    return _month_number(datetime.fromtimestamp(seconds, UTC).astimezone(zone).date())


def order_months(frame: OrderFrame, tz: str) -> np.ndarray:
    """Each order's month in `tz`, as a number: year * 12 + month - 1."""
    if not frame.orders:
        return np.empty(0, dtype=np.int64)
    zone = ZoneInfo(tz)
    first = _local_month(int(frame.placed_at.min()), zone)
    last = _local_month(int(frame.placed_at.max()), zone)
    # The UTC instant each local month starts, from the second month on.
    starts = np.array(
        [
            int(datetime(n // 12, n % 12 + 1, 1, tzinfo=zone).timestamp())
            for n in range(first + 1, last + 1)
        ],
        dtype=np.int64,
    )
    return first + np.searchsorted(starts, frame.placed_at, side="right")


def cohort_table(
    frame: OrderFrame,
    *,
    start_month: date | None = None,
    end_month: date | None = None,
    tz: str | None = None,
) -> CohortTable:
    """Cohorts from `start_month` to `end_month` (their days are ignored; by default the months
    of the first and the last order), observed up to `end_month`, in `tz` (by default the
    store's time zone)."""
    tz = tz or frame.timezone
    months = order_months(frame, tz)
    first_month = _cohort_of_each_order(frame, months)
    lo, hi = _bounds(months, start_month, end_month)
    width = max(hi - lo + 1, 0)
    keep = (first_month >= lo) & (months <= hi)
    cells = ((first_month - lo) * width + months - first_month)[keep]
    # A customer counts once per month: the first of their orders in it (the frame is sorted
    # by customer and time, so a customer's orders of one month are consecutive).
    new_month = frame.is_first.copy()
    new_month[1:] |= months[1:] != months[:-1]
    size = width * width
    customers = np.bincount(cells[new_month[keep]], minlength=size).reshape(width, width)
    revenue = np.bincount(cells, weights=frame.total[keep], minlength=size).reshape(width, width)
    sizes = np.ascontiguousarray(customers[:, 0]) if width else np.zeros(0, dtype=np.int64)
    rows = np.arange(width)
    observed = rows[:, None] + rows[None, :] < width
    return CohortTable(
        months=[_month_date(n) for n in range(lo, hi + 1)],
        sizes=sizes,
        customers=customers,
        revenue=revenue,
        observed=observed,
        currency=frame.currency,
        timezone=tz,
    )


def _cohort_of_each_order(frame: OrderFrame, months: np.ndarray) -> np.ndarray:
    """The month of the first order of each order's customer."""
    starts = np.flatnonzero(frame.is_first)
    runs = np.diff(np.append(starts, frame.orders))
    return np.repeat(months[starts], runs)


def _bounds(months: np.ndarray, start: date | None, end: date | None) -> tuple[int, int]:
    """The first and last cohort month numbers; (0, -1), no month, for no orders and no bound."""
    start_n = _month_number(start) if start else (int(months.min()) if len(months) else None)
    end_n = _month_number(end) if end else (int(months.max()) if len(months) else None)
    if start_n is None or end_n is None:
        only = start_n if start_n is not None else end_n
        return (0, -1) if only is None else (only, only)
    if end_n < start_n:
        raise ValueError(
            f"end_month {_month_date(end_n):%Y-%m} is before start_month {_month_date(start_n):%Y-%m}"
        )
    return start_n, end_n
