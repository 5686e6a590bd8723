"""The public reviews of a product with 10,000 reviews under 200 requests a second.

    python benchmarks/reviews_widget.py [--reviews 10000] [--rate 200] [--runs 3] [--seconds 8]
                                        [--no-readme]

A fresh SQLite database in a temporary REGULARS_VAR_DIR holds one store and one product with
N published reviews (texts of varied length, a tenth with a reply, most verified buyers) and
its ProductRating, kept by the review services' own `refresh_product_rating`. The server is
started as `make run` starts it (`regulars serve`: gunicorn and the task worker). An open-loop
client (asyncio, in this process) sends requests at a fixed rate over persistent connections,
each connection from its own loopback address (127.0.0.x, as many shoppers would, so the
per-address rate limit stays out of the way as it would in production), and measures each
latency from the moment the request was due, so a slow answer also counts against the ones
queued behind it. Scenarios, one after the other in each run (so the machine's load drifts
over all of them alike):

  widget, page 1            /f/w/STORE/PRODUCT/            (cached after the first request)
  JSON, page 1              /f/api/STORE/products/PRODUCT/reviews
  widget, deep pages        ?page= drawn from 2..N/10: nearly every one a cache miss
  JSON, deep pages          ?page= drawn from N/100..N/50 at per_page=50 (up to page 200 of
                            10,000): nearly every one a cache miss
  reference, widget size    a static file with the bytes of the widget's first page, served by
                            the same server (WhiteNoise in the same gunicorn)
  reference, JSON size      the same for the JSON's first page

Reported: for each scenario the p50, p90, p99 and max latency (median over the runs), the rate
reached, answers other than 200, the server's CPU per request (all its processes, from /proc),
and p99 against the reference's. Target (issue 6): p99 < 50 ms at 200 requests/s.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from readme import write_section

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_P99_MS = 50
PRODUCT = "lp-1"

SETUP = """
import random, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from django.db import transaction
from django.test import Client
from regulars.commerce.schemas import ProductIn
from regulars.commerce.services import upsert_product
from regulars.core.services import do_create_store
from regulars.feedback.models import Review
from regulars.feedback.services.reviews import refresh_product_rating

count, static_root = int(sys.argv[1]), Path(sys.argv[2])
rng = random.Random(6)
words = ("warm sound quiet pressing sleeve arrived quickly packed well flat vinyl bass clear "
         "tracks favourite gift again recommend shop honest price great record").split()
store = do_create_store(name="Bench Records", currency="USD", timezone_name="UTC", language="en")
product = upsert_product(store, ProductIn(external_id="{product}", title="Blue Train LP",
    sku="BT-1", url="https://shop.example/products/blue-train",
    image_url="https://shop.example/img/blue-train.jpg"), source="api").obj
start = datetime(2024, 1, 1, tzinfo=UTC)
reviews = []
for i in range(count):
    moment = start + timedelta(minutes=90 * i + rng.randrange(60))
    replied = rng.random() < 0.1
    reviews.append(Review(
        store=store, product=product, rating=rng.choices((1, 2, 3, 4, 5), (3, 2, 5, 25, 65))[0],
        title=" ".join(rng.choices(words, k=rng.randrange(2, 7))).capitalize(),
        body=" ".join(rng.choices(words, k=rng.randrange(8, 80))).capitalize() + ".",
        author_name=rng.choice(("Ana Silva", "Somchai Jaidee", "Anahit Petrosyan", "Bo Lee")),
        verified=rng.random() < 0.8, status="published", written_at=moment,
        published_at=moment + timedelta(minutes=5),
        reply="Thank you for your review!" if replied else "",
        replied_at=moment + timedelta(hours=3) if replied else None))
with transaction.atomic():
    Review.objects.bulk_create(reviews, batch_size=1000)
    refresh_product_rating(store.id, product.id)
