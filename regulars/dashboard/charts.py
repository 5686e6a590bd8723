"""Plotly figures (plain data + layout JSON, drawn by plotly.min.js) from a store's insights.

Built as dicts rather than with plotly's Python objects: the page renders in a few
milliseconds and the JSON is exactly what Plotly.js reads. Every chart has a table beside it
on the page (and a CSV download), so nothing depends on JavaScript to be read.
"""

from typing import Any

_LAYOUT: dict[str, Any] = {
    "margin": {"l": 56, "r": 16, "t": 8, "b": 48},
    "height": 320,
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def _figure(data: list[dict], **layout: Any) -> dict:
    return {"data": data, "layout": {**_LAYOUT, **layout}}


def cohort_heatmap(cohorts: dict) -> dict | None:
    """Share of each first-order month's customers who ordered again N months later."""
    rows = cohorts.get("rows") or []
    if not rows:
        return None
    offsets = cohorts["offsets"]
    z = [
        [
            round(100 * kept / row["size"], 1)
            if row["size"] and index < len(row["retained"])
            else None
            for index, kept in enumerate(_padded(row["retained"], len(offsets)))
        ]
        for row in rows
    ]
    return _figure(
        [
            {
                "type": "heatmap",
                "x": offsets,
                "y": [row["month"] for row in rows],
                "z": z,
                "colorscale": "Blues",
                "reversescale": True,  # Plotly's Blues runs dark to light; full retention is dark
                "hovertemplate": "%{y}, month %{x}: %{z}%<extra></extra>",
                "colorbar": {"ticksuffix": "%"},
            }
        ],
        xaxis={"title": {"text": "months since first order"}, "dtick": 1},
        yaxis={"autorange": "reversed", "type": "category"},
        height=max(320, 22 * len(rows) + 80),
    )


def _padded(values: list, length: int) -> list:
    return list(values) + [None] * (length - len(values))


def segment_bars(segments: list[dict]) -> dict | None:
    if not any(s["customers"] for s in segments):
        return None
    labels = [s["label"] for s in segments]
    return _figure(
        [
            {
                "type": "bar",
                "name": "customers",
                # bars on two axes overlap unless each has its own offset group
                "offsetgroup": "customers",
                "x": labels,
                "y": [s["customers"] for s in segments],
            },
            {
                "type": "bar",
                "name": "revenue",
                "offsetgroup": "revenue",
                "x": labels,
                "y": [s["revenue"] for s in segments],
                "yaxis": "y2",
            },
        ],
        barmode="group",
        yaxis={"title": {"text": "customers"}},
        yaxis2={"title": {"text": "revenue"}, "overlaying": "y", "side": "right"},
        legend={"orientation": "h", "y": 1.12},
        margin={**_LAYOUT["margin"], "r": 64, "b": 96},
    )


def survey_trend(surveys: dict, by: str = "month") -> dict | None:
    """NPS and CSAT by month or by week, each with its 95 % interval as error bars."""
    key = "trend" if by == "month" else "weekly"
    data = []
    for kind, axis in (("nps", "y"), ("csat", "y2")):
        points = [p for p in surveys.get(kind, {}).get(key, []) if p["value"] is not None]
        if not points:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": kind.upper(),
                "x": [p["period"] for p in points],
                "y": [p["value"] for p in points],
                "yaxis": axis,
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [p["high"] - p["value"] for p in points],
                    "arrayminus": [p["value"] - p["low"] for p in points],
                },
                "customdata": [p["n"] for p in points],
                "hovertemplate": "%{x}: %{y} (n = %{customdata})<extra>"
                + kind.upper()
                + "</extra>",
            }
        )
    if not data:
        return None
    return _figure(
        data,
        yaxis={"title": {"text": "NPS"}, "range": [-100, 100]},
        yaxis2={"title": {"text": "CSAT %"}, "overlaying": "y", "side": "right", "range": [0, 100]},
        legend={"orientation": "h", "y": 1.12},
        margin={**_LAYOUT["margin"], "r": 64},
    )


def clv_histogram(clv: dict) -> dict | None:
    bins = clv.get("histogram") or []
    if not bins:
        return None
    return _figure(
        [
            {
                "type": "bar",
                "x": [f"{b['from']:,.0f}–{b['to']:,.0f}" for b in bins],
                "y": [b["customers"] for b in bins],
                "hovertemplate": "%{x}: %{y} customers<extra></extra>",
            }
        ],
        xaxis={"title": {"text": f"predicted value, next {clv.get('horizon_months', 12)} months"}},
        yaxis={"title": {"text": "customers"}},
        bargap=0.05,
    )


def holdout_bars(holdout: dict) -> dict | None:
    rows = holdout.get("rows") or []
    if not rows:
        return None
    groups = [row["group"] for row in rows]
    return _figure(
        [
            {"type": "bar", "name": "actual", "x": groups, "y": [r["actual"] for r in rows]},
            {"type": "bar", "name": "predicted", "x": groups, "y": [r["predicted"] for r in rows]},
        ],
        barmode="group",
        xaxis={"title": {"text": "repeat purchases in the calibration period"}, "type": "category"},
        yaxis={"title": {"text": "mean repeat purchases in the holdout"}},
        legend={"orientation": "h", "y": 1.12},
    )
