"""E-mail throughput: personalised marketing e-mails rendered, queued and delivered over SMTP.

    .venv/bin/python benchmarks/email_send.py [--customers 3000] [--runs 3] [--workers N]
                                              [--profile] [--no-readme]

A fresh SQLite database in a temporary REGULARS_VAR_DIR holds one store with N subscribed
customers, each with a paid order of three lines, and a marketing e-mail template (python-liquid,
saved with do_save_template) that greets the customer by name and lists the order's lines.
An aiosmtpd server runs in a separate process (so it does not share a GIL with the senders),
counts what it receives and throws it away. Each run starts from a copy of that database:

(b) Regulars: one process queues an e-mail per customer with `do_queue_messages`, the send
    to many (rendering, link tracking and the log rows included in the time; the URL
    configuration is loaded before the clock, as in a web process), then `regulars db_worker`
    processes, one per core, send them; the time runs from the start of queueing until the
    Message table shows every one sent (polled every 20 ms). The server must have received
    exactly N. Measured twice: workers started once every message is queued (their start-up
    in the time), and workers already running while queueing.
(a) The reference, in the same run: the same N messages, as the exact bytes Django builds for
    them (built before the timer), sent by a bare `smtplib` loop over one connection.

Reports e-mails/s for both (median over the runs) and the ratio. Target (issue 4): >= 300
e-mails/s for (b) on this 2-core machine. `--profile` also writes a cProfile of the queueing
process and of one worker to the temporary directory and prints where the time goes.
"""

import argparse
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from readme import write_section

HERE = Path(__file__).resolve().parent
REGULARS = Path(sys.executable).with_name("regulars")
TARGET_PER_S = 300
STORE_NAME = "Bench Records"
TEMPLATE_KEY = "order_thanks"
FROM_EMAIL = "hello@bench-records.example"
BASE_URL = "https://regulars.example"
POLL_SECONDS = 0.02
RUN_TIMEOUT_SECONDS = 600