# The references: static files of the same size as the first pages (the same bytes).
client = Client(HTTP_HOST="127.0.0.1")
bench = static_root / "bench"
bench.mkdir(parents=True, exist_ok=True)
widget = client.get(f"/f/w/{store.public_id}/{product}/")
answer = client.get(f"/f/api/{store.public_id}/products/{product}/reviews")
assert widget.status_code == 200 and answer.status_code == 200
(bench / "widget.html").write_bytes(widget.content)
(bench / "reviews.json").write_bytes(answer.content)
print(store.public_id, len(widget.content), len(answer.content))
""".replace("{product}", PRODUCT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def django_env(var_dir: Path, static_root: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        REGULARS_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(static_root),
        DJANGO_SETTINGS_MODULE="regulars.settings",
    )
    return env


def prepare(env: dict, reviews: int, static_root: Path) -> tuple[str, int, int]:
    regulars = str(BIN / "regulars")
    subprocess.run([regulars, "migrate", "--noinput", "-v0"], env=env, check=True)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n" + SETUP,
            str(reviews),
            str(static_root),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    public_id, widget_bytes, json_bytes = out.strip().splitlines()[-1].split()
    return public_id, int(widget_bytes), int(json_bytes)


# --- the server's CPU ---------------------------------------------------------------------------


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """User + system CPU of the process tree under `root` (the server and its children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# --- the open-loop client -----------------------------------------------------------------------


class Connection:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> tuple[int, int]:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        )
        body = await self.reader.readexactly(length)
        return status, len(body)


async def open_connections(port: int, count: int) -> list[Connection]:
    connections = []
    for n in range(count):
        # Each connection from its own loopback address: many shoppers, not one.
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, local_addr=(f"127.0.0.{2 + n}", 0)
        )
        connections.append(Connection(reader, writer))
    return connections


async def load(port: int, paths, rate: float, seconds: float, connections: int) -> dict:
    """Send GETs at `rate` per second for `seconds`; `paths` gives each request's path."""
    pool = await open_connections(port, connections)
    idle: asyncio.Queue = asyncio.Queue()
    for conn in pool:
        idle.put_nowait(conn)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures = 0
    loop = asyncio.get_running_loop()

    async def one(due: float, path: str) -> None:
        nonlocal failures
        conn = await idle.get()
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: identity\r\n\r\n"
        ).encode()
        try:
            status, _ = await conn.get(request)
            statuses[status] = statuses.get(status, 0) + 1
            idle.put_nowait(conn)
        except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
            failures += 1
            conn.writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            idle.put_nowait(Connection(reader, writer))
            return
        latencies.append((loop.time() - due) * 1000)

    total = int(rate * seconds)
    start = loop.time() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, paths(i))))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - start
    for conn in pool:
        conn.writer.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "requests": total,
        "rate": total / elapsed,
        "p50": pct(50),
        "p90": pct(90),
        "p99": pct(99),
        "max": latencies[-1],
        "non_200": sum(n for status, n in statuses.items() if status != 200) + failures,
    }


