"""The anniversary and win-back triggers evaluated over 1,000,000 customers.

    python benchmarks/journey_triggers.py [--customers 1000000] [--runs 3]

One store (Europe/Berlin) with the first-order anniversary and win-back journeys switched on,
and 1,000,000 customers whose first orders spread over five years (about 1/365 of them have
their anniversary today), 60 % of them subscribed to e-mail, each with a score whose P(alive)
follows a Beta(4, 1.5) (about 2 % below the store's churn threshold of 0.3). The customers and
scores are written with plain sqlite3 into the migrated database once, and copied for each run.

Each run is a fresh process on a fresh copy: the evaluation as the journeys tick does it
(`triggers.evaluate` for each journey): first the evaluation right after the journeys were
switched on (every drifting customer enrolled), then the next day's (that day's anniversaries;
the drifting customers found again and left alone by ON CONFLICT DO NOTHING). The reference, in the
same process after it: plain sqlite3 counting the same candidates (today's anniversaries;
scores under the threshold joined to their customers), the floor of finding them.
Target (issue 5): under 5 minutes (Mautic is reported at 2.5 days for 1M contacts).
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from readme import write_section

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
STORE_TZ = "Europe/Berlin"
THRESHOLD = 0.3
TARGET_SECONDS = 300


def django_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        REGULARS_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="regulars.settings",
        PYTHONPATH=str(HERE),
    )
    return env


def database_path(var_dir: Path) -> Path:
    return var_dir / "regulars.sqlite3"


# --- the seed ---------------------------------------------------------------------------------


def build_seed(var_dir: Path, customers: int, now: datetime) -> None:
    env = django_env(var_dir)
    regulars = str(BIN / "regulars")
    subprocess.run([regulars, "migrate", "--noinput", "-v0"], env=env, check=True)
    code = (
        "from regulars.core.services import do_create_store\n"
        "from regulars.insights.models import InsightsSettings\n"
        "from regulars.journeys.services import do_set_journey_enabled\n"
        "s = do_create_store(name='Bench Records', currency='EUR',"
        f" timezone_name={STORE_TZ!r}, language='en', slug='bench')\n"
        f"InsightsSettings.objects.update_or_create(store=s, defaults={{'churn_threshold': {THRESHOLD}}})\n"
        "do_set_journey_enabled(s, 'first_order_anniversary', True)\n"
        "do_set_journey_enabled(s, 'winback', True)\n"
        "print(s.pk)\n"
    )
    out = subprocess.run(
        [regulars, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    store_id = int(out.stdout.strip().splitlines()[-1])
    _insert_customers(database_path(var_dir), store_id, customers, now)


def _utc_text(values) -> list[str]:
    return [v.strftime("%Y-%m-%d %H:%M:%S") for v in values]


def _insert_customers(path: Path, store_id: int, customers: int, now: datetime) -> None:
    rng = np.random.default_rng(7)
    five_years = 5 * 365 * 86400
    first_offsets = rng.integers(30 * 86400, five_years, customers)
    first = [now - timedelta(seconds=int(s)) for s in first_offsets]
    orders = rng.integers(1, 6, customers)
    last = [
        f + timedelta(seconds=int(s))
        for f, s in zip(first, rng.random(customers) * (first_offsets - 86400), strict=True)
    ]
    subscribed = rng.random(customers) < 0.6
    p_alive = rng.beta(4, 1.5, customers)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    first_text, last_text = _utc_text(first), _utc_text(last)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    columns = (
        "external_id, email, phone, first_name, last_name, language, timezone, first_seen_at,"
        " email_consent, email_consent_source, sms_consent, sms_consent_source, whatsapp_consent,"
        " whatsapp_consent_source, push_consent, push_consent_source, tags,"
        " orders_count, total_spent, first_order_at, last_order_at, source, created_at,"
        " updated_at, store_id"
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
            first_text[n],
            "subscribed" if subscribed[n] else "unknown",
            "benchmark",
            "unknown",
            "",
            "unknown",
            "",
            "unknown",
            "",
            "[]",
            int(orders[n]),
            30 * int(orders[n]),
            first_text[n],
            last_text[n],
            "demo",
            stamp,
            stamp,
            store_id,
        )
        for n in range(customers)
    )
    db.execute("BEGIN")
    db.executemany(
        f"INSERT INTO commerce_customer ({columns}) VALUES ({', '.join(['?'] * 25)})", rows
    )
    first_id = db.execute(
        "SELECT min(id) FROM commerce_customer WHERE store_id = ?", [store_id]
    ).fetchone()[0]
    score_columns = (
        "customer_id, store_id, frequency, recency_days, age_days, days_since_last_order,"
        " orders, total_spent, average_repeat_spend, recency_score, frequency_score,"
        " monetary_score, segment, p_alive, churn_risk, computed_at"
    )
    scores = (
        (
            first_id + n,
            store_id,
            int(orders[n]) - 1,
            (last[n] - first[n]).days,
            (now - first[n]).days,
            (now - last[n]).days,
            int(orders[n]),
            30 * int(orders[n]),
            30,
            3,
            3,
            3,
            "at_risk" if p_alive[n] < THRESHOLD else "loyal",
            float(p_alive[n]),
            bool(p_alive[n] < THRESHOLD),
            stamp,
        )
        for n in range(customers)
    )
    db.executemany(
        f"INSERT INTO insights_customerscore ({score_columns}) VALUES ({', '.join(['?'] * 16)})",
        scores,
    )
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


# --- one run, in its own process ----------------------------------------------------------------


def child(now_text: str) -> None:
    import django

    django.setup()
    from django.conf import settings

    from regulars.journeys.models import Enrollment, Journey
    from regulars.journeys.triggers import evaluate

    now = datetime.fromisoformat(now_text)
    journeys = list(
        Journey.objects.filter(key__in=["first_order_anniversary", "winback"])
        .select_related("store")
        .order_by("key")
    )
    result: dict = {}
    for label, at in (("switched_on", now), ("next_day", now + timedelta(days=1))):
        started = time.perf_counter()
        for journey in journeys:
            part = time.perf_counter()
            enrolled = evaluate(journey, at)
            result[f"{label}:{journey.key}"] = {
                "seconds": round(time.perf_counter() - part, 3),
                "enrolled": enrolled,
            }
        result[label] = round(time.perf_counter() - started, 3)
    result["enrollments"] = Enrollment.objects.count()
    result["reference"] = _reference(settings.DATABASES["default"]["NAME"], journeys[0], now)
    print(json.dumps(result))


def _reference(path: str, anniversary, now: datetime) -> dict:
    """The same candidates counted by plain sqlite3: the floor of finding them."""
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(STORE_TZ)).date()
    offset = now.astimezone(ZoneInfo(STORE_TZ)).utcoffset().total_seconds()
    db = sqlite3.connect(path)
    started = time.perf_counter()
    birthdays = db.execute(
        "SELECT count(*) FROM commerce_customer WHERE store_id = ? AND "
        "strftime('%m-%d', first_order_at, ? || ' seconds') = ? AND "
        "strftime('%Y', first_order_at, ? || ' seconds') < ?",
        [
            anniversary.store_id,
            f"{offset:+.0f}",
            today.strftime("%m-%d"),
            f"{offset:+.0f}",
            str(today.year),
        ],
    ).fetchone()[0]
    drifting = db.execute(
        "SELECT count(*) FROM insights_customerscore s JOIN commerce_customer c"
        " ON c.id = s.customer_id WHERE s.store_id = ? AND s.p_alive < ? AND c.orders_count >= 1",
        [anniversary.store_id, THRESHOLD],
    ).fetchone()[0]
    seconds = time.perf_counter() - started
    db.close()
    return {"seconds": round(seconds, 3), "anniversaries": birthdays, "drifting": drifting}


# --- the runs -----------------------------------------------------------------------------------


def run_once(seed: Path, run_dir: Path, now: datetime) -> dict:
    run_dir.mkdir(parents=True)
    for name in ("regulars.sqlite3", "secret_key"):
        if (seed / name).exists():
            shutil.copy(seed / name, run_dir / name)
    out = subprocess.run(
        [sys.executable, __file__, "--child", now.isoformat()],
        env=django_env(run_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    shutil.rmtree(run_dir, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    now = datetime.now(UTC).replace(microsecond=0)
    workdir = Path(tempfile.mkdtemp(prefix="regulars-bench-triggers-"))
    try:
        seed = workdir / "seed"
        began = time.perf_counter()
        build_seed(seed, args.customers, now)
        print(
            f"  seed of {args.customers:,} customers built in {time.perf_counter() - began:.0f} s"
        )
        runs = []
        for n in range(args.runs):
            result = run_once(seed, workdir / f"run{n}", now)
            runs.append(result)
            print(
                f"  run {n + 1}: switched on {result['switched_on']} s, next day"
                f" {result['next_day']} s; reference {result['reference']['seconds']} s",
                flush=True,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    summary = summarise(runs, args.customers)
    print(json.dumps(summary, indent=2))
    write_readme(summary)
    return 0 if summary["target_met"] else 1


def summarise(runs: list[dict], customers: int) -> dict:
    def med(get) -> float:
        return round(statistics.median(get(r) for r in runs), 2)

    first = runs[0]
    summary = {
        "customers": customers,
        "runs": len(runs),
        "switched_on_s": med(lambda r: r["switched_on"]),
        "switched_on_each": [r["switched_on"] for r in runs],
        "next_day_s": med(lambda r: r["next_day"]),
        "anniversary_s": med(lambda r: r["switched_on:first_order_anniversary"]["seconds"]),
        "winback_s": med(lambda r: r["switched_on:winback"]["seconds"]),
        "enrolled_anniversary": first["switched_on:first_order_anniversary"]["enrolled"],
        "enrolled_winback": first["switched_on:winback"]["enrolled"],
        "enrolled_later": first["next_day:first_order_anniversary"]["enrolled"]
        + first["next_day:winback"]["enrolled"],
        "candidates_anniversary": first["reference"]["anniversaries"],
        "candidates_winback": first["reference"]["drifting"],
        "reference_s": med(lambda r: r["reference"]["seconds"]),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    summary["ratio"] = round(summary["switched_on_s"] / summary["reference_s"], 1)
    summary["target_met"] = max(summary["switched_on_s"], summary["next_day_s"]) < (TARGET_SECONDS)
    return summary


def write_readme(s: dict) -> None:
    section = f"""## Journey triggers over 1,000,000 customers (`benchmarks/journey_triggers.py`)

