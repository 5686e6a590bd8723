"""`regulars serve` runs gunicorn and the task worker for real, and stops both on SIGTERM."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="finds child processes through /proc (Linux)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The parent pid is the second field after the ")" that closes the command name.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _tree(pid: int) -> set[int]:
    pids, todo = set(), [pid]
    while todo:
        for child in _children_of(todo.pop()):
            if child not in pids:
                pids.add(child)
                todo.append(child)
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def _wait_until_answering(url: str, serve: subprocess.Popen, log: Path) -> None:
    for _ in range(600):  # bounded: gives up after about a minute
        if serve.poll() is not None:
            pytest.fail(f"serve exited with {serve.returncode}:\n{log.read_text()}")
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"serve never answered on {url}:\n{log.read_text()}")


@pytest.fixture
def server_env(tmp_path):
    env = {
        **os.environ,
        "REGULARS_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "regulars.settings",
        "DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "regulars", "migrate", "-v", "0"], env=env, check=True, timeout=600
    )
    return env


def test_it_serves_pages_and_static_files_then_stops_web_and_worker(server_env, tmp_path):
    port, log = _free_port(), tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "regulars", "serve", "--port", str(port), "--workers", "2"],
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(f"http://127.0.0.1:{port}/admin/login/", serve, log)
        # The first web worker answers before gunicorn has forked the second one: wait (a
        # while at most) for the start-up to finish before counting the processes.
        deadline = time.monotonic() + 20
        while len(tree := _tree(serve.pid)) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        started = dict(re.findall(r"Started (web|worker) \(pid (\d+)\)", log.read_text()))

        assert _get(f"http://127.0.0.1:{port}/admin/login/") == 200
        assert _get(f"http://127.0.0.1:{port}/static/admin/css/base.css") == 200
        assert set(started) == {"web", "worker"}
        assert {int(started["web"]), int(started["worker"])} <= tree
        assert len(tree) >= 4  # gunicorn master, its 2 web workers, the task worker
    finally:
        serve.send_signal(signal.SIGTERM)
        returncode = serve.wait(timeout=120)

    assert returncode == 0
    assert [pid for pid in sorted(tree) if _alive(pid)] == []
    assert "Handling signal: term" in log.read_text()


def test_it_stops_the_web_server_and_exits_with_the_code_of_a_worker_that_died(
    server_env, tmp_path
):
    port, log = _free_port(), tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "regulars", "serve", "--port", str(port), "--workers", "1"],
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(f"http://127.0.0.1:{port}/admin/login/", serve, log)
        tree = _tree(serve.pid)
        started = dict(re.findall(r"Started (web|worker) \(pid (\d+)\)", log.read_text()))

        os.kill(int(started["worker"]), signal.SIGKILL)
        returncode = serve.wait(timeout=120)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()

    assert returncode == 128 + signal.SIGKILL
    assert [pid for pid in sorted(tree) if _alive(pid)] == []
    assert "The worker process exited with code -9; stopping." in log.read_text()


def test_it_refuses_to_start_on_a_database_that_is_not_migrated(tmp_path):
    env = {**os.environ, "REGULARS_VAR_DIR": str(tmp_path / "var"), "DEBUG": "0"}
    env.pop("DATABASE_URL", None)

    result = subprocess.run(
        [sys.executable, "-m", "regulars", "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2
    assert "run `regulars migrate` first" in result.stderr
    assert "Started" not in result.stdout
