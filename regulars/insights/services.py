"""Computing a store's insights: the figures the Insights page shows and every customer's scores.

A full refresh (`do_refresh_insights`: after an import, nightly, or on request) reads the
store's paid orders once, computes the repurchase figures, cohorts, RFM segments and survey
trends, fits BG/NBD and Gamma-Gamma, scores every customer and keeps the result in
`StoreInsights` (the page only reads it) and `CustomerScore`. Between refreshes, a new or
changed order rescores its customer with the fitted models (`do_rescore_changed`): the
store-wide figures wait for the next refresh, a customer's scores do not.
"""

import logging
import time
from dataclasses import asdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone

from regulars.commerce.models import Order
from regulars.core.models import Store
from regulars.insights import surveys
from regulars.insights.clv.bgnbd import (
    BGNBDFit,
    expected_purchases,
    fit_bgnbd,
    p_alive,
    time_to_next_purchase,
)
from regulars.insights.clv.errors import ModelFitError
from regulars.insights.clv.gammagamma import GammaGammaFit, fit_gammagamma
from regulars.insights.clv.holdout import holdout_check
from regulars.insights.clv.summary import Summary, summarize
from regulars.insights.clv.value import predicted_clv
from regulars.insights.cohorts import cohort_table
from regulars.insights.metrics import repurchase_metrics
from regulars.insights.models import CustomerScore, InsightsSettings, StoreInsights
from regulars.insights.orders_data import OrderFrame, load_orders
from regulars.insights.requests import (  # noqa: F401 - part of this module's interface
    RESCORE_DELAY,
    do_request_refresh,
    on_order_changed,
    on_orders_imported,
    refresh_pending,
)
from regulars.insights.rfm import RfmScores, rfm_scores, segment_summary
from regulars.insights.score_rows import insert_scores

logger = logging.getLogger(__name__)

_DAY = 86400.0
_PERIODS = (
    ("30d", "Last 30 days", 30),
    ("90d", "Last 90 days", 90),
    ("12m", "Last 12 months", 365),
)
COHORT_MONTHS = 24
CLV_BINS = 10
# The holdout check keeps the last quarter of the store's history out of the fit, between
# these bounds; a store with less history than MIN_HISTORY_DAYS gets no holdout check.
HOLDOUT_DAYS = (30, 180)
MIN_HISTORY_DAYS = 120
EXPECTED_ORDERS_DAYS = 90
WEEKLY_TREND_WEEKS = 26


# --- reading --------------------------------------------------------------------------------


def latest_insights(store: Store) -> StoreInsights | None:
    return StoreInsights.objects.filter(store=store).first()


def settings_for(store: Store) -> InsightsSettings:
    found = InsightsSettings.objects.filter(store=store).first()
    return found or InsightsSettings(store=store)


def refresh_store_by_id(store_id: int) -> str:
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return "no such store"
    report = do_refresh_insights(store)
    return f"refreshed in {report.seconds:.1f} s"


def rescore_store_by_id(store_id: int) -> str:
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        return "no such store"
    return f"{do_rescore_changed(store)} customers rescored"


# --- the full refresh -----------------------------------------------------------------------


def do_refresh_insights(store: Store, *, now: datetime | None = None) -> StoreInsights:
    started = time.monotonic()
    now = now or timezone.now()
    options = settings_for(store)
    frame = load_orders(store, until=now)
    figures: dict = {"as_of": now.isoformat(), "currency": store.currency}
    figures["periods"] = _periods(store, frame, now)
    figures["cohorts"] = _cohorts(frame, now)
    rfm = rfm_scores(frame, as_of=now)
    figures["segments"] = [s.as_dict() for s in segment_summary(rfm)]
    figures["surveys"] = _surveys(store, now)
    models = _fit(frame, now)
    try:
        scores = _scores(models, rfm, now, options)
    except ModelFitError as exc:  # a fit whose predictions are not usable on these data
        models, scores = _Models(None, None, None, problem=_explain(exc)), {}
    figures["clv"] = _clv_figures(models, scores, options)
    figures["holdout"] = _holdout(frame, now)
    figures["churn"] = {
        "threshold": options.churn_threshold,
        "at_risk": int(np.count_nonzero(scores["churn_risk"])) if scores else 0,
    }
    with transaction.atomic():
        CustomerScore.objects.filter(store=store).delete()
        insert_scores(store, rfm, scores, now)
        report, _ = StoreInsights.objects.update_or_create(
            store=store,
            defaults={
                "computed_at": now,
                "seconds": round(time.monotonic() - started, 3),
                "figures": figures,
                "scored_through": now,
            },
        )
    logger.info("insights of store %s refreshed in %.1f s", store.pk, report.seconds)
    return report


