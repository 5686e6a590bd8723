"""Benchmark of `regulars import orders` on SQLite, against raw sqlite3.executemany.

    .venv/bin/python benchmarks/import_orders.py [--orders 1000000] [--runs 3]

Generates (once, deterministically) a generic orders CSV under benchmarks/.data/: about 1.5
lines per order, one customer per five orders, 2,000 products. Each run migrates a fresh SQLite
database in a temporary REGULARS_VAR_DIR, creates a store, and times the real command in a
subprocess, with its default options (so it reads the file in a second process where there
are two cores), and the peak memory of the two processes together. The reference loads the same rows into
two plain tables (orders and lines) with sqlite3.executemany, with the same SQLite settings.
Prints a table and writes it into benchmarks/README.md.
"""

import argparse
import csv
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from readme import write_section

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
REGULARS = Path(sys.executable).with_name("regulars")
TARGET_ORDERS_PER_S = 30_000
TARGET_PEAK_MB = 500
HEADER = [
    "order_id",
    "placed_at",
    "customer_id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "currency",
    "status",
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "total",
    "coupon_codes",
    "product_id",
    "sku",
    "title",
    "quantity",
    "unit_price",
]
FIRST = ["ada", "bo", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo", "kai", "lea", "max"]
LAST = ["lovelace", "hopper", "turing", "noether", "curie", "meitner", "shannon", "knuth"]
WORDS = ["fern", "mug", "tote", "lamp", "card", "print", "vinyl", "poster", "candle", "scarf"]


# --- the file -------------------------------------------------------------------------------


def generate(path: Path, orders: int, seed: int = 20240301) -> None:
    rng = random.Random(seed)
    customers = max(1, orders // 5)
    products = [
        (
            f"P{n:05d}",
            f"SKU-{n:05d}",
            f"{WORDS[n % 10].title()} no. {n}",
            Decimal(rng.randrange(300, 12000)) / 100,
        )
        for n in range(2000)
    ]
    moment = datetime(2019, 1, 1, tzinfo=UTC)
    step = timedelta(days=5 * 365) / orders
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(HEADER)
        for n in range(orders):
            moment += step * rng.uniform(0.2, 1.8)
            c = rng.randrange(customers)
            first, last = FIRST[c % len(FIRST)], LAST[c % len(LAST)]
            phone = f"+4420{c:08d}" if c % 5 < 2 else ""
            count = rng.choices((1, 2, 3), (60, 30, 10))[0]
            lines = [(rng.choice(products), rng.randint(1, 3)) for _ in range(count)]
            subtotal = sum((p[3] * q for p, q in lines), Decimal(0))
            coupon = "SAVE10" if rng.random() < 0.1 else ""
            discount = (subtotal / 10).quantize(Decimal("0.01")) if coupon else Decimal(0)
            shipping = Decimal("4.99") if subtotal < 50 else Decimal(0)
            tax = ((subtotal - discount) * Decimal("0.07")).quantize(Decimal("0.01"))
            status = rng.choices(("paid", "pending", "refunded", "cancelled"), (90, 4, 3, 3))[0]
            order = [
                f"{100000 + n}",
                moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                f"C{c:07d}",
                f"{first}.{last}.{c}@example.com",
                first.title(),
                last.title(),
                phone,
                "USD",
                status,
                subtotal,
                discount,
                shipping,
                tax,
                subtotal - discount + shipping + tax,
                coupon,
            ]
            for product, quantity in lines:
                out.writerow([*order, product[0], product[1], product[2], quantity, product[3]])
    tmp.replace(path)


def data_file(orders: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"orders-generic-{orders}.csv"
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        started = time.perf_counter()
        generate(path, orders)
        print(f"  {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - started:.0f} s")
    return path


# --- the import -----------------------------------------------------------------------------


def regulars(env: dict, *args: str) -> None:
    subprocess.run([str(REGULARS), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and its children (the reading process of the
    import): their shared pages (Django, forked) count once, not once per process."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    for each in [pid, *map(int, children)]:
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run_import(path: Path, orders: int, extra: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak memory (MB) of one import into a fresh database, and its summary.

    The peak is the larger of the process's own peak RSS and the sampled (every 0.1 s) sum of
    the PSS of the process and its children: the import reads the file in a second process."""
    with tempfile.TemporaryDirectory(prefix="regulars-bench-") as var:
        env = {**os.environ, "REGULARS_VAR_DIR": var, "DATABASE_URL": ""}
        regulars(env, "migrate", "--noinput", "-v0")
        regulars(
            env,
            "shell",
            "-c",
            "from regulars.core.services import do_create_store; do_create_store("
            "name='Bench', currency='USD', timezone_name='UTC', language='en', slug='bench')",
        )
        command = [str(REGULARS), "import", "orders", str(path), "--store", "bench"]
        with open(Path(var) / "out.txt", "w+") as out:
            started = time.perf_counter()
            process = subprocess.Popen(
                [*command, "--no-progress", *extra], env=env, stdout=out, stderr=subprocess.STDOUT
            )
            peak_kb = 0
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                peak_kb = max(peak_kb, _tree_pss_kb(process.pid))
                time.sleep(0.1)
            seconds = time.perf_counter() - started
            out.seek(0)
            summary = out.read()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"the import failed:\n{summary}")
        created = re.search(r"orders created:\s+([\d,]+)", summary)
        if not created or int(created.group(1).replace(",", "")) != orders:
            raise SystemExit(f"the import did not create {orders:,} orders:\n{summary}")
        return seconds, max(peak_kb, usage.ru_maxrss) / 1024, summary


# --- the reference --------------------------------------------------------------------------


def reference(path: Path) -> float:
    """Seconds to load the same rows into plain orders and lines tables with executemany."""
    with tempfile.TemporaryDirectory(prefix="regulars-ref-") as tmp:
        db = sqlite3.connect(Path(tmp) / "ref.sqlite3", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            db.execute(f"PRAGMA {pragma}")
        order_columns = HEADER[:15]
        db.execute(f"CREATE TABLE orders (id INTEGER PRIMARY KEY, {', '.join(order_columns)})")
        db.execute(
            "CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id),"
            " product_id, sku, title, quantity, unit_price)"
        )
        insert_order = f"INSERT INTO orders VALUES (?{', ?' * len(order_columns)})"
        insert_line = "INSERT INTO lines VALUES (NULL, ?, ?, ?, ?, ?, ?)"
        started = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            next(rows)
            orders, lines, last, number = [], [], None, 0
            for row in rows:
                if row[0] != last:
                    last, number = row[0], number + 1
                    orders.append((number, *row[:15]))
                lines.append((number, *row[15:]))
                if len(orders) >= 5000:
                    _load(db, insert_order, insert_line, orders, lines)
                    orders, lines = [], []
            _load(db, insert_order, insert_line, orders, lines)
        db.close()
        return time.perf_counter() - started


def _load(db, insert_order, insert_line, orders, lines) -> None:
    db.execute("BEGIN")
    db.executemany(insert_order, orders)
    db.executemany(insert_line, lines)
    db.execute("COMMIT")


# --- report ---------------------------------------------------------------------------------


def report(orders: int, runs: list[tuple[float, float]], ref_seconds: float, rows: int) -> str:
    seconds = statistics.median(s for s, _ in runs)
    rate = orders / seconds
    ref_rate = orders / ref_seconds
    peak = max(mb for _, mb in runs)
    table = [
        "| measure | value | target |",
        "|---|---|---|",
        f"| orders in the file | {orders:,} ({rows:,} rows) | 1,000,000 |",
        f"| runs | {len(runs)} | |",
        f"| `regulars import orders`, median | {seconds:.1f} s, **{rate:,.0f} orders/s**"
        f" | >= {TARGET_ORDERS_PER_S:,} orders/s |",
        f"| each run | {', '.join(f'{s:.1f} s' for s, _ in runs)} | |",
        f"| peak memory of the import (both processes, PSS) | {peak:,.0f} MB"
        f" | < {TARGET_PEAK_MB} MB |",
        f"| raw `sqlite3.executemany` into 2 plain tables | {ref_seconds:.1f} s,"
        f" {ref_rate:,.0f} orders/s | |",
        f"| import speed / raw executemany speed | {rate / ref_rate:.2f} | |",
    ]
    return "\n".join(table)


def write_readme(table: str, when: str) -> None:
    section = (
        f"## Import of orders (`benchmarks/import_orders.py`)\n\n"
        f"Measured {when} on this machine ({os.cpu_count()} cores), SQLite {sqlite3.sqlite_version}."
        "\nRe-run with `.venv/bin/python benchmarks/import_orders.py`.\n\n"
        f"{table}"
    )
    write_section("import-orders", section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-readme", action="store_true", help="print only")
    parser.add_argument("extra", nargs="*", help="more options for the import command")
    args = parser.parse_args()
    path = data_file(args.orders)
    with path.open(encoding="utf-8") as f:
        rows = sum(1 for _ in f) - 1
    results = []
    for n in range(args.runs):
        seconds, peak, summary = run_import(path, args.orders, args.extra)
        print(f"run {n + 1}: {seconds:.1f} s, {args.orders / seconds:,.0f} orders/s, {peak:.0f} MB")
        results.append((seconds, peak))
    print(summary)
    ref_seconds = reference(path)
    print(f"reference: {ref_seconds:.1f} s")
    table = report(args.orders, results, ref_seconds, rows)
    print(table)
    if not args.no_readme:
        write_readme(table, datetime.now(UTC).strftime("%Y-%m-%d"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
