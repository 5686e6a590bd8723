"""RFM: each customer's recency, frequency and monetary value, scored 1 to 5, and a segment.

As of a moment `as_of`, from the purchases placed before it:

- recency = days since the customer's last order (fewer is better),
- frequency = the customer's orders,
- monetary = the customer's total spent, in the store's currency.

Scores are quintiles with ties kept together: a customer's score is
1 + floor(5 x p), at most 5, where p is the share of the *other* customers whose value is
strictly worse than theirs (the percent rank). Customers with equal values get equal scores;
the worst value scores 1, a value better than 80 % of the others 5; it works for any number of
customers (one customer alone, with no one to compare with, scores 1). With many one-time
buyers, all of them share the lowest frequency score, as they should.

The segment comes from the (R, F) scores through SEGMENT_GRID, the widely used RFM segment map
(docs/insights.md draws it): monetary is scored and shown but, as in that map, does not move a
customer between segments.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.utils import timezone

from regulars.core.money import minor_units
from regulars.insights.models import Segment
from regulars.insights.orders_data import OrderFrame

_DAY = 86400.0

# Rows: recency score 5 (most recent) down to 1; columns: frequency score 1 to 5.
_S = Segment
SEGMENT_GRID: tuple[tuple[Segment, ...], ...] = (
    (_S.NEW, _S.POTENTIAL_LOYALISTS, _S.POTENTIAL_LOYALISTS, _S.CHAMPIONS, _S.CHAMPIONS),
    (_S.PROMISING, _S.POTENTIAL_LOYALISTS, _S.POTENTIAL_LOYALISTS, _S.LOYAL, _S.LOYAL),
    (_S.ABOUT_TO_SLEEP, _S.ABOUT_TO_SLEEP, _S.NEED_ATTENTION, _S.LOYAL, _S.LOYAL),
    (_S.HIBERNATING, _S.HIBERNATING, _S.AT_RISK, _S.AT_RISK, _S.CANNOT_LOSE),
    (_S.LOST, _S.HIBERNATING, _S.AT_RISK, _S.AT_RISK, _S.CANNOT_LOSE),
)
# The segments in the order the dashboard lists them: best first.
SEGMENTS: tuple[Segment, ...] = (
    _S.CHAMPIONS,
    _S.LOYAL,
    _S.POTENTIAL_LOYALISTS,
    _S.NEW,
    _S.PROMISING,
    _S.NEED_ATTENTION,
    _S.ABOUT_TO_SLEEP,
    _S.AT_RISK,
    _S.CANNOT_LOSE,
    _S.HIBERNATING,
    _S.LOST,
)
# segment index (into SEGMENTS) by [recency score - 1, frequency score - 1]
_CODES = np.array(
    [[SEGMENTS.index(SEGMENT_GRID[5 - r][f - 1]) for f in range(1, 6)] for r in range(1, 6)],
    dtype=np.int8,
)


def segment_for(recency_score: int, frequency_score: int) -> Segment:
    return SEGMENT_GRID[5 - recency_score][frequency_score - 1]


def _span(values: list[int]) -> str:
    return f"{values[0]}" if len(values) == 1 else f"{values[0]}–{values[-1]}"


def segment_rule(segment: Segment) -> str:
    """The cells of the grid a segment holds, as text, such as "R 4-5, F 2-3" (en dashes)."""
    by_recency = {}
    for r in range(5, 0, -1):
        scores = [f for f in range(1, 6) if segment_for(r, f) == segment]
        if scores:
            by_recency[r] = tuple(scores)
    groups: list[tuple[list[int], tuple[int, ...]]] = []
    for r, scores in by_recency.items():
        if groups and groups[-1][1] == scores and groups[-1][0][-1] == r + 1:
            groups[-1][0].append(r)
        else:
            groups.append(([r], scores))
    return " or ".join(f"R {_span(sorted(rs))}, F {_span(list(fs))}" for rs, fs in groups)


def quintile_scores(values: np.ndarray, *, higher_is_better: bool = True) -> np.ndarray:
    """1 + floor(5 x share of the other values strictly worse), at most 5; ties score alike."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    ordered = np.sort(values)
    if higher_is_better:
        worse = np.searchsorted(ordered, values, side="left")
    else:
        worse = n - np.searchsorted(ordered, values, side="right")
    # Integer arithmetic: no rounding error can move a customer across a boundary.
    return (1 + np.minimum(4, (5 * worse) // max(n - 1, 1))).astype(np.int8)


@dataclass(frozen=True, eq=False)
class RfmScores:
    """One element per customer with a purchase before `as_of`, sorted by customer id."""

    as_of: datetime
    currency: str
    customer_id: np.ndarray
    recency_days: np.ndarray
    frequency: np.ndarray
    monetary: np.ndarray
    recency_score: np.ndarray
    frequency_score: np.ndarray
    monetary_score: np.ndarray
    segment_code: np.ndarray  # index into SEGMENTS

    @property
    def customers(self) -> int:
        return len(self.customer_id)

    @property
    def segment(self) -> np.ndarray:
        """Each customer's segment value ("champions", ...)."""
        return np.array([s.value for s in SEGMENTS])[self.segment_code]


def rfm_scores(frame: OrderFrame, *, as_of: datetime | None = None) -> RfmScores:
    """Scores of the customers with a purchase before `as_of` (by default now)."""
    as_of = as_of or timezone.now()
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime")
    moment = as_of.timestamp()
    before = frame.placed_at < moment
    customer_id = frame.customer_id[before]
    placed_at = frame.placed_at[before]
    # Each customer's orders are one run of rows: from its first row to the next customer's.
    firsts = np.flatnonzero(frame.is_first[before])
    ends = np.append(firsts[1:], len(customer_id)) if len(firsts) else firsts
    frequency = ends - firsts
    monetary = np.add.reduceat(frame.total[before], firsts) if len(firsts) else np.zeros(0)
    recency_days = (moment - placed_at[ends - 1]) / _DAY
    r = quintile_scores(recency_days, higher_is_better=False)
    f = quintile_scores(frequency)
    m = quintile_scores(np.round(monetary, minor_units(frame.currency)))
    return RfmScores(
        as_of=as_of,
        currency=frame.currency,
        customer_id=customer_id[firsts],
        recency_days=recency_days,
        frequency=frequency,
        monetary=monetary,
        recency_score=r,
        frequency_score=f,
        monetary_score=m,
        segment_code=_CODES[r.astype(np.intp) - 1, f.astype(np.intp) - 1],
    )


@dataclass(frozen=True)
class SegmentSummary:
    segment: str
    label: str
    rule: str
    customers: int
    revenue: float
    customer_share: float | None
    revenue_share: float | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def segment_summary(scores: RfmScores) -> list[SegmentSummary]:
    """Every segment, best first, with its customers and their total spent (also when 0)."""
    count = len(SEGMENTS)
    customers = np.bincount(scores.segment_code, minlength=count)
    revenue = np.bincount(scores.segment_code, weights=scores.monetary, minlength=count)
    total_customers, total_revenue = int(customers.sum()), float(revenue.sum())
    places = minor_units(scores.currency)
    return [
        SegmentSummary(
            segment=segment.value,
            label=str(segment.label),
            rule=segment_rule(segment),
            customers=int(customers[n]),
            revenue=round(float(revenue[n]), places),
            customer_share=int(customers[n]) / total_customers if total_customers else None,
            revenue_share=float(revenue[n]) / total_revenue if total_revenue else None,
        )
        for n, segment in enumerate(SEGMENTS)
    ]