def _periods(store: Store, frame: OrderFrame, now: datetime) -> list[dict]:
    periods = [(key, label, now - timedelta(days=days)) for key, label, days in _PERIODS] + [
        ("all", "All time", None)
    ]
    zone = ZoneInfo(store.timezone)
    today = now.astimezone(zone).date()
    return [
        {
            "key": key,
            "label": label,
            "start": start.isoformat() if start else None,
            "end": now.isoformat(),
            "metrics": _plain(asdict(repurchase_metrics(frame, start, now))),
            "surveys": _period_surveys(
                store, start.astimezone(zone).date() if start else _FIRST_DAY, today
            ),
        }
        for key, label, start in periods
    ]


# Answers are dated from 1900 on (the import refuses earlier): "all time" starts there.
_FIRST_DAY = date(1900, 1, 1)


def _period_surveys(store: Store, start: date, end: date) -> dict:
    return {
        kind: surveys.score_summary(store, kind, start=start, end=end).as_dict()
        for kind in ("nps", "csat")
    }


def period_figures(store: Store, start: date, end: date) -> dict:
    """The repurchase figures, NPS and CSAT of a period the merchant chose (days in the store's
    time zone, both included), in the shape of a report's periods. Computed on request from
    the store's orders up to the period's end (a customer's order is "returning" when an
    earlier one exists, however old): 2-3 s for a million orders, milliseconds for a few
    thousand."""
    zone = ZoneInfo(store.timezone)
    start_at = datetime.combine(start, datetime.min.time(), zone)
    end_at = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone)
    frame = load_orders(store, until=end_at)
    return {
        "key": "custom",
        "label": f"{start:%b} {start.day}, {start.year} – {end:%b} {end.day}, {end.year}",
        "start": start_at.isoformat(),
        "end": end_at.isoformat(),
        "metrics": _plain(asdict(repurchase_metrics(frame, start_at, end_at))),
        "surveys": _period_surveys(store, start, end),
    }


def _plain(values: dict) -> dict:
    """JSON-ready: datetimes as ISO text."""
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in values.items()}


def _cohorts(frame: OrderFrame, now: datetime) -> dict:
    if frame.orders == 0:
        return {"offsets": [], "rows": []}
    zone = ZoneInfo(frame.timezone)
    local = now.astimezone(zone).date().replace(day=1)
    # the last COHORT_MONTHS months, none before the store's first order
    first = datetime.fromtimestamp(float(frame.placed_at.min()), zone).date().replace(day=1)
    start = min(max(_months_before(local, COHORT_MONTHS - 1), first), local)
    table = cohort_table(frame, start_month=start, end_month=local)
    rows = []
    for n, month in enumerate(table.months):
        seen = table.observed[n]
        rows.append(
            {
                "month": month.strftime("%Y-%m"),
                "size": int(table.sizes[n]),
                "retained": [int(v) for v, ok in zip(table.customers[n], seen, strict=True) if ok],
                "revenue": [
                    round(float(v), 2) for v, ok in zip(table.revenue[n], seen, strict=True) if ok
                ],
            }
        )
    return {"offsets": list(table.offsets), "rows": rows}


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _surveys(store: Store, now: datetime) -> dict:
    today = now.astimezone(ZoneInfo(store.timezone)).date()
    year_ago = today - timedelta(days=364)
    half_year_ago = today - timedelta(weeks=WEEKLY_TREND_WEEKS - 1)
    result = {}
    for kind in ("nps", "csat"):
        overall = surveys.score_summary(store, kind, start=year_ago, end=today)
        months = surveys.trend(store, kind, period="month", start=year_ago, end=today)
        weeks = surveys.trend(store, kind, period="week", start=half_year_ago, end=today)
        result[kind] = {
            "period": "month",
            "overall": overall.as_dict(),
            "trend": _trend_points(months),
            "weekly": _trend_points(weeks),
        }
    return result


