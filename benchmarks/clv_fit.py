"""Benchmark of the customer-lifetime-value models on 1,000,000 customers, against `lifetimes`.

    .venv/bin/python benchmarks/clv_fit.py [--customers 1000000] [--runs 3] [--no-reference]

Simulates (fixed seed) customers from BG/NBD and Gamma-Gamma with the published CDNOW parameters
(weeks): first purchases spread over two years, times in whole days as a store records them.
Each run times, in this process, what a nightly refresh does: fit BG/NBD, fit Gamma-Gamma, and
score every customer (`score_customers`: P(alive), expected purchases in the next 30 days,
expected spend, 12-month CLV). The
reference, once, in the same run: the `lifetimes` library's BetaGeoFitter fitted to the same
customers, as its documentation uses it (one row per customer), and again given the distinct
histories with their counts (its `weights`), the grouping our fit does by itself. Needs the
`bench` extra (`pip install -e '.[bench]'`). Prints a table and writes it into
benchmarks/README.md.
"""

import argparse
import os
import statistics
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from readme import write_section

from regulars.insights import clv

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 2.0
BG_TRUE = (0.243, 4.414, 0.793, 2.426)  # r, alpha (weeks), a, b: CDNOW, Fader et al. 2005
GG_TRUE = (6.25, 3.74, 15.44)  # p, q, gamma


def simulate(customers: int, seed: int = 20240301):
    """frequency, recency and T in weeks (from whole days) and mean repeat spend."""
    rng = np.random.default_rng(seed)
    age_days = 730 - rng.integers(0, 730, customers)
    r, alpha, a, b = BG_TRUE
    frequency, recency_days = clv.simulate_bgnbd(r, alpha * 7, a, b, age_days.astype(float), rng)
    monetary = clv.simulate_gammagamma(*GG_TRUE, frequency, rng)
    return frequency, np.floor(recency_days) / 7, age_days / 7, monetary


def run_once(frequency, recency, T, monetary) -> tuple[float, dict]:
    started = time.perf_counter()
    bg = clv.fit_bgnbd(frequency, recency, T)
    fitted_bg = time.perf_counter()
    gg = clv.fit_gammagamma(frequency, monetary)
    fitted_gg = time.perf_counter()
    scores = clv.score_customers(bg, gg, frequency, recency, T, monetary, t=30 / 7, unit_days=7)
    done = time.perf_counter()
    assert scores.predicted_clv.size == scores.expected_purchases.size == frequency.size
    return done - started, {
        "bg": bg,
        "gg": gg,
        "fit_bg": fitted_bg - started,
        "fit_gg": fitted_gg - fitted_bg,
        "score": done - fitted_gg,
        "clv_total": float(scores.predicted_clv.sum()),
    }


def reference(frequency, recency, T) -> dict:
    """lifetimes' BetaGeoFitter on the same customers: one row each, then grouped."""
    from lifetimes import BetaGeoFitter

    out = {}
    started = time.perf_counter()
    one_per_row = BetaGeoFitter().fit(frequency, recency, T)
    out["rows"] = (time.perf_counter() - started, one_per_row.params_)
    rows = np.column_stack([frequency, recency, T])
    distinct, counts = np.unique(rows, axis=0, return_counts=True)
    started = time.perf_counter()
    grouped = BetaGeoFitter().fit(distinct[:, 0], distinct[:, 1], distinct[:, 2], weights=counts)
    out["grouped"] = (time.perf_counter() - started, grouped.params_, len(distinct))
    return out


