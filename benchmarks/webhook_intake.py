"""Webhook intake under load: signed Shopify deliveries against the server as `make run` starts it.

    python benchmarks/webhook_intake.py [--runs 3] [--seconds 20] [--connections 8]

A fresh SQLite database in a temporary REGULARS_VAR_DIR, one store with a Shopify secret,
`regulars serve` (gunicorn + the task worker, exactly what `make run` starts), and wrk posting
the published Shopify orders/create sample with a valid HMAC and a unique X-Shopify-Webhook-Id
per request. Reported: requests/s and latency percentiles (median over the runs), the share of
non-2xx answers, and the reference measured in the same run: a bare WSGI app that returns 200
under the same gunicorn settings (the HTTP floor of this machine), with our ratio to it.
Target (issue 2): >= 500 deliveries/s sustained with p99 < 50 ms.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from readme import write_section

from regulars.gunicorn_conf import default_workers

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "benchmark-shopify-secret"

# Every request gets its own webhook id: "<run token>-<thread>-<counter>". The run token comes
# from Python, since wrk's math.random starts from the same seed in every run (the second run
# would send the first run's ids, which are then answered as duplicates).
LUA = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", RUN_TOKEN .. "-" .. threads)
end
function request()
  counter = counter + 1
  wrk.headers["X-Shopify-Webhook-Id"] = tid .. "-" .. counter
  return wrk.format("POST", nil, wrk.headers, wrk.body)
end
"""

