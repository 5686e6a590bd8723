"""A store's insights as tables, built from its figures for the Insights page, its CSV downloads
and `regulars insights --store S`: what a merchant downloads or prints is what the page shows."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's name and the URL's
    title: str
    header: list[str]
    rows: list[list]


def _pct(value) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _num(value, places: int = 2) -> str:
    return "" if value is None else f"{value:,.{places}f}"


def _moment(iso: str | None) -> str:
    """The day of an ISO time (UTC) of the refresh: "2026-03-02"."""
    return "" if not iso else datetime.fromisoformat(iso).strftime("%Y-%m-%d")


def periods_table(figures: dict) -> Table:
    header = [
        "period",
        "from",
        "to",
        "orders",
        "revenue",
        "returning orders",
        "returning revenue",
        "new orders",
        "new revenue",
        "repurchase rate",
        "repeat customer rate",
        "average order value",
        "purchase frequency",
        "median days between orders",
        "customers",
        "new customers",
    ]
    rows = []
    for period in figures.get("periods", []):
        m = period["metrics"]
        rows.append(
            [
                period["label"],
                _moment(period["start"]),
                _moment(period["end"]),
                m["orders"],
                _num(m["revenue"]),
                m["returning_orders"],
                _num(m["returning_revenue"]),
                m["new_orders"],
                _num(m["new_revenue"]),
                _pct(m["repurchase_rate"]),
                _pct(m["repeat_customer_rate"]),
                _num(m["average_order_value"]),
                _num(m["purchase_frequency"]),
                _num(m["median_days_between_orders"], 1),
                m["customers"],
                m["new_customers"],
            ]
        )
    return Table("repurchase", "Repurchase and retention", header, rows)


def cohorts_table(figures: dict, *, revenue: bool = False) -> Table:
    cohorts = figures.get("cohorts") or {"offsets": [], "rows": []}
    offsets = cohorts["offsets"]
    header = ["first order month", "customers", *[f"month {n}" for n in offsets]]
    rows = []
    for row in cohorts["rows"]:
        values = row["revenue"] if revenue else row["retained"]
        cells = [_num(v) for v in values] if revenue else list(values)
        rows.append([row["month"], row["size"], *cells])
    if revenue:
        return Table("cohort-revenue", "Revenue by cohort and month", header, rows)
    return Table("cohorts", "Customers retained by cohort and month", header, rows)


def segments_table(figures: dict) -> Table:
    rows = [
        [s["label"], s["customers"], _num(s["revenue"]), s["rule"]]
        for s in figures.get("segments", [])
    ]
    return Table("segments", "RFM segments", ["segment", "customers", "revenue", "rule"], rows)


def survey_table(figures: dict, kind: str, *, by: str = "month") -> Table:
    """NPS or CSAT by month (the last 12) or by week (the last 26)."""
    survey = figures.get("surveys", {}).get(kind, {})
    points = survey.get("trend", []) if by == "month" else survey.get("weekly", [])
    rows = [
        [p["period"], p["n"], _num(p["value"], 1), _num(p["low"], 1), _num(p["high"], 1)]
        for p in points
    ]
    header = [by, "responses", kind.upper(), "95% interval from", "95% interval to"]
    name = kind if by == "month" else f"{kind}-weekly"
    return Table(name, f"{kind.upper()} by {by}", header, rows)


def clv_table(figures: dict) -> Table:
    clv = figures.get("clv") or {}
    rows = [[_num(b["from"]), _num(b["to"]), b["customers"]] for b in clv.get("histogram", [])]
    header = ["predicted value from", "to", "customers"]
    return Table("clv", "Predicted customer value", header, rows)


def holdout_table(figures: dict) -> Table:
    holdout = figures.get("holdout") or {}
    rows = [
        [r["group"], r["customers"], _num(r["actual"], 3), _num(r["predicted"], 3)]
        for r in holdout.get("rows", [])
    ]
    header = ["repeat purchases (calibration)", "customers", "actual (holdout)", "predicted"]
    return Table("holdout", "Holdout check", header, rows)


def all_tables(figures: dict) -> dict[str, Table]:
    tables = [
        periods_table(figures),
        cohorts_table(figures),
        cohorts_table(figures, revenue=True),
        segments_table(figures),
        survey_table(figures, "nps"),
        survey_table(figures, "csat"),
        survey_table(figures, "nps", by="week"),
        survey_table(figures, "csat", by="week"),
        clv_table(figures),
        holdout_table(figures),
    ]
    return {table.name: table for table in tables}
