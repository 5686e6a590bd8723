"""Insights: loyalty figures, cohorts, segments, surveys and the CLV models of a store.

The page only reads what the worker computed (`StoreInsights`), so it stays fast for a large
store; a merchant with the permission to run imports may ask for a fresh computation.
"""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify

from regulars.core.roles import Permission, role_allows
from regulars.dashboard import charts
from regulars.dashboard.forms import InsightsPeriodForm
from regulars.dashboard.views.base import page, store_view
from regulars.insights import services as insights
from regulars.insights.tables import all_tables

_PERIODS = ("30d", "90d", "12m", "all")


@store_view(Permission.VIEW)
def insights_page(request):
    store = request.store
    report = insights.latest_insights(store)
    figures = report.figures if report else {}
    periods = {p["key"]: p for p in figures.get("periods", [])}
    chosen = request.GET.get("period")
    if chosen not in periods:
        chosen = "12m" if "12m" in periods else next(iter(periods), None)
    period = periods.get(chosen)
    # A period of the merchant's choosing is computed now; the others were at the refresh.
    period_form = InsightsPeriodForm(request.GET if "start" in request.GET else None)
    if report and period_form.is_valid():
        data = period_form.cleaned_data
        period = insights.period_figures(store, data["start"], data["end"])
    surveys_by = "week" if request.GET.get("surveys") == "week" else "month"
    figure_specs = {
        "cohort-chart": charts.cohort_heatmap(figures.get("cohorts") or {}),
        "segment-chart": charts.segment_bars(figures.get("segments") or []),
        "survey-chart": charts.survey_trend(figures.get("surveys") or {}, surveys_by),
        "clv-chart": charts.clv_histogram(figures.get("clv") or {}),
        "holdout-chart": charts.holdout_bars(figures.get("holdout") or {}),
    }
    return page(
        request,
        "dashboard/insights/page.html",
        {
            "section": "insights",
            "report": report,
            "figures": figures,
            "period": period,
            "period_form": period_form,
            "surveys_by": surveys_by,
            "surveys_links": {by: _with(request, surveys=by) for by in ("month", "week")},
            "period_keys": [key for key in _PERIODS if key in periods],
            "periods": periods,
            "tables": all_tables(figures),
            "figure_specs": {name: spec for name, spec in figure_specs.items() if spec},
            "refreshing": insights.refresh_pending(store),
            "may_refresh": role_allows(request.membership.role, Permission.REPLAY),
        },
    )


def _with(request, **changes) -> str:
    """This page's query string with `changes` (the other choices kept)."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@store_view(Permission.REPLAY)
def insights_refresh(request):
    if request.method != "POST":
        return redirect("dashboard:insights", request.store.slug)
    insights.do_request_refresh(request.store)
    messages.success(request, "The figures are being computed; reload the page in a minute.")
    return redirect("dashboard:insights", request.store.slug)


@store_view(Permission.VIEW)
def insights_csv(request, table: str):
    report = insights.latest_insights(request.store)
    tables = all_tables(report.figures if report else {})
    if table not in tables:
        raise Http404("No such table.")
    chosen = tables[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{slugify(request.store.slug)}-{chosen.name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(chosen.header)
    writer.writerows(chosen.rows)
    return response