REFERENCE_APP = """
def application(environ, start_response):
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


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
            return  # the server answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def sample_body() -> bytes:
    found = sorted(ROOT.glob("regulars/commerce/tests/fixtures/shopify/**/orders_create.json"))
    if not found:
        raise SystemExit("the Shopify orders/create fixture is missing from the test fixtures")
    return found[0].read_bytes()


def parse_wrk(output: str) -> dict:
    def latency_ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency_ms("50"),
        "p90": latency_ms("90"),
        "p99": latency_ms("99"),
        "requests": total,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def run_wrk(url: str, body: bytes, headers: dict, seconds: int, connections: int, workdir: Path):
    script = workdir / "deliveries.lua"
    body_file = workdir / "body.json"
    body_file.write_bytes(body)
    script.write_text(
        f"wrk.method = 'POST'\nwrk.body = io.open('{body_file}', 'rb'):read('*a')\n"
        + "".join(f"wrk.headers['{k}'] = '{v}'\n" for k, v in headers.items())
        + f"RUN_TOKEN = '{uuid.uuid4().hex}'\n"
        + LUA
    )
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(out)


def django_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(REGULARS_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="regulars.settings")
    return env


def prepare_store(env: dict) -> str:
    regulars = str(BIN / "regulars")
    subprocess.run([regulars, "migrate", "--noinput", "-v0"], env=env, check=True)
    code = (
        "from regulars.core.services import do_create_store, do_set_webhook_secret\n"
        "s = do_create_store(name='Bench', currency='USD', timezone_name='UTC', language='en')\n"
        f"do_set_webhook_secret(s, 'shopify', {SECRET!r})\n"
        "print(s.public_id)\n"
    )
    out = subprocess.run(
        [regulars, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def count_rows(env: dict) -> tuple[int, int]:
    code = (
        "from regulars.commerce.models import WebhookDelivery as D\n"
        "print(D.objects.count(), D.objects.filter(status='queued').count())\n"
    )
    out = subprocess.run(
        [str(BIN / "regulars"), "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    kept, queued = out.stdout.split()[-2:]
    return int(kept), int(queued)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def measure_regulars(args, workdir: Path) -> list[dict]:
    env = django_env(workdir / "var")
    public_id = prepare_store(env)
    body = sample_body()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest())
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Hmac-Sha256": signature.decode(),
        "X-Shopify-Shop-Domain": "bench.myshopify.com",
        "X-Shopify-API-Version": "2026-04",
    }
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "regulars"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = []
    try:
        wait_http(f"http://127.0.0.1:{port}/admin/login/")
        url = f"http://127.0.0.1:{port}/webhooks/shopify/{public_id}"
        for n in range(args.runs):
            result = run_wrk(url, body, headers, args.seconds, args.connections, workdir)
            results.append(result)
            print(
                f"  regulars run {n + 1}: {result['rps']:.0f} req/s, p99 {result['p99']:.1f} ms,"
                f" non-2xx {result['non_2xx']}",
                flush=True,
            )
        kept, queued = count_rows(env)
        sent = sum(r["requests"] for r in results)
        print(f"  deliveries kept: {kept} (wrk counted {sent} answered), still queued: {queued}")
        for result in results:
            result.update(kept_total=kept, answered_total=sent, queued_total=queued)
    finally:
        stop(server)
    return results


def measure_reference(args, workdir: Path) -> list[dict]:
    app_dir = workdir / "reference"
    app_dir.mkdir()
    (app_dir / "floor_app.py").write_text(REFERENCE_APP)
    port = free_port()
    # The same gunicorn settings `regulars serve` uses (workers, threads, preload), so only the
    # application differs.
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "python:regulars.gunicorn_conf",
            "--chdir",
            str(app_dir),
            "--bind",
            f"127.0.0.1:{port}",
            "floor_app:application",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = []
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        for _ in range(args.runs):
            results.append(
                run_wrk(
                    f"http://127.0.0.1:{port}/",
                    sample_body(),
                    {},
                    args.seconds,
                    args.connections,
                    workdir,
                )
            )
    finally:
        stop(server)
    return results


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="regulars-bench-"))
    try:
        print("Regulars webhook intake (gunicorn + worker, SQLite):", flush=True)
        ours = measure_regulars(args, workdir)
        print("Reference: bare WSGI app under the same gunicorn settings:", flush=True)
        floor = measure_reference(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    summary = {
        "runs": args.runs,
        "seconds_per_run": args.seconds,
        "connections": args.connections,
        "regulars_rps_median": round(median(ours, "rps")),
        "regulars_p50_ms_median": round(median(ours, "p50"), 2),
        "regulars_p99_ms_median": round(median(ours, "p99"), 2),
        "regulars_non_2xx": sum(r["non_2xx"] for r in ours),
        # wrk counts only the answers it read before the end; a few more can be in flight.
        "deliveries_answered": ours[-1]["answered_total"],
        "deliveries_kept": ours[-1]["kept_total"],
        "deliveries_processed_meanwhile": ours[-1]["kept_total"] - ours[-1]["queued_total"],
        "reference_rps_median": round(median(floor, "rps")),
        "reference_p99_ms_median": round(median(floor, "p99"), 2),
    }
    summary["ratio_to_reference"] = round(
        summary["regulars_rps_median"] / summary["reference_rps_median"], 3
    )
    summary["target_met"] = (
        summary["regulars_rps_median"] >= 500
        and summary["regulars_p99_ms_median"] < 50
        and summary["regulars_non_2xx"] == 0
    )
    print(json.dumps(summary, indent=2))
    write_readme(summary)
    return 0


def write_readme(s: dict) -> None:
    """Replace this benchmark's section of README.md (between its markers) with the figures."""
    section = f"""## Webhook intake (`benchmarks/webhook_intake.py`)

Measured {time.strftime("%Y-%m-%d")} on this machine ({os.cpu_count()} cores), SQLite, the server as
`make run` starts it (`regulars serve`: gunicorn, {default_workers()} processes x 4 threads, and
the task worker processing every kept delivery at the same time). wrk, {s["connections"]}
connections, {s["runs"]} runs of {s["seconds_per_run"]} s; each request a signed Shopify
`orders/create` delivery with its own webhook id. Re-run with
`.venv/bin/python benchmarks/webhook_intake.py` (needs `wrk`: `apt-get install wrk`).

| measure | value | target |
|---|---|---|
| deliveries/s, median | **{s["regulars_rps_median"]:,}** | >= 500 |
| latency p50, median | {s["regulars_p50_ms_median"]} ms | |
| latency p99, median | **{s["regulars_p99_ms_median"]} ms** | < 50 ms |
| answers other than 2xx | {s["regulars_non_2xx"]} | 0 |
| deliveries answered (wrk) / kept (database) | {s["deliveries_answered"]:,} / {s["deliveries_kept"]:,} | every one kept |
| of those, processed by the worker during the runs | {s["deliveries_processed_meanwhile"]:,} | |
| reference: bare WSGI app, same gunicorn settings | {s["reference_rps_median"]:,} req/s, p99 {s["reference_p99_ms_median"]} ms | |
| Regulars / reference | {s["ratio_to_reference"]} | |"""
    write_section("webhook-intake", section)


if __name__ == "__main__":
    sys.exit(main())
