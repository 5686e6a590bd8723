"""Benchmark of the store-wide insights on SQLite: repurchase metrics, cohorts and RFM.

    .venv/bin/python benchmarks/insights_metrics.py [--orders 1000000] [--runs 3]

Builds (once, deterministically, cached under benchmarks/.data/) a migrated SQLite database
with one store (Europe/Berlin, so month boundaries move with daylight saving time), 200,000
customers, 1,000,000 paid orders over five years and 5 % more orders that are pending,
cancelled or refunded (which the metrics must skip). The rows are written with plain
sqlite3.executemany into the real tables after `regulars migrate`: the import command would
need over a minute per million orders, and what is measured here is the reading.

Each run is a fresh process (Django set up before the clock starts) that times
`load_orders` + `repurchase_metrics` (all time, and the last 12 months) + `cohort_table` (every
month) + `rfm_scores` and `segment_summary`, and reports its peak memory (ru_maxrss). Targets
(issue 3): at most 5 s in all, under 1 GB. Prints a table and writes it into
benchmarks/README.md.
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from readme import write_section

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
REGULARS = Path(sys.executable).with_name("regulars")
TARGET_SECONDS = 5.0
TARGET_PEAK_MB = 1024
STORE_SLUG = "bench-insights"
STORE_TZ = "Europe/Berlin"
FIRST_ORDER = np.datetime64("2021-01-01T00:00:00", "s")
YEARS = 5
SEED = 20250101


# --- the database ---------------------------------------------------------------------------


def database_dir(orders: int) -> Path:
    return DATA / f"insights-{orders}"


def build_database(orders: int, final: Path | None = None, filler: Path | None = None) -> Path:
    """The cached database directory (a REGULARS_VAR_DIR) holding `orders` paid orders.

    `final` is the directory (by default `database_dir(orders)`), `filler` the script whose
    `--fill DATABASE ORDERS` writes the customers and orders into the migrated database with
    `write_orders` (by default this one; benchmarks/insights_page.py has its own customers).
    """
    final = final or database_dir(orders)
    if (final / "regulars.sqlite3").exists():
        return final
    print(f"building {final.name} (once) ...", flush=True)
    started = time.perf_counter()
    building = final.with_name(final.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    env = {**os.environ, "REGULARS_VAR_DIR": str(building), "DATABASE_URL": ""}
    subprocess.run(
        [str(REGULARS), "migrate", "--noinput", "--skip-checks", "-v0"], env=env, check=True
    )
    create_store = (
        "from regulars.core.services import do_create_store; do_create_store(name='Bench',"
        f" currency='EUR', timezone_name='{STORE_TZ}', language='en', slug='{STORE_SLUG}')"
    )
    subprocess.run(
        [str(REGULARS), "shell", "-c", create_store],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # Filled in a process of its own: this one stays small, and a run's peak memory
    # (ru_maxrss, which Linux carries over from the parent at fork) stays the run's own.
    subprocess.run(
        [
            sys.executable,
            str(filler or __file__),
            "--fill",
            str(building / "regulars.sqlite3"),
            str(orders),
        ],
        check=True,
    )
    building.rename(final)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return final


def _fill(path: Path, paid_orders: int) -> None:
    rng = np.random.default_rng(SEED)
    customers = max(1, paid_orders // 5)
    others = paid_orders // 20
    total_orders = paid_orders + others
    # Every customer buys once; the other orders go to customers at rates that differ from one
    # to the next (a gamma mix, as in the NBD model): many buy once, a few often. Orders are
    # spread evenly over five years, in time order.
    weights = rng.gamma(0.6, 1.0, customers)
    repeat = rng.choice(customers, size=total_orders - customers, p=weights / weights.sum())
    buyer = rng.permutation(np.concatenate([np.arange(customers), repeat]))
    span = int(YEARS * 365.25 * 86400)
    seconds = np.sort(rng.integers(0, span, total_orders))
    placed = FIRST_ORDER + seconds.astype("timedelta64[s]")
    micros = rng.integers(0, 1_000_000, total_orders)
    # A third of the times carry microseconds, as Django writes them when they are not zero.
    with_micros = rng.random(total_orders) < 1 / 3
    placed_us = placed.astype("datetime64[us]") + np.where(with_micros, micros, 0).astype(
        "timedelta64[us]"
    )
    placed_text = np.char.replace(np.datetime_as_string(placed_us, unit="auto"), "T", " ")
    totals = np.round(rng.lognormal(4.0, 0.6, total_orders), 2)
    status = np.full(total_orders, "paid", dtype=object)
    status[rng.choice(total_orders, size=others, replace=False)] = rng.choice(
        ["pending", "cancelled", "refunded"], size=others
    )
    write_orders(path, customers, buyer, placed_text, totals, status)


def write_orders(path: Path, customers: int, buyer, placed_text, totals, status) -> None:
    """Write `customers` customers (external ids C0000000, C0000001, ...) and their orders into
    the store of the migrated database at `path`: per order, the index of its customer, its
    time in UTC as Django writes it ("2021-01-01 00:00:00[.ffffff]"), its total and status."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    store_id = db.execute("SELECT id FROM core_store WHERE slug = ?", [STORE_SLUG]).fetchone()[0]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    _insert_customers(db, store_id, customers, now)
    first_customer = db.execute(
        "SELECT min(id) FROM commerce_customer WHERE store_id = ?", [store_id]
    ).fetchone()[0]
    _insert_orders(db, store_id, first_customer, buyer, placed_text, totals, status, now)
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _insert_customers(db, store_id: int, customers: int, now: str) -> None:
    columns = (
        "external_id, email, phone, first_name, last_name, language, timezone, first_seen_at,"
        " email_consent, email_consent_source, sms_consent, sms_consent_source, whatsapp_consent,"
        " whatsapp_consent_source, push_consent, push_consent_source, tags,"
        " orders_count, total_spent, source, created_at, updated_at, store_id"
    )
    rows = (
        (
            f"C{n:07d}",
            f"customer.{n}@example.com",
            "",
            "",
            "",
            "",
            "",
            now,
            "unknown",
            "",
            "unknown",
            "",
            "unknown",
            "",
            "unknown",
            "",
            "[]",
            0,
            0,
            "demo",
            now,
            now,
            store_id,
        )
        for n in range(customers)
    )
    db.execute("BEGIN")
    db.executemany(
        f"INSERT INTO commerce_customer ({columns}) VALUES ({', '.join(['?'] * 23)})", rows
    )
    db.execute("COMMIT")