SUBJECT = "{{ customer.first_name }}, thank you for order {{ order.name }}"
BODY_HTML = """<!doctype html>
<html><body>
<h1>Hi {{ customer.first_name }},</h1>
<p>Thank you for shopping with {{ store.name }}. Here is what you bought:</p>
<table>
{% for line in order.lines %}<tr><td>{{ line.title }}</td><td>{{ line.quantity }}</td>
<td>{{ line.total }}</td></tr>
{% endfor %}</table>
<p>Order total: <strong>{{ order.total }}</strong></p>
<p><a href="https://bench-records.example/new">See what is new this week</a></p>
<p style="font-size:small"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
</body></html>
"""
BODY_TEXT = """Hi {{ customer.first_name }},

Thank you for shopping with {{ store.name }}. Here is what you bought:
{% for line in order.lines %}
- {{ line.title }} x {{ line.quantity }}: {{ line.total }}{% endfor %}

Order total: {{ order.total }}

See what is new this week: https://bench-records.example/new

Unsubscribe: {{ unsubscribe_url }}
"""
FIRST = ["Ada", "Bo", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lea"]
TITLES = ["Blue Train (LP)", "Kind of Blue (LP)", "Head Hunters (LP)", "Maiden Voyage (LP)"]


# --- the SMTP server, in its own process ------------------------------------------------------


def _sink(port: int, counter, ready) -> None:
    """aiosmtpd that counts each message and discards it."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 2.0.0 OK"

    parent = os.getppid()
    # Blocked before the server's thread starts, so that SIGTERM waits for sigtimedwait below.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    # Until told to stop, or until the benchmark is gone (killed before it could stop us).
    while signal.sigtimedwait({signal.SIGTERM}, 1) is None and os.getppid() == parent:
        pass
    controller.stop()


class SmtpSink:
    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self.counter = context.Value("q", 0)
        ready = context.Event()
        self.process = context.Process(
            target=_sink, args=(self.port, self.counter, ready), daemon=True
        )
        self.process.start()
        if not ready.wait(30):
            raise RuntimeError("the SMTP server did not start")

    @property
    def received(self) -> int:
        with self.counter.get_lock():
            return self.counter.value

    def reset(self) -> None:
        with self.counter.get_lock():
            self.counter.value = 0

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- child processes (Django) -----------------------------------------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulars.settings")
    django.setup()


def child_seed(customers: int) -> None:
    """The store, its customers (each with a paid order of three lines) and the template."""
    _django()
    from decimal import Decimal

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from regulars.commerce.schemas import CustomerIn, OrderIn, OrderLineIn
    from regulars.commerce.services import upsert_order
    from regulars.core.services import do_create_store
    from regulars.messaging.services.templates import do_save_template

    store = do_create_store(name=STORE_NAME, currency="USD", timezone_name="UTC", language="en")
    for n in range(customers):
        lines = [
            OrderLineIn(
                title=TITLES[(n + k) % len(TITLES)],
                quantity=1 + (n + k) % 3,
                unit_price=Decimal("21.50") + k,
            )
            for k in range(3)
        ]
        total = sum(line.unit_price * line.quantity for line in lines)
        upsert_order(
            store,
            OrderIn(
                external_id=f"order-{n}",
                name=f"#{1000 + n}",
                customer=CustomerIn(
                    external_id=f"customer-{n}",
                    email=f"customer{n}@example.com",
                    first_name=FIRST[n % len(FIRST)],
                    email_consent="subscribed",
                ),
                status="paid",
                currency="USD",
                total=total,
                placed_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
                lines=lines,
            ),
            source="api",
        )
    do_save_template(
        store,
        None,
        key=TEMPLATE_KEY,
        channel="email",
        language="en",
        purpose="marketing",
        name="Thank you",
        subject=SUBJECT,
        body_html=BODY_HTML,
        body_text=BODY_TEXT,
    )
    # The seed's own follow-up tasks (insights refreshes) are not part of the benchmark.
    DBTaskResult.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def child_queue() -> None:
    """Queue one personalised e-mail per customer (a send to many: `do_queue_messages`);
    print when queueing started and ended."""
    _django()
    from importlib import import_module

    from django.conf import settings

    # Loaded before the clock, as the web process that starts a send has it (wsgi.py loads it
    # at start-up): a one-off half second of imports (the API's schemas, Apprise), not
    # queueing. Measurements before 2026-12-04 included it.
    import_module(settings.ROOT_URLCONF)
    started, cpu = time.time(), time.process_time()
    from django.db.models import Prefetch

    from regulars.commerce.models import Customer, Order, OrderLine
    from regulars.core.models import Store
    from regulars.messaging.rendering.context import order_variables
    from regulars.messaging.services.sending import do_queue_messages

    store = Store.objects.get(name=STORE_NAME)
    orders = Order.objects.filter(store=store).order_by("placed_at")
    latest = {
        o.customer_id: o
        for o in orders.prefetch_related(
            Prefetch("lines", OrderLine.objects.select_related("product").order_by("pk"))
        )
    }
    customers = Customer.objects.filter(store=store).order_by("pk")
    do_queue_messages(
        store,
        customers,
        channel="email",
        purpose="marketing",
        template_key=TEMPLATE_KEY,
        context_for=lambda c: {
            "order": order_variables(latest[c.pk], c.timezone or store.timezone)
        },
        source="benchmark",
    )
    print(json.dumps({"started": started, "queued": time.time(), "cpu": time.process_time() - cpu}))


def child_reference(port: int) -> None:
    """The reference: the messages the run sent, as the bytes Django builds for them (before
    the timer), sent by a bare smtplib loop over one connection. Prints the seconds taken."""
    _django()
    import smtplib
    from email.utils import formataddr

    from django.core.mail import EmailMultiAlternatives

    from regulars.messaging import links
    from regulars.messaging.models import Message

    payloads = []
    for m in Message.objects.select_related("customer", "store").order_by("pk"):
        email = EmailMultiAlternatives(
            subject=m.subject,
            body=m.body_text,
            from_email=formataddr((m.store.name, FROM_EMAIL)),
            to=[m.to_address],
            headers={
                "Message-ID": f"<{m.token}@bench-records.example>",
                "List-Unsubscribe": f"<{links.unsubscribe_url(m.customer, 'email')}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        email.attach_alternative(m.body_html, "text/html")
        payloads.append((m.to_address, email.message().as_bytes(linesep="\r\n")))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to_address, data in payloads:
            smtp.sendmail(FROM_EMAIL, [to_address], data)
    print(json.dumps({"seconds": time.perf_counter() - started, "messages": len(payloads)}))


# --- the runs ---------------------------------------------------------------------------------


def django_env(var_dir: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "ANYMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="regulars.settings",
        REGULARS_VAR_DIR=str(var_dir),
        DATABASE_URL="",
        REGULARS_TASKS="database",
        REGULARS_EMAIL_PROVIDER="smtp",
        REGULARS_BASE_URL=BASE_URL,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        DEFAULT_FROM_EMAIL=FROM_EMAIL,
        PYTHONPATH=str(HERE),
    )
    return env


def build_seed(workdir: Path, customers: int) -> Path:
    seed = workdir / "seed"
    env = django_env(seed, 25)
    subprocess.run(
        [str(REGULARS), "migrate", "--noinput", "--skip-checks", "-v0"], env=env, check=True
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--child-seed", str(customers)], env=env, check=True)
    print(f"seeded {customers:,} customers and orders in {time.perf_counter() - started:.1f} s")
    return seed


def fresh_copy(seed: Path, run_dir: Path) -> Path:
    shutil.copytree(seed, run_dir)
    return run_dir


def _python(*args: str, profile: Path | None = None) -> list[str]:
    if profile is None:
        return [sys.executable, *args]
    return [sys.executable, "-m", "cProfile", "-o", str(profile), *args]


def _counts(db_path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return dict(
            db.execute("SELECT status, count(*) FROM messaging_message GROUP BY status").fetchall()
        )
    finally:
        db.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_workers(env: dict, count: int, log, profile_dir: Path | None) -> list:
    workers = []
    for n in range(count):
        profile = profile_dir / "worker.prof" if profile_dir and n == 0 else None
        workers.append(
            subprocess.Popen(
                _python("-m", "regulars", "db_worker", "--no-startup-delay", profile=profile),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return workers


def wait_workers_ready(log_path: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while log_path.read_text().count("Starting worker") < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"the workers did not start; see {log_path}")
        time.sleep(POLL_SECONDS)


def stop_workers(workers: list) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()


def queue_messages(env: dict, profile: Path | None) -> dict:
    done = subprocess.run(
        _python(__file__, "--child-queue", profile=profile),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_regulars(run_dir: Path, sink: SmtpSink, args, *, workers_first: bool, profile_dir=None):
    """One run. `workers_first`: the workers are already up and idle when queueing starts (as
    `regulars serve` keeps them); else they are started once every message is queued."""
    env = django_env(run_dir, sink.port)
    db_path = run_dir / "regulars.sqlite3"
    log_path = run_dir / "workers.log"
    sink.reset()
    workers = []
    with open(log_path, "w") as log:
        try:
            if workers_first:
                workers = start_workers(env, args.workers, log, profile_dir)
                wait_workers_ready(log_path, args.workers)
                cpu_before = [cpu_seconds(p) for p in (sink.process.pid, *(w.pid for w in workers))]
            queue_profile = profile_dir / "queue.prof" if profile_dir else None
            marks = queue_messages(env, queue_profile)
            launched = time.time()
            if not workers_first:
                workers = start_workers(env, args.workers, log, profile_dir)
            counts = _wait_all_sent(db_path, args.customers)
            finished = time.time()
            if workers_first:
                cpu_after = [cpu_seconds(p) for p in (sink.process.pid, *(w.pid for w in workers))]
        finally:
            stop_workers(workers)
    received = sink.received
    if received != args.customers:
        raise SystemExit(f"the SMTP server received {received} messages, not {args.customers}")
    total = finished - marks["started"]
    result = {
        "seconds": total,
        "per_s": args.customers / total,
        "queue_seconds": marks["queued"] - marks["started"],
        "send_seconds": finished - launched,
        "counts": counts,
    }
    if workers_first:
        ms = 1000 / args.customers
        result["cpu_ms"] = {
            "queue": marks["cpu"] * ms,
            "workers": (sum(cpu_after[1:]) - sum(cpu_before[1:])) * ms,
            "smtp_server": (cpu_after[0] - cpu_before[0]) * ms,
        }
    return result


def _wait_all_sent(db_path: Path, expected: int) -> dict[str, int]:
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        counts = _counts(db_path)
        if counts.get("sent", 0) == expected:
            return counts
        stuck = {k: v for k, v in counts.items() if k not in ("queued", "sending", "sent")}
        if stuck:
            raise SystemExit(f"messages ended other than sent: {stuck}")
        time.sleep(POLL_SECONDS)
    raise SystemExit(f"not every message was sent within {RUN_TIMEOUT_SECONDS} s: {counts}")


def run_reference(run_dir: Path, sink: SmtpSink, expected: int) -> dict:
    sink.reset()
    done = subprocess.run(
        _python(__file__, "--child-reference", str(sink.port)),
        env=django_env(run_dir, sink.port),
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if sink.received != expected or result["messages"] != expected:
        raise SystemExit(f"reference: the server received {sink.received}, not {expected}")
    result["per_s"] = expected / result["seconds"]
    return result


# --- report -----------------------------------------------------------------------------------


def print_profile(path: Path, title: str, lines: int = 30) -> None:
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("cumulative").print_stats(r"regulars/|mail|smtplib|liquid", lines)
    stats.sort_stats("tottime").print_stats(lines)
    print(f"\n--- profile: {title} ({path}) ---\n{out.getvalue()}")


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def summarise(sequential: list[dict], running: list[dict], reference: list[dict], args) -> dict:
    s = {
        "customers": args.customers,
        "runs": args.runs,
        "workers": args.workers,
        "per_s": round(_median(sequential, "per_s")),
        "each": [round(r["per_s"]) for r in sequential],
        "seconds": round(_median(sequential, "seconds"), 2),
        "queue_seconds": round(_median(sequential, "queue_seconds"), 2),
        "send_seconds": round(_median(sequential, "send_seconds"), 2),
        "running_per_s": round(_median(running, "per_s")),
        "running_each": [round(r["per_s"]) for r in running],
        "reference_per_s": round(_median(reference, "per_s")),
        "reference_each": [round(r["per_s"]) for r in reference],
        "cpu_ms": {
            part: round(statistics.median(r["cpu_ms"][part] for r in running), 2)
            for part in ("queue", "workers", "smtp_server")
        },
    }
    s["ratio"] = round(s["per_s"] / s["reference_per_s"], 3)
    s["running_ratio"] = round(s["running_per_s"] / s["reference_per_s"], 3)
    s["target_met"] = s["per_s"] >= TARGET_PER_S
    return s


def _load() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def write_readme(s: dict, load_before: str, load_after: str) -> None:
    def listed(values) -> str:
        return ", ".join(f"{v:,}" for v in values)

    cpu = s["cpu_ms"]
    regulars_cpu = round(cpu["queue"] + cpu["workers"], 2)
    # What the target leaves per e-mail on this machine's cores once the server has had its share.
    budget = round(1000 * (os.cpu_count() or 1) / TARGET_PER_S - cpu["smtp_server"], 2)
    section = f"""## E-mail sending (`benchmarks/email_send.py`)

Measured {time.strftime("%Y-%m-%d")} on this machine ({os.cpu_count()} cores), SQLite
{sqlite3.sqlite_version}, load average {load_before} before and {load_after} after (1/5/15 min).
{s["customers"]:,} subscribed customers, each sent a marketing e-mail from a python-liquid
template (first name, the three lines of their order, a tracked link, the one-click
unsubscribe link; HTML and text). Regulars: `do_queue_messages` (the send to many) in one
process (rendering, link tracking, the log rows; its URL configuration loaded before the
clock, as a web process has it), then {s["workers"]} `regulars db_worker` processes (one per
core, started once every message is queued, their start-up timed) send them over SMTP with
connection reuse, timed from the start of queueing until the Message table shows every one
sent. The SMTP server (aiosmtpd, in its own process) counts and discards; it received every
message exactly once in every run. The reference sends the same messages, as the bytes
Django builds for them (built before its timer), with a bare `smtplib` loop over one
connection to the same server, in the same run. The figures before the last speed-up, and
what it changed: "E-mail sending" under "Where the time goes".
Re-run with `.venv/bin/python benchmarks/email_send.py` (`--profile` shows where time goes).

| measure | value | target |
|---|---|---|
| Regulars: queue, render, then send; median | **{s["per_s"]:,} e-mails/s** ({s["seconds"]} s) | >= {TARGET_PER_S} |
| each run | {listed(s["each"])} e-mails/s | |
| of which queueing and rendering (one process), median | {s["queue_seconds"]} s | |
| of which sending (workers started to last sent), median | {s["send_seconds"]} s | |
| Regulars with the workers already running while queueing (as `regulars serve` has them); median | {s["running_per_s"]:,} e-mails/s ({listed(s["running_each"])}) | |
| reference: bare `smtplib` loop, one connection; median | {s["reference_per_s"]:,} e-mails/s ({listed(s["reference_each"])}) | |
| Regulars / reference | **{s["ratio"]}** (workers already running: {s["running_ratio"]}) | |
| CPU per e-mail, workers already running: queueing / workers / SMTP server | {cpu["queue"]} / {cpu["workers"]} / {cpu["smtp_server"]} ms | |
| CPU per e-mail spent by Regulars (queueing + workers) | {regulars_cpu} ms | <= {budget} ms ({os.cpu_count()} cores at {TARGET_PER_S}/s, less the server's share) |"""
    write_section("email-send", section)


def main() -> int:
    if sys.argv[1:2] == ["--child-seed"]:
        child_seed(int(sys.argv[2]))
        return 0
    if sys.argv[1:2] == ["--child-queue"]:
        child_queue()
        return 0
    if sys.argv[1:2] == ["--child-reference"]:
        child_reference(int(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--profile", action="store_true", help="cProfile queueing and a worker")
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="regulars-email-bench-"))
    sink = SmtpSink()
    load_before = _load()
    try:
        seed = build_seed(workdir, args.customers)
        sequential, running, reference = [], [], []
        for n in range(args.runs):
            run_dir = fresh_copy(seed, workdir / f"run-{n + 1}")
            profile_dir = workdir if args.profile and n == 0 else None
            ours = run_regulars(run_dir, sink, args, workers_first=False, profile_dir=profile_dir)
            sequential.append(ours)
            ref = run_reference(run_dir, sink, args.customers)
            reference.append(ref)
            warm = run_regulars(
                fresh_copy(seed, workdir / f"run-{n + 1}-running"), sink, args, workers_first=True
            )
            running.append(warm)
            cpu = ", ".join(f"{k} {v:.2f}" for k, v in warm["cpu_ms"].items())
            print(
                f"run {n + 1}: Regulars {ours['per_s']:.0f} e-mails/s ({ours['seconds']:.2f} s:"
                f" queue {ours['queue_seconds']:.2f} s, send {ours['send_seconds']:.2f} s);"
                f" workers already running {warm['per_s']:.0f}/s (CPU ms per e-mail: {cpu});"
                f" reference {ref['per_s']:.0f}/s",
                flush=True,
            )
        if args.profile:
            print_profile(workdir / "queue.prof", "queueing process")
            print_profile(workdir / "worker.prof", "one db_worker")
        summary = summarise(sequential, running, reference, args)
        summary["load_average"] = [load_before, _load()]
        print(json.dumps(summary, indent=2))
        if not args.no_readme:
            write_readme(summary, load_before, summary["load_average"][1])
    finally:
        sink.stop()
        if not args.profile:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"profiles and logs kept in {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