def scenarios(public_id: str, reviews: int, seed: int) -> dict:
    rng = random.Random(seed)
    widget = f"/f/w/{public_id}/{PRODUCT}/"
    api = f"/f/api/{public_id}/products/{PRODUCT}/reviews"
    widget_pages = max(2, reviews // 10)
    json_pages = max(2, reviews // 50)
    return {
        "widget, page 1": lambda i: widget,
        "JSON, page 1": lambda i: api,
        "widget, deep pages": lambda i: f"{widget}?page={rng.randint(2, widget_pages)}",
        "JSON, deep pages (50 a page)": lambda i: (
            f"{api}?page={rng.randint(max(1, json_pages // 2), json_pages)}&per_page=50"
        ),
        "reference: static file, widget size": lambda i: "/static/bench/widget.html",
        "reference: static file, JSON size": lambda i: "/static/bench/reviews.json",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="regulars-bench-"))
    static_root = workdir / "static"
    env = django_env(workdir / "var", static_root)
    server = None
    try:
        print(f"Preparing {args.reviews:,} published reviews of one product...", flush=True)
        public_id, widget_bytes, json_bytes = prepare(env, args.reviews, static_root)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "regulars"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_http(f"http://127.0.0.1:{port}/static/bench/widget.html")
        results: dict[str, list[dict]] = {}
        for run in range(args.runs):
            for name, paths in scenarios(public_id, args.reviews, seed=run).items():
                # One second of the same load first, not measured: connections, first requests.
                asyncio.run(load(port, paths, args.rate, 1, args.connections))
                before = cpu_seconds(server.pid)
                result = asyncio.run(load(port, paths, args.rate, args.seconds, args.connections))
                result["cpu_ms"] = (cpu_seconds(server.pid) - before) * 1000 / result["requests"]
                results.setdefault(name, []).append(result)
                print(
                    f"  run {run + 1} {name}: {result['rate']:.0f} req/s, p50 {result['p50']:.1f}"
                    f" ms, p99 {result['p99']:.1f} ms, max {result['max']:.1f} ms,"
                    f" non-200 {result['non_200']}, server CPU {result['cpu_ms']:.2f} ms/request",
                    flush=True,
                )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    summary = {
        name: {
            key: round(statistics.median(r[key] for r in runs), 2)
            for key in ("rate", "p50", "p90", "p99", "max", "cpu_ms")
        }
        | {
            "non_200": sum(r["non_200"] for r in runs),
            "p99_each": [round(r["p99"], 1) for r in runs],
        }
        for name, runs in results.items()
    }
    ours = [name for name in summary if not name.startswith("reference")]
    met = all(summary[n]["p99"] < TARGET_P99_MS and summary[n]["non_200"] == 0 for n in ours)
    print(json.dumps({"scenarios": summary, "target_met": met}, indent=2))
    if not args.no_readme:
        write_readme(args, summary, widget_bytes, json_bytes, met)
    return 0


def write_readme(args, s: dict, widget_bytes: int, json_bytes: int, met: bool) -> None:
    from regulars.gunicorn_conf import default_workers

    reference = {
        "widget, page 1": "reference: static file, widget size",
        "widget, deep pages": "reference: static file, widget size",
        "JSON, page 1": "reference: static file, JSON size",
        "JSON, deep pages (50 a page)": "reference: static file, JSON size",
    }
    rows = []
    for name, figures in s.items():
        ratio = ""
        if name in reference:
            ratio = f"{figures['p99'] / s[reference[name]]['p99']:.2f}"
        target = "" if name.startswith("reference") else f"< {TARGET_P99_MS} ms"
        rows.append(
            f"| {name} | {figures['rate']:.0f} | {figures['p50']:.1f} | {figures['p90']:.1f} |"
            f" **{figures['p99']:.1f}** ({', '.join(str(p) for p in figures['p99_each'])}) |"
            f" {figures['max']:.1f} | {figures['non_200']} | {figures['cpu_ms']:.2f} | {ratio} |"
            f" {target} |"
        )
    section = f"""## Reviews widget and JSON (`benchmarks/reviews_widget.py`)

Measured {time.strftime("%Y-%m-%d")} on this machine ({os.cpu_count()} cores), SQLite, the server as
`make run` starts it (`regulars serve`: gunicorn, {default_workers()} processes x 4 threads, and
the task worker). One product with {args.reviews:,} published reviews. An open-loop client sends
{args.rate:.0f} requests/s over {args.connections} keep-alive connections (each from its own
loopback address) for {args.seconds:g} s per scenario and run, {args.runs} runs, the scenarios
interleaved; latency counts from when each request was due. Deep pages are drawn at random, so
nearly every one misses the cache. The references are static files with the bytes of the
first widget page ({widget_bytes:,} bytes) and of the first JSON page ({json_bytes:,} bytes),
served by WhiteNoise in the same server. Milliseconds, medians over the runs; the CPU is the
server's (all its processes) per request. Re-run with
`.venv/bin/python benchmarks/reviews_widget.py`.

| scenario | req/s | p50 | p90 | p99 (each run) | max | non-200 | server CPU ms/req | p99 / reference | target p99 |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Target met (p99 < {TARGET_P99_MS} ms in every scenario, every answer 200): **{"yes" if met else "no"}**."""
    write_section("reviews-widget", section)


if __name__ == "__main__":
    sys.exit(main())