def _insert_orders(db, store_id, first_customer, buyer, placed_text, totals, status, now) -> None:
    columns = (
        "external_id, name, email, status, currency, subtotal, discount_total, shipping_total,"
        " tax_total, total, coupon_codes, placed_at, paid_at, source, created_at, updated_at,"
        " customer_id, store_id"
    )
    customer_ids = (buyer + first_customer).tolist()
    placed_text, totals, status = placed_text.tolist(), totals.tolist(), status.tolist()
    rows = (
        (
            f"{100000 + n}",
            f"#{100000 + n}",
            "",
            status[n],
            "EUR",
            totals[n],
            0,
            0,
            0,
            totals[n],
            "[]",
            placed_text[n],
            placed_text[n] if status[n] == "paid" else None,
            "demo",
            now,
            now,
            customer_ids[n],
            store_id,
        )
        for n in range(len(customer_ids))
    )
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO commerce_order ({columns}) VALUES ({', '.join(['?'] * 18)})", rows)
    db.execute("COMMIT")


# --- one run (in its own process) -----------------------------------------------------------


def child() -> None:
    """Time the whole computation once in this process and print the figures as JSON."""
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulars.settings")
    django.setup()
    from datetime import timedelta

    from regulars.core.models import Store
    from regulars.insights.cohorts import cohort_table
    from regulars.insights.metrics import repurchase_metrics
    from regulars.insights.orders_data import load_orders
    from regulars.insights.rfm import rfm_scores, segment_summary

    store = Store.objects.get(slug=STORE_SLUG)
    laps = {}
    started = lap = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        laps[name] = now - lap
        lap = now

    frame = load_orders(store)
    mark("load_orders")
    last = datetime.fromtimestamp(int(frame.placed_at.max()) + 1, UTC)
    all_time = repurchase_metrics(frame, None, None)
    mark("repurchase_metrics, all time")
    year = repurchase_metrics(frame, last - timedelta(days=365), last)
    mark("repurchase_metrics, last 12 months")
    cohorts = cohort_table(frame)
    mark("cohort_table, every month")
    scores = rfm_scores(frame, as_of=last)
    segments = segment_summary(scores)
    mark("rfm_scores + segment_summary")
    total = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": total,
                "reference": _plain_read(store),
                "laps": laps,
                "peak_mb": peak_mb,
                "orders": int(frame.orders),
                "customers": int(all_time.customers),
                "repurchase_rate": all_time.repurchase_rate,
                "repurchase_rate_12m": year.repurchase_rate,
                "cohorts": len(cohorts.months),
                "segments": {s.segment: s.customers for s in segments},
            }
        )
    )


