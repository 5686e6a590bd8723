"""NPS and CSAT from survey responses: the figures with their sample size and a 95 % interval,
overall or by week or month in the store's time zone.

`nps` and `csat` are pure functions of a list of scores; `summarize` does the same from counts
per score, which is what the queries (`score_summary`, `trend`) get from the database with one
GROUP BY. docs/insights.md ("NPS and CSAT") explains the definitions and the intervals.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import NormalDist
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek

from regulars.core.models import Store
from regulars.insights.models import SCORE_RANGE, SurveyKind, SurveyResponse

Z_95 = NormalDist().inv_cdf(0.975)  # 1.959964…

# Rocks (2016), "Interval Estimation for the 'Net Promoter Score'", The American Statistician
# 70(4): the adjusted-Wald interval adds 3 pseudo-answers (3/4 promoter, 3/4 detractor,
# 3/2 passive). Of the six methods compared it kept closest to 95 % coverage, notably for small
# samples and extreme scores, where the plain Wald interval collapses: with all promoters its
# variance is 0, and "100, from 100 to 100" after 3 answers claims a certainty nobody has.
_NPS_PSEUDO_N = 3.0
_NPS_PSEUDO_EACH = 0.75

PERIODS = ("week", "month")
_TRUNC = {"week": TruncWeek, "month": TruncMonth}


@dataclass(frozen=True)
class ScoreSummary:
    """One NPS or CSAT figure. `value` is NPS in -100..100 or CSAT in 0..100 (a percentage);
    `interval` is its 95 % confidence interval (low, high) on the same scale. Both are None
    when there is no answer (n = 0): there is no score, not a score of 0.

    `counts` groups the answers: promoters (9-10), passives (7-8) and detractors (0-6) for NPS;
    satisfied (4-5), neutral (3) and dissatisfied (1-2) for CSAT.
    """

    kind: str
    n: int
    value: float | None
    interval: tuple[float, float] | None
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        low, high = self.interval or (None, None)
        figures = {"kind": self.kind, "n": self.n, "value": self.value, "low": low, "high": high}
        return figures | self.counts


@dataclass(frozen=True)
class TrendPoint:
    period_start: date  # the first day of the week (a Monday) or month, in the store's zone
    summary: ScoreSummary


# --- pure figures ---------------------------------------------------------------------------


def nps(scores: Iterable[int]) -> ScoreSummary:
    """Net Promoter Score of answers on the 0-10 scale: % promoters (9-10) - % detractors (0-6)."""
    return _nps(_score_counts(scores, SurveyKind.NPS))


def csat(scores: Iterable[int]) -> ScoreSummary:
    """Customer satisfaction of answers on the 1-5 scale: the % of answers that are 4 or 5."""
    return _csat(_score_counts(scores, SurveyKind.CSAT))


def summarize(kind: str, counts_by_score: Mapping[int, int]) -> ScoreSummary:
    """The summary from how many answers gave each score ({score: count})."""
    kind = check_kind(kind)
    low, high = SCORE_RANGE[kind]
    counts = np.zeros(high + 1, dtype=np.int64)
    for score, count in counts_by_score.items():
        if not low <= score <= high:
            raise ValueError(f"{score!r} is outside the {kind.upper()} scale {low}–{high}")
        counts[score] += count
    return _nps(counts) if kind == SurveyKind.NPS else _csat(counts)


def check_kind(kind: str) -> SurveyKind:
    try:
        return SurveyKind(kind)
    except ValueError:
        raise ValueError(
            f"{kind!r} is not a survey kind; use one of {', '.join(SurveyKind.values)}"
        ) from None


def _score_counts(scores: Iterable[int], kind: SurveyKind) -> np.ndarray:
    """How many answers gave each score (index = score), after checking every score."""
    values = np.asarray(scores if isinstance(scores, np.ndarray) else list(scores))
    low, high = SCORE_RANGE[kind]
    if values.size == 0:
        return np.zeros(high + 1, dtype=np.int64)
    if values.dtype.kind not in "iu" or values.ndim != 1:
        whole = values.ndim == 1 and values.dtype.kind == "f" and np.all(values == values // 1)
        if not whole:
            raise ValueError(f"{kind.upper()} scores are whole numbers from {low} to {high}")
        values = values.astype(np.int64)
    outside = values[(values < low) | (values > high)]
    if outside.size:
        raise ValueError(f"{outside[0].item()!r} is outside the {kind.upper()} scale {low}–{high}")
    return np.bincount(values, minlength=high + 1)


def _nps(counts: np.ndarray) -> ScoreSummary:
    detractors, passives, promoters = (
        int(counts[0:7].sum()),
        int(counts[7:9].sum()),
        int(counts[9:11].sum()),
    )
    n = detractors + passives + promoters
    groups = {"promoters": promoters, "passives": passives, "detractors": detractors}
    if n == 0:
        return ScoreSummary("nps", 0, None, None, groups)
    value = 100 * (promoters - detractors) / n
    # Adjusted Wald (see _NPS_PSEUDO_N): the variance of the difference of the two proportions,
    # (pP + pD - (pP - pD)²) / n, on the counts with the pseudo-answers added. For large n it is
    # the plain Wald interval; the point value stays the observed NPS.
    n_adj = n + _NPS_PSEUDO_N
    p_pro = (promoters + _NPS_PSEUDO_EACH) / n_adj
    p_det = (detractors + _NPS_PSEUDO_EACH) / n_adj
    centre = p_pro - p_det
    half = Z_95 * math.sqrt((p_pro + p_det - centre**2) / n_adj)
    low = max(-100.0, 100 * (centre - half))
    high = min(100.0, 100 * (centre + half))
    # The adjusted interval is centred on the shrunk estimate; only after a single extreme answer
    # (n = 1: 100 or -100) does it miss the observed value, and it is widened to include it
    # (a wider interval never lowers coverage, and an interval that excludes the figure shown
    # beside it would read as an error).
    interval = (min(low, value), max(high, value))
    return ScoreSummary("nps", n, value, interval, groups)


def _csat(counts: np.ndarray) -> ScoreSummary:
    dissatisfied, neutral, satisfied = (
        int(counts[1:3].sum()),
        int(counts[3]),
        int(counts[4:6].sum()),
    )
    n = dissatisfied + neutral + satisfied
    groups = {"satisfied": satisfied, "neutral": neutral, "dissatisfied": dissatisfied}
    if n == 0:
        return ScoreSummary("csat", 0, None, None, groups)
    p = satisfied / n
    # Wilson score interval: stays inside 0..100 and keeps its coverage for small n and for
    # p near 0 or 1, where the Wald interval shrinks to nothing.
    z2 = Z_95**2
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = Z_95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    value = 100 * satisfied / n
    # The Wilson interval contains p; min/max only undo rounding at p = 0 or 1 (99.999…).
    low = min(max(0.0, 100 * (centre - half)), value)
    high = max(min(100.0, 100 * (centre + half)), value)
    return ScoreSummary("csat", n, value, (low, high), groups)


# --- queries --------------------------------------------------------------------------------


def score_summary(store: Store, kind: str, *, start: date, end: date) -> ScoreSummary:
    """The store's NPS or CSAT of the answers given from `start` to `end` (both days included,
    in the store's time zone)."""
    kind = check_kind(kind)
    zone = ZoneInfo(store.timezone)
    rows = (
        _responses(store, kind, _midnight(start, zone), _midnight(end + timedelta(days=1), zone))
        .values("score")
        .annotate(answers=Count("id"))
        .values_list("score", "answers")
    )
    return summarize(kind, dict(rows))


