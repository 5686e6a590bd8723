"""Benchmark of the Insights page's server time with 100,000 customers and 1,000,000 orders.

    .venv/bin/python benchmarks/insights_page.py [--runs 5] [--requests 40] [--skip-refresh]

Builds (once, deterministically, cached under benchmarks/.data/) a migrated SQLite database
with benchmarks/insights_metrics.py's builder (migrate, the store, rows written with
executemany), filled here with 100,000 customers who buy as BG/NBD and Gamma-Gamma say:
1,000,000 paid orders over five years (plus 50,000 pending, cancelled or refunded ones). Then
an owner, and 3,000 NPS and 3,000 CSAT answers over the last 12 months, imported through
`do_import_responses`, so that every chart of the page is drawn.

Then, once per invocation and in a process of its own, the store's full refresh
(`do_refresh_insights`, as of the day after the last order, so the figures do not depend on
the day the benchmark runs): its wall time and peak memory are the nightly job's cost, and it
leaves the report the page shows.

Each run is a fresh process: Django set up, the URL configuration loaded (as `regulars serve`
preloads it) and the owner logged in (django.test.Client.force_login) before the clock starts.
It GETs the Insights page once (cold), then N times (warm) interleaved with N GETs of the
reference, the store's staff page (same client, middleware, login, store check and layout; the
page lists the one member). The store settings page would not do: its time-zone and currency
menus (hundreds of options) make it three times slower than the Insights page. Each body is
checked (status 200, every chart with its data, the KPI tiles), and each CSV download linked
from the page is timed once. The time is the whole Django request (middleware, view,
template) in the process, without a network or a WSGI server. Target (issue 3): under 300 ms.
Prints a table and writes it into benchmarks/README.md.
"""

import argparse
import csv
import io
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from insights_metrics import DATA, FIRST_ORDER, STORE_SLUG, build_database, write_orders
from readme import write_section

HERE = Path(__file__).resolve().parent
TARGET_MS = 300.0
ORDERS = 1_000_000
CUSTOMERS = 100_000
SURVEY_ANSWERS = 3_000  # of each kind
OWNER = "owner@bench.example"
# The orders run from 2021-01-01 (FIRST_ORDER) for five years: the figures are computed as of
# the day after the last one.
AS_OF = datetime(2026, 1, 2, tzinfo=UTC)
SEED = 20251231
YEARS = 5
# Customers buy as BG/NBD says (each at their own rate, dropping out after some order; rates
# and days), spend as Gamma-Gamma says (the CDNOW estimates); about 1.1 million orders before
# thinning to ORDERS. The models then have something to find: the CLV chart is drawn.
BG_DAYS = (0.5, 9.0, 0.6, 2.0)  # r, alpha, a, b
GG = (6.25, 3.74, 15.44)  # p, q, gamma
CHARTS = ("cohort-chart", "segment-chart", "survey-chart", "clv-chart", "holdout-chart")
PREPARED = "insights-page-prepared.json"  # the owner and the answers are in
REFRESHED = "insights-page-refresh.json"  # the last measured refresh (the page's report)


# --- the database ---------------------------------------------------------------------------


def database_dir() -> Path:
    return DATA / f"insights-page-{ORDERS}-{CUSTOMERS}"


def build() -> Path:
    var_dir = build_database(ORDERS, final=database_dir(), filler=Path(__file__))
    if not (var_dir / PREPARED).exists():
        # The owner is set with update-or-create and the answers are imported by their
        # external ids: a preparation that stopped half way is simply run again.
        prepared = in_process(var_dir, "--prepare")
        (var_dir / PREPARED).write_text(json.dumps(prepared))
    return var_dir