def _plain_read(store) -> float:
    """The reference: the same purchases read by the same query with plain sqlite3 into a
    Python list (no arrays, no figures): what any Python reader of these rows pays."""
    from django.db import connection

    from regulars.insights.orders_data import _query

    sql, params = _query(store, None)
    db = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        started = time.perf_counter()
        rows = db.execute(sql.replace("%s", "?").replace("%%", "%"), params).fetchall()
        seconds = time.perf_counter() - started
    finally:
        db.close()
    assert len(rows) > 0
    return seconds


def run_once(var_dir: Path) -> dict:
    env = {**os.environ, "REGULARS_VAR_DIR": str(var_dir), "DATABASE_URL": ""}
    done = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report ---------------------------------------------------------------------------------


def report(runs: list[dict]) -> str:
    seconds = statistics.median(r["seconds"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    first = runs[0]
    each = ", ".join(f"{r['seconds']:.2f} s" for r in runs)
    table = [
        "| measure | value | target |",
        "|---|---|---|",
        f"| paid orders read / customers | {first['orders']:,} / {first['customers']:,} | |",
        f"| runs | {len(runs)} | |",
        f"| all of it, median | **{seconds:.2f} s** | <= {TARGET_SECONDS:.0f} s |",
        f"| each run | {each} | |",
    ]
    reference = statistics.median(r["reference"] for r in runs)
    table += [
        f"| reference: the same rows read by plain sqlite3 `fetchall`, median | {reference:.2f} s | |",
        f"| all of it / reference | **{seconds / reference:.2f}** | |",
    ]
    for name in first["laps"]:
        lap = statistics.median(r["laps"][name] for r in runs)
        table.append(f"| `{name}`, median | {lap:.3f} s | |")
    table.append(
        f"| peak memory of the process (ru_maxrss, with Django) | **{peak:,.0f} MB**"
        f" | < {TARGET_PEAK_MB:,} MB |"
    )
    return "\n".join(table)


NOTE = """\
Nearly all the time is `load_orders`, and most of that is Python building the rows that
sqlite3 returns (three values an order); SQLite itself scans the million rows in about 0.3 s,
and the arrays are built and sorted in about 0.25 s. Sorting in SQL instead (`ORDER BY
customer_id, placed_at`) tripled the reading time, and one `group_concat` string parsed by
NumPy was slower than the rows. The figures themselves are a few passes over the arrays
(tens of milliseconds). On this shared VM the same run took up to 4 s while other test suites
were running."""


def write_readme(table: str, when: str) -> None:
    section = (
        f"## Insights metrics (`benchmarks/insights_metrics.py`)\n\n"
        f"Measured {when} on this machine ({os.cpu_count()} cores), SQLite {sqlite3.sqlite_version},"
        f" one store in {STORE_TZ}, 200,000 customers, 1,000,000 paid orders over five years"
        " plus 50,000 pending, cancelled or refunded ones. Each run is a fresh process; the time"
        " counts from the first query to the last segment; the reference, in the same process"
        " after it, reads the same rows with plain sqlite3 into a list.\n"
        "Re-run with `.venv/bin/python benchmarks/insights_metrics.py`.\n\n"
        f"{table}\n\n{NOTE}"
    )
    write_section("insights-metrics", section)


def main() -> int:
    if sys.argv[1:] == ["--child"]:
        child()
        return 0
    if sys.argv[1:2] == ["--fill"]:
        _fill(Path(sys.argv[2]), int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="paid orders")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    var_dir = build_database(args.orders)
    runs = []
    for n in range(args.runs):
        result = run_once(var_dir)
        laps = ", ".join(f"{name} {s:.3f}" for name, s in result["laps"].items())
        print(f"run {n + 1}: {result['seconds']:.2f} s, {result['peak_mb']:.0f} MB ({laps})")
        runs.append(result)
    print(json.dumps({k: v for k, v in runs[0].items() if k not in ("laps",)}, indent=1))
    table = report(runs)
    print(table)
    if not args.no_readme:
        write_readme(table, datetime.now(UTC).strftime("%Y-%m-%d"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