def trend(
    store: Store, kind: str, *, period: str = "week", start: date, end: date
) -> list[TrendPoint]:
    """The store's NPS or CSAT per week (Monday to Sunday) or calendar month in its time zone,
    for every period that overlaps `start`..`end` (both days included), oldest first.

    The range is widened to whole periods, so that each point summarises its whole week or
    month; a period without answers is in the list with n = 0 and value None.
    """
    kind = check_kind(kind)
    if period not in PERIODS:
        raise ValueError(f"{period!r} is not a period; use one of {', '.join(PERIODS)}")
    if end < start:
        raise ValueError(f"the end ({end}) is before the start ({start})")
    zone = ZoneInfo(store.timezone)
    starts = _period_starts(period, start, end)
    since = _midnight(starts[0], zone)
    until = _midnight(_next_period(period, starts[-1]), zone)
    rows = (
        _responses(store, kind, since, until)
        .annotate(period=_TRUNC[period]("answered_at", tzinfo=zone))
        .values("period", "score")
        .annotate(answers=Count("id"))
        .values_list("period", "score", "answers")
    )
    by_period: dict[date, dict[int, int]] = {day: {} for day in starts}
    for moment, score, answers in rows:
        by_period[_local_day(moment, zone)][score] = answers
    return [TrendPoint(day, summarize(kind, counts)) for day, counts in by_period.items()]


def _responses(store: Store, kind: str, since: datetime, until: datetime):
    return SurveyResponse.objects.filter(
        store=store, kind=kind, answered_at__gte=since, answered_at__lt=until
    ).order_by()


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _local_day(moment: datetime | date, zone: ZoneInfo) -> date:
    # Trunc gives an aware datetime in `zone` (a date on some backends' older versions).
    if isinstance(moment, datetime):
        return moment.astimezone(zone).date() if moment.tzinfo else moment.date()
    return moment


def _period_start(period: str, day: date) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_period(period: str, first: date) -> date:
    if period == "week":
        return first + timedelta(days=7)
    return (first + timedelta(days=32)).replace(day=1)


def _period_starts(period: str, start: date, end: date) -> list[date]:
    starts = [_period_start(period, start)]
    last = _period_start(period, end)
    while starts[-1] < last:
        starts.append(_next_period(period, starts[-1]))
    return starts