def _trend_points(points) -> list[dict]:
    return [{"period": p.period_start.isoformat(), **p.summary.as_dict()} for p in points]


# --- models and scores ----------------------------------------------------------------------


class _Models:
    def __init__(self, summary: Summary | None, bg: BGNBDFit | None, gg: GammaGammaFit | None,
                 problem: str = "", gg_problem: str = ""):  # fmt: skip
        self.summary, self.bg, self.gg = summary, bg, gg
        self.problem, self.gg_problem = problem, gg_problem


def _summary(frame: OrderFrame, now: datetime, calibration_end: datetime | None = None) -> Summary:
    return summarize(
        frame.customer_id,
        frame.placed_at / _DAY,
        frame.total,
        observation_end=now.timestamp() / _DAY,
        calibration_end=None if calibration_end is None else calibration_end.timestamp() / _DAY,
    )


def _fit(frame: OrderFrame, now: datetime) -> _Models:
    try:
        summary = _summary(frame, now)
        bg = fit_bgnbd(summary.frequency, summary.recency, summary.T)
    except ModelFitError as exc:
        return _Models(None, None, None, problem=_explain(exc))
    try:
        gg = fit_gammagamma(summary.frequency, summary.monetary_value)
    except ModelFitError as exc:
        return _Models(summary, bg, None, gg_problem=_explain(exc))
    return _Models(summary, bg, gg)


def _explain(exc: ModelFitError) -> str:
    return f"The model cannot be fitted to this store's orders yet: {exc}"


def _scores(models: _Models, rfm: RfmScores, now: datetime, options: InsightsSettings) -> dict:
    """Per-customer model outputs aligned with `rfm`'s customers (None where not fitted)."""
    if models.bg is None or models.summary is None or rfm.customers == 0:
        return {}
    summary = models.summary
    at = np.searchsorted(summary.customer_ids, rfm.customer_id)
    f, r, T = summary.frequency[at], summary.recency[at], summary.T[at]
    alive = p_alive(models.bg, f, r, T)
    expected = expected_purchases(models.bg, EXPECTED_ORDERS_DAYS, f, r, T)
    next_in = time_to_next_purchase(models.bg, f, r, T)
    clv = None
    if models.gg is not None:
        clv = predicted_clv(
            models.bg,
            models.gg,
            f,
            r,
            T,
            summary.monetary_value[at],
            horizon_months=options.clv_horizon_months,
            monthly_discount_rate=options.monthly_discount_rate,
        )
    return {
        "frequency": f,
        "recency": r,
        "T": T,
        "monetary": summary.monetary_value[at],
        "p_alive": alive,
        "expected": expected,
        "next_in_days": next_in,
        "clv": clv,
        "churn_risk": alive < options.churn_threshold,
    }


def _clv_figures(models: _Models, scores: dict, options: InsightsSettings) -> dict:
    figures: dict = {
        "problem": models.problem,
        "horizon_months": options.clv_horizon_months,
        "monthly_discount_rate": options.monthly_discount_rate,
        "gamma_gamma_problem": models.gg_problem,
        "bgnbd": None,
        "gamma_gamma": None,
        "histogram": [],
        "total": None,
    }
    if models.bg is not None:
        bg = models.bg
        figures["bgnbd"] = {
            "r": bg.r,
            "alpha": bg.alpha,
            "a": bg.a,
            "b": bg.b,
            # the mean chance of dropping out after a repeat purchase; the same for every
            # customer when the data show no spread (the beta distribution's point-mass limit)
            "dropout": bg.dropout,
            "same_dropout": bg.same_dropout,
            "log_likelihood": bg.log_likelihood,
            "customers": bg.n,
            "fit": bg.as_dict(),  # what rescoring between refreshes uses
        }
    if models.gg is not None:
        gg = models.gg
        figures["gamma_gamma"] = {
            "p": gg.p,
            "q": gg.q,
            "v": gg.gamma,
            "mean_spend": gg.mean_spend,
            # customers' mean spend differs only by chance: each is expected to spend the mean
            "same_mean_spend": gg.same_mean_spend,
            "log_likelihood": gg.log_likelihood,
            "customers": gg.n,
            "correlation": gg.correlation,
            "independence": gg.independence,
            "verdict": gg.verdict,
            "fit": gg.as_dict(),
        }
    clv = scores.get("clv")
    if clv is not None and clv.size:
        figures["total"] = round(float(clv.sum()), 2)
        figures["histogram"] = _histogram(clv)
    return figures