Measured {time.strftime("%Y-%m-%d")} on this machine ({os.cpu_count()} cores, load {s["load"]} at
the end), SQLite. One store in {STORE_TZ} with the first-order anniversary and win-back
journeys on; {s["customers"]:,} customers, first orders over five years, 60 % subscribed to
e-mail, P(alive) ~ Beta(4, 1.5) against a churn threshold of {THRESHOLD}. {s["runs"]} runs, each a
fresh process on a fresh copy of the database, timing `triggers.evaluate` for both journeys as
the journeys tick calls it. Re-run with `.venv/bin/python benchmarks/journey_triggers.py`.

| measure | value | target |
|---|---|---|
| both triggers, right after switching on, median | **{s["switched_on_s"]} s** | < 300 s |
| each run | {", ".join(f"{x} s" for x in s["switched_on_each"])} | |
| of which anniversary / win-back, median | {s["anniversary_s"]} s / {s["winback_s"]} s | |
| enrolled: anniversary today / win-back | {s["enrolled_anniversary"]:,} / {s["enrolled_winback"]:,} | |
| candidates before the entry conditions (consent): anniversary / win-back | {s["candidates_anniversary"]:,} / {s["candidates_winback"]:,} | |
| both triggers the next day, median | **{s["next_day_s"]} s** | < 300 s |
| enrolled the next day (its anniversaries; no drifting customer twice) | {s["enrolled_later"]:,} | |
| reference: plain sqlite3 counting the same candidates, median | {s["reference_s"]} s | |
| switched on / reference | {s["ratio"]} | |
| reported for Mautic (an open-source peer), 1M contacts | 2.5 days | |

Nearly all of it is the anniversary: Django's month and day lookups in the store's time zone,
which SQLite computes by calling a Python function for each of the million customers (the
reference uses SQLite's own `strftime` with a fixed offset, which is not right across a change
of daylight saving time). The win-back is one indexed join. Both enroll with one
`INSERT ... SELECT`; PostgreSQL runs the same lookups in SQL."""
    write_section("journey-triggers", section)


if __name__ == "__main__":
    sys.exit(main())
