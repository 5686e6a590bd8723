"""Repurchase and retention figures of a store for a period, from its purchases (OrderFrame).

The definitions (docs/insights.md has them with examples):

- an order is *returning* when its customer had a paid order before it, at any time (also
  before the period); the customer's first paid order ever is a *new* order;
- repurchase rate = returning orders / orders (30 of 100 orders = 30 %);
- repeat customer rate = customers with 2 or more orders in the period / customers with an
  order in the period (the industry's "repeat purchase rate", Klaviyo's "repeat purchasers");
- returning customer rate = customers who placed their second or a later order in the period
  (their first at any time) / customers with an order in the period (Shopify's "returning
  customer rate");
- average order value = revenue / orders in the store's currency;
- purchase frequency = orders / customers;
- median days between orders: over every two consecutive orders of the same customer whose
  second order is in the period (the first may be before it).

Every ratio is None when its denominator is 0. Vectorised: a few passes over the arrays,
no loop per customer.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

import numpy as np

from regulars.core.money import minor_units
from regulars.insights.orders_data import OrderFrame

_DAY = 86400


@dataclass(frozen=True)
class RepurchaseMetrics:
    start: datetime | None
    end: datetime | None
    currency: str
    orders: int
    revenue: float
    returning_orders: int
    returning_revenue: float
    new_orders: int
    new_revenue: float
    # Orders in another currency: counted as orders, not in revenue or the average order value.
    unpriced_orders: int
    customers: int
    new_customers: int
    repeat_customers: int
    returning_customers: int
    repurchase_rate: float | None
    repeat_customer_rate: float | None
    returning_customer_rate: float | None
    average_order_value: float | None
    purchase_frequency: float | None
    median_days_between_orders: float | None

    def as_dict(self) -> dict:
        """JSON-ready: times as ISO 8601 text."""
        values = asdict(self)
        for key in ("start", "end"):
            values[key] = values[key].isoformat() if values[key] else None
        return values


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


def _seconds(moment: datetime | None, name: str) -> int | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be an aware datetime")
    return int(np.floor(moment.timestamp()))


def period_mask(frame: OrderFrame, start: datetime | None, end: datetime | None) -> np.ndarray:
    """Orders placed in [start, end); an open end when None."""
    begin, stop = _seconds(start, "start"), _seconds(end, "end")
    if begin is not None and stop is not None and stop < begin:
        raise ValueError(f"the period ends ({end.isoformat()}) before it starts")
    mask = np.ones(frame.orders, dtype=bool)
    if begin is not None:
        mask &= frame.placed_at >= begin
    if stop is not None:
        mask &= frame.placed_at < stop
    return mask


def _distinct_sorted(values: np.ndarray) -> int:
    """How many distinct values a sorted array holds."""
    return int(len(values) and 1 + np.count_nonzero(values[1:] != values[:-1]))


def _repeat_customers(customers: np.ndarray) -> int:
    """Customers appearing at least twice in a sorted array of customer ids."""
    same = customers[1:] == customers[:-1]
    # A run of equal ids of length >= 2 starts where `same` turns True.
    return int(np.count_nonzero(same[1:] & ~same[:-1]) + (len(same) > 0 and same[0]))


def _median_days(frame: OrderFrame, mask: np.ndarray) -> float | None:
    second = ~frame.is_first & mask  # a later order of a customer, in the period
    later = np.flatnonzero(second)
    if not len(later):
        return None
    gaps = frame.placed_at[later] - frame.placed_at[later - 1]
    return float(np.median(gaps)) / _DAY


def repurchase_metrics(
    frame: OrderFrame, start: datetime | None, end: datetime | None
) -> RepurchaseMetrics:
    """The figures for the orders placed in [start, end); None for an open end."""
    mask = period_mask(frame, start, end)
    returning = mask & ~frame.is_first
    new = mask & frame.is_first
    customers_in = frame.customer_id[mask]  # sorted, as the frame is
    orders = int(np.count_nonzero(mask))
    customers = _distinct_sorted(customers_in)
    returning_customers = _distinct_sorted(frame.customer_id[returning])
    repeat_customers = _repeat_customers(customers_in)
    priced = int(np.count_nonzero(frame.priced & mask))
    places = minor_units(frame.currency)
    revenue = round(float(frame.total[mask].sum()), places)
    returning_revenue = round(float(frame.total[returning].sum()), places)
    aov = _ratio(revenue, priced)
    return RepurchaseMetrics(
        start=start,
        end=end,
        currency=frame.currency,
        orders=orders,
        revenue=revenue,
        returning_orders=int(np.count_nonzero(returning)),
        returning_revenue=returning_revenue,
        new_orders=int(np.count_nonzero(new)),
        new_revenue=round(revenue - returning_revenue, places),
        unpriced_orders=orders - priced,
        customers=customers,
        new_customers=int(np.count_nonzero(new)),
        repeat_customers=repeat_customers,
        returning_customers=returning_customers,
        repurchase_rate=_ratio(np.count_nonzero(returning), orders),
        repeat_customer_rate=_ratio(repeat_customers, customers),
        returning_customer_rate=_ratio(returning_customers, customers),
        average_order_value=None if aov is None else round(aov, places),
        purchase_frequency=_ratio(orders, customers),
        median_days_between_orders=_median_days(frame, mask),
    )