def _histogram(values: np.ndarray) -> list[dict]:
    """Equal-width bins up to the 99th percentile, the rest in the last bin (one customer
    worth a fortune would otherwise squeeze everyone else into the first bar)."""
    top = float(np.percentile(values, 99))
    if top <= 0:
        top = float(values.max()) or 1.0
    edges = np.linspace(0.0, top, CLV_BINS + 1)
    counts = np.bincount(np.minimum(np.searchsorted(edges, values, side="right") - 1, CLV_BINS - 1)
                         .clip(0), minlength=CLV_BINS)  # fmt: skip
    upper = max(float(values.max()), top)
    return [
        {
            "from": round(float(edges[n]), 2),
            "to": round(upper if n == CLV_BINS - 1 else float(edges[n + 1]), 2),
            "customers": int(counts[n]),
        }
        for n in range(CLV_BINS)
    ]


def _holdout(frame: OrderFrame, now: datetime) -> dict:
    if frame.orders == 0:
        return {"problem": "No orders yet.", "rows": []}
    history = (now.timestamp() - float(frame.placed_at.min())) / _DAY
    if history < MIN_HISTORY_DAYS:
        return {
            "problem": f"The holdout check needs {MIN_HISTORY_DAYS} days of orders; this store"
            f" has {history:.0f}.",
            "rows": [],
        }
    days = int(min(max(history / 4, HOLDOUT_DAYS[0]), HOLDOUT_DAYS[1]))
    calibration_end = now - timedelta(days=days)
    try:
        check = holdout_check(_summary(frame, now, calibration_end))
    except ModelFitError as exc:
        return {"problem": _explain(exc), "rows": [], "holdout_days": days}
    return {
        "problem": "",
        "holdout_days": days,
        "calibration_end": calibration_end.isoformat(),
        "rows": [
            {
                "group": g.label,
                "customers": g.customers,
                "actual": g.actual,
                "predicted": g.predicted,
            }
            for g in check.groups
        ],
        "actual_total": check.total_actual,
        "predicted_total": check.total_predicted,
        "mean_absolute_error": check.group_mean_absolute_error,
    }


# --- rescoring between refreshes ------------------------------------------------------------


def do_rescore_changed(store: Store, *, now: datetime | None = None) -> int:
    """Rescore the customers whose orders changed since the last scoring, with the models
    fitted at the last full refresh. Without a refresh yet, run one."""
    now = now or timezone.now()
    report = latest_insights(store)
    if report is None:  # the first full refresh scores everyone
        do_request_refresh(store)
        return 0
    changed = set(
        Order.objects.filter(store=store, updated_at__gt=report.scored_through)
        .exclude(customer=None)
        .values_list("customer_id", flat=True)
    )
    if not changed:
        return 0
    frame = load_orders(store, until=now)
    rfm = rfm_scores(frame, as_of=now)
    models = _stored_models(report.figures, frame, now)
    try:
        scores = _scores(models, rfm, now, settings_for(store))
    except ModelFitError:
        scores = {}  # as at the last refresh: the page says why
    wanted = np.flatnonzero(np.isin(rfm.customer_id, np.fromiter(changed, dtype=np.int64)))
    with transaction.atomic():
        CustomerScore.objects.filter(store=store, customer_id__in=changed).delete()
        written = insert_scores(store, rfm, scores, now, rows=wanted)
        StoreInsights.objects.filter(pk=report.pk).update(scored_through=now)
    return written


def _stored_models(figures: dict, frame: OrderFrame, now: datetime) -> _Models:
    clv = figures.get("clv") or {}
    stored_bg, stored_gg = clv.get("bgnbd"), clv.get("gamma_gamma")
    if not stored_bg or frame.orders == 0:
        return _Models(None, None, None, problem=clv.get("problem", ""))
    summary = _summary(frame, now)
    bg = BGNBDFit.from_dict(stored_bg["fit"])
    gg = GammaGammaFit.from_dict(stored_gg["fit"]) if stored_gg else None
    return _Models(summary, bg, gg)