def fill(path: Path, paid_orders: int) -> None:
    """The customers and orders (`--fill`, in a process of its own; see BG_DAYS): first orders
    spread over five years, later ones at random, thinned to exactly `paid_orders`; then 5 %
    more orders that are pending, cancelled or refunded."""
    from regulars.insights.clv.bgnbd import simulate_bgnbd

    rng = np.random.default_rng(SEED)
    span = YEARS * 365.25
    first = rng.uniform(0.0, span, CUSTOMERS)
    repeats, recency = simulate_bgnbd(*BG_DAYS, span - first, rng)
    # Given its count, a Poisson process's times are uniform: a customer's orders are the
    # first at 0, the last at its recency and the others anywhere between.
    counts = repeats + 1
    buyer = np.repeat(np.arange(CUSTOMERS), counts)
    nth = np.arange(buyer.size) - np.repeat(np.cumsum(counts) - counts, counts)
    offset = rng.uniform(0.0, 1.0, buyer.size) * recency[buyer]
    offset[nth == 0] = 0.0
    last = (nth == counts[buyer] - 1) & (nth > 0)
    offset[last] = recency[buyer][last]
    assert buyer.size >= paid_orders, f"only {buyer.size:,} orders simulated"
    repeat_orders = np.flatnonzero(nth > 0)
    dropped = rng.choice(repeat_orders, size=buyer.size - paid_orders, replace=False)
    kept = np.ones(buyer.size, dtype=bool)
    kept[dropped] = False
    buyer, day = buyer[kept], (first[buyer] + offset)[kept]
    p, q, gamma = GG
    nu = rng.gamma(q, 1.0 / gamma, CUSTOMERS)
    totals = np.maximum(np.round(rng.gamma(p, 1.0 / nu[buyer]), 2), 0.01)
    status = np.full(buyer.size, "paid", dtype=object)
    others = rng.choice(buyer.size, size=paid_orders // 20, replace=False)
    buyer = np.concatenate([buyer, buyer[others]])
    day = np.concatenate([day, np.minimum(day[others] + rng.uniform(0, 1, others.size), span)])
    totals = np.concatenate([totals, totals[others]])
    status = np.concatenate(
        [status, rng.choice(["pending", "cancelled", "refunded"], size=others.size)]
    )
    order = np.argsort(day, kind="stable")
    placed = FIRST_ORDER + np.round(day[order] * 86400).astype("timedelta64[s]")
    placed_text = np.char.replace(np.datetime_as_string(placed, unit="s"), "T", " ")
    write_orders(path, CUSTOMERS, buyer[order], placed_text, totals[order], status[order])


def prepare() -> dict:
    """Add the owner and import the survey answers (in the benchmark's database)."""
    from regulars.core.models import Store
    from regulars.core.services import do_set_member
    from regulars.insights.imports.service import do_import_responses

    store = Store.objects.get(slug=STORE_SLUG)
    do_set_member(store, email=OWNER, role="owner")
    imported = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind, scores in (("nps", range(11)), ("csat", range(1, 6))):
            path = Path(folder) / f"{kind}.csv"
            path.write_text(_answers_csv(kind, list(scores)))
            result = do_import_responses(store, path, kind=kind, stream=io.StringIO(), bar=False)
            assert result.rejected == 0, result.errors[:3]
            imported[kind] = result.created + result.already_imported
    return imported


def _answers_csv(kind: str, scores: list[int]) -> str:
    """SURVEY_ANSWERS answers by random customers over the 12 months before AS_OF."""
    rng = np.random.default_rng(SEED + len(scores))
    # NPS leaning to promoters, CSAT to satisfied: what a store that keeps customers sees.
    weights = np.linspace(1.0, 3.0, len(scores)) ** 2
    picked = rng.choice(scores, size=SURVEY_ANSWERS, p=weights / weights.sum())
    customers = rng.integers(0, CUSTOMERS, SURVEY_ANSWERS)
    seconds = rng.integers(3600, 360 * 86400, SURVEY_ANSWERS)
    comments = ["", "", "Fast delivery.", "The size was wrong.", "Great service, thank you!"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["customer_id", "date", "score", "comment", "channel"])
    for n in range(SURVEY_ANSWERS):
        answered = AS_OF - timedelta(seconds=int(seconds[n]))
        writer.writerow(
            [
                f"C{customers[n]:07d}",
                answered.isoformat(),
                int(picked[n]),
                comments[n % len(comments)],
                "email",
            ]
        )
    return out.getvalue()


# --- the nightly refresh (its own process) --------------------------------------------------


def refresh() -> dict:
    from regulars.core.models import Store
    from regulars.insights.models import CustomerScore
    from regulars.insights.services import do_refresh_insights

    store = Store.objects.get(slug=STORE_SLUG)
    before_mb = _peak_mb()
    started = time.perf_counter()
    report = do_refresh_insights(store, now=AS_OF)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "before_mb": before_mb,
        "scored": CustomerScore.objects.filter(store=store).count(),
        "figures_bytes": len(json.dumps(report.figures)),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- one run of page requests (its own process) ---------------------------------------------


def page_run(requests: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    __import__(settings.ROOT_URLCONF)  # as gunicorn's master does (regulars/wsgi.py)
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=OWNER))
    page_url = reverse("dashboard:insights", args=[STORE_SLUG])
    reference_url = reverse("dashboard:staff", args=[STORE_SLUG])

    def timed(url: str):
        started = time.perf_counter()
        response = client.get(url)
        return time.perf_counter() - started, response

    cold, response = timed(page_url)
    body = _check_page(response)
    warm, reference = [], []
    for _ in range(requests):
        seconds, answer = timed(reference_url)
        assert answer.status_code == 200, answer.status_code
        reference.append(seconds)
        seconds, response = timed(page_url)
        assert response.status_code == 200 and len(response.content) == len(body)
        warm.append(seconds)
    downloads = {}
    # The page's own download links: every table it shows.
    for url in dict.fromkeys(re.findall(r'href="([^"]+\.csv)"', body.decode())):
        name = url.rsplit("/", 1)[-1].removesuffix(".csv")
        seconds, answer = timed(url)
        assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
        assert len(answer.content.decode().splitlines()) > 1, f"{name}.csv has no rows"
        downloads[name] = seconds
    # A period of the merchant's choosing is computed on request: the refresh's last 12 months.
    custom_url = f"{page_url}?start=2025-01-02&end=2026-01-01"
    seconds, answer = timed(custom_url)
    assert answer.status_code == 200 and b"computed just now" in answer.content
    return {
        "cold": cold,
        "warm": warm,
        "reference": reference,
        "csv": downloads,
        "custom": seconds,
        "bytes": len(body),
    }