def report(customers: int, runs: list[tuple[float, dict]], ref: dict | None) -> str:
    seconds = statistics.median(s for s, _ in runs)
    middle = sorted(runs, key=lambda run: run[0])[len(runs) // 2][1]
    bg, gg = middle["bg"], middle["gg"]
    repeat = gg.n
    table = [
        "| measure | value | target |",
        "|---|---|---|",
        f"| customers (simulated, seed fixed) | {customers:,} ({repeat:,} repeat) | 1,000,000 |",
        f"| runs | {len(runs)} | |",
        f"| fit BG/NBD + fit Gamma-Gamma + score all, median | **{seconds:.2f} s**"
        f" | <= {TARGET_SECONDS:.0f} s |",
        f"| each run | {', '.join(f'{s:.2f} s' for s, _ in runs)} | |",
        f"| of the median run: BG/NBD fit, Gamma-Gamma fit, scoring | {middle['fit_bg']:.2f} s,"
        f" {middle['fit_gg']:.2f} s, {middle['score']:.2f} s | |",
        f"| BG/NBD r, alpha, a, b (simulated from {', '.join(map(str, BG_TRUE))}) |"
        f" {bg.r:.4f}, {bg.alpha:.4f}, {bg.a:.4f}, {bg.b:.4f} | |",
        f"| Gamma-Gamma p, q, gamma (simulated from {', '.join(map(str, GG_TRUE))}) |"
        f" {gg.p:.3f}, {gg.q:.3f}, {gg.gamma:.3f} | |",
    ]
    if ref:
        rows_s, rows_params = ref["rows"]
        grouped_s, grouped_params, distinct = ref["grouped"]
        table += [
            f"| `lifetimes` 0.11.3 BetaGeoFitter.fit, one row per customer | {rows_s:.1f} s"
            f" ({_params(rows_params)}) | |",
            f"| the same, given the {distinct:,} distinct histories as weights | {grouped_s:.1f} s"
            f" ({_params(grouped_params)}) | |",
            f"| BG/NBD fit alone: `lifetimes` (one row per customer) / ours"
            f" | **{rows_s / middle['fit_bg']:.0f} x** | |",
            f"| BG/NBD fit alone: `lifetimes` given the weights / ours"
            f" | {grouped_s / middle['fit_bg']:.0f} x | |",
        ]
    return "\n".join(table)


def _params(params) -> str:
    return ", ".join(f"{params[k]:.4f}" for k in ("r", "alpha", "a", "b"))


def write_readme(table: str, when: str) -> None:
    about = textwrap.fill(
        f"Measured {when} on this machine ({os.cpu_count()} cores), NumPy {np.__version__},"
        f" SciPy {_version('scipy')}. Customers simulated from BG/NBD and Gamma-Gamma with the"
        " published CDNOW parameters (weeks; first purchases over two years; recency rounded"
        " down to whole days, as a store records it, which moves the fitted alpha a little);"
        " each run fits both models and scores every customer (P(alive), expected purchases"
        " in 30 days, expected spend, 12-month CLV) in one process. The `lifetimes` reference"
        " ran once, in the same run. Re-run with `.venv/bin/python benchmarks/clv_fit.py`.",
        width=100,
    )
    section = f"## Customer-lifetime-value models (`benchmarks/clv_fit.py`)\n\n{about}\n\n{table}"
    write_section("clv-fit", section)


def _version(module: str) -> str:
    return __import__(module).__version__


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true", help="skip lifetimes")
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    data = simulate(args.customers)
    run_once(*(column[:10_000] for column in simulate(10_000, seed=1)))  # load SciPy's parts
    runs = []
    for n in range(args.runs):
        seconds, parts = run_once(*data)
        print(
            f"run {n + 1}: {seconds:.2f} s (BG/NBD {parts['fit_bg']:.2f} s, Gamma-Gamma"
            f" {parts['fit_gg']:.2f} s, scoring {parts['score']:.2f} s)",
            flush=True,
        )
        runs.append((seconds, parts))
    ref = None
    if not args.no_reference:
        print("reference: lifetimes BetaGeoFitter ...", flush=True)
        ref = reference(*data[:3])
    table = report(args.customers, runs, ref)
    print(table)
    if not args.no_readme:
        write_readme(table, datetime.now(UTC).strftime("%Y-%m-%d"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