def _check_page(response) -> bytes:
    """The page is the full one: every chart with its data, and the KPI tiles."""
    assert response.status_code == 200, response.status_code
    body = response.content
    text = body.decode()
    for name in CHARTS:
        found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', text)
        assert found, f"{name} is not on the page"
        figure = json.loads(found.group(1))
        assert figure["data"] and all(trace.get("x") for trace in figure["data"]), name
    assert "vendor/plotly.min.js" in text and "Repurchase rate" in text
    return body


# --- processes ------------------------------------------------------------------------------


def in_process(var_dir: Path, *args: str) -> dict:
    """Run this script with `args` in a fresh process on the benchmark's database."""
    env = {**os.environ, "REGULARS_VAR_DIR": str(var_dir), "DATABASE_URL": ""}
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(args)} failed (exit code {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(args: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulars.settings")
    django.setup()
    if args[0] == "--prepare":
        result = prepare()
    elif args[0] == "--refresh":
        result = refresh()
    else:
        result = page_run(int(args[1]))
    print(json.dumps(result))


# --- report ---------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f} ms"


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def report(runs: list[dict], refreshed: dict, prepared: dict, requests: int) -> str:
    page = [statistics.median(r["warm"]) for r in runs]
    reference = [statistics.median(r["reference"]) for r in runs]
    ratios = [p / ref for p, ref in zip(page, reference, strict=True)]
    median = statistics.median
    csv_line = ", ".join(
        f"{name} {_ms(median(r['csv'][name] for r in runs))}" for name in runs[0]["csv"]
    )
    size = runs[0]["bytes"]
    return "\n".join(
        [
            "| measure | value | target |",
            "|---|---|---|",
            f"| customers / paid orders | {CUSTOMERS:,} / {ORDERS:,} | 100,000 / 1,000,000 |",
            f"| survey answers, last 12 months | {prepared['nps']:,} NPS, {prepared['csat']:,}"
            " CSAT | |",
            f"| runs (fresh processes) x warm requests each | {len(runs)} x {requests} | |",
            f"| Insights page, warm, median | **{_ms(median(page))}** | < {TARGET_MS:.0f} ms |",
            f"| each run (its median) | {', '.join(_ms(s) for s in page)} | |",
            f"| Insights page, warm, p95 (median over runs) |"
            f" {_ms(median(_p95(r['warm']) for r in runs))} | |",
            f"| Insights page, cold (first request of the process), median |"
            f" {_ms(median(r['cold'] for r in runs))} | |",
            f"| page size | {size:,} bytes | |",
            f"| reference: the store's staff page, warm, median | {_ms(median(reference))} | |",
            f"| Insights page / reference | **{median(ratios):.2f}** | |",
            f"| each CSV download (once a run), median | {csv_line} | |",
            "| the page for a period of the merchant's choosing (a year, computed on request),"
            f" once a run, median | {_ms(median(r['custom'] for r in runs))} | |",
            f"| nightly refresh (`do_refresh_insights`), one run on {refreshed['date']} |"
            f" **{refreshed['seconds']:.1f} s**, {refreshed['scored']:,} customers scored | |",
            f"| peak memory of the refresh process (ru_maxrss; {refreshed['before_mb']:.0f} MB"
            f" before it) | {refreshed['peak_mb']:,.0f} MB | |",
        ]
    )


NOTE = """\
The page reads the one row the refresh stored (its figures a JSON document of {figures_kb} KB,
whatever the number of customers) and renders it: six small queries, none over a millisecond;
the rest is the template writing its tables (the two cohort tables have 24 x 25 cells each).
Its time does not grow with the store. The refresh does, and it runs on the worker: timed by
parts under cProfile on 2026-11-23 (9.3 s that time), 3.0 s reading the orders (`load_orders`),
2.8 s writing the 100,000 `CustomerScore` rows (columns built from the arrays, 1.4 s, and one
prepared INSERT run by executemany, 1.3 s), 1.1 s fitting both models, 0.8 s scoring, the rest
the figures and deleting the old scores. Before the rows were written that way (model instances
through `bulk_create`, 1,924 INSERTs of 52 rows) the writing alone took 12.5 s and the refresh
13.7 s."""


def write_readme(table: str, when: str, figures_bytes: int) -> None:
    about = textwrap.fill(
        f"Measured {when} on this machine ({os.cpu_count()} cores), SQLite"
        f" {sqlite3.sqlite_version}. One store with {CUSTOMERS:,} customers buying as BG/NBD"
        f" and Gamma-Gamma say, {ORDERS:,} paid orders over five years (plus 50,000 pending,"
        " cancelled or refunded ones), 12 months of NPS and CSAT answers, and its full insights"
        " report. Each run is a fresh process (Django set up, the URL configuration loaded, the"
        " owner logged in before the clock starts) making the requests with"
        " django.test.Client: the time is the whole Django request (middleware, view,"
        " template), without network or WSGI server. The reference is the store's staff page"
        " (same layout, login and store check; one member listed), requested between the"
        " Insights page's requests by the same client. The refresh is measured once per"
        " invocation, in a process of its own."
        " Re-run with `.venv/bin/python benchmarks/insights_page.py`.",
        width=100,
    )
    note = NOTE.format(figures_kb=f"{figures_bytes / 1024:.0f}")
    section = f"## Insights page (`benchmarks/insights_page.py`)\n\n{about}\n\n{table}\n\n{note}"
    write_section("insights-page", section)


def main() -> int:
    if sys.argv[1:2] == ["--fill"]:
        fill(Path(sys.argv[2]), int(sys.argv[3]))
        return 0
    if sys.argv[1:2] and sys.argv[1] in ("--prepare", "--refresh", "--page"):
        child(sys.argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes (>= 3)")
    parser.add_argument("--requests", type=int, default=40, help="warm requests per process")
    parser.add_argument(
        "--skip-refresh", action="store_true", help="keep the last refresh and its figures"
    )
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    var_dir = build()
    prepared = json.loads((var_dir / PREPARED).read_text())
    kept = var_dir / REFRESHED
    if args.skip_refresh and kept.exists():
        refreshed = json.loads(kept.read_text())
    else:
        print("refreshing the store's insights ...", flush=True)
        refreshed = in_process(var_dir, "--refresh")
        kept.write_text(json.dumps(refreshed))
    print(f"refresh: {refreshed['seconds']:.1f} s, {refreshed['peak_mb']:.0f} MB", flush=True)
    runs = []
    for n in range(args.runs):
        run = in_process(var_dir, "--page", str(args.requests))
        print(
            f"run {n + 1}: cold {_ms(run['cold'])}, warm median"
            f" {_ms(statistics.median(run['warm']))}, p95 {_ms(_p95(run['warm']))}; reference"
            f" {_ms(statistics.median(run['reference']))}",
            flush=True,
        )
        runs.append(run)
    table = report(runs, refreshed, prepared, args.requests)
    print(table)
    if not args.no_readme:
        when = datetime.now(UTC).strftime("%Y-%m-%d")
        write_readme(table, when, refreshed["figures_bytes"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
