"""`regulars serve`: the web app (gunicorn) and one task worker (django-tasks-db), together.

Both run as child processes in their own process group, so a Ctrl-C in the terminal reaches only
this supervisor, which asks both to stop gracefully (SIGTERM); a second Ctrl-C stops them at once.
When either child dies, the other is stopped and `serve` exits with the dead child's code.
"""

import contextlib
import ctypes
import os
import signal
import socket
import sys
import time
from pathlib import Path
from subprocess import Popen, TimeoutExpired

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from regulars.env import env_int

LOGIN_FILE_NAME = "demo-login.txt"  # written by `regulars demo`
_POLL_SECONDS = 0.2
_STOP_GRACE_SECONDS = 30  # gunicorn's graceful timeout plus a margin


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM if `serve` itself is killed, so nothing is orphaned."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _worker_preexec(niceness: int):
    def preexec() -> None:  # pragma: no cover - runs in the child before exec
        _die_with_parent()
        if niceness:
            os.nice(niceness)

    return preexec


def _exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


class Command(BaseCommand):
    help = "Run the web app (gunicorn) and the task worker until stopped (Ctrl-C)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="default %(default)s")
        parser.add_argument("--port", type=int, default=8000, help="default %(default)s")
        parser.add_argument(
            "--workers", type=int, default=None, help="web processes (default: CPU cores + 1)"
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
        parser.add_argument("--access-log", action="store_true", help="log every request")

    def handle(self, *args, **options):
        self._check_migrated()
        # WhiteNoise warns on every start when a configured STATIC_ROOT does not exist yet.
        if settings.STATIC_ROOT:
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        host, port = options["host"], options["port"]
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        self.children: dict[str, Popen] = {}
        self.stopping = 0
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        self._start("web", self._web_command(host, port, options))
        if not options["no_worker"]:
            # Webhook senders and people in the dashboard wait on the web processes; queued
            # work can wait a moment. So under load the worker gets the CPU the web leaves.
            self._start(
                "worker",
                [sys.executable, "-m", "regulars", "db_worker"],
                preexec=_worker_preexec(env_int("REGULARS_WORKER_NICE", 10)),
            )
        self._announce(host, port)
        sys.exit(self._supervise())

    # --- start ---------------------------------------------------------------------------------

    def _check_migrated(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "The database is not up to date; run `regulars migrate` first.", returncode=2
            )
        connection.close()  # the children open their own connections

    def _web_command(self, host: str, port: int, options) -> list[str]:
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:regulars.gunicorn_conf",
            "--bind",
            bind,
        ]
        if options["workers"]:
            command += ["--workers", str(options["workers"])]
        if options["access_log"]:
            command += ["--access-logfile", "-"]
        return command

    def _start(self, name: str, command: list[str], preexec=_die_with_parent) -> None:
        if self.stopping:
            return  # asked to stop while starting: start nothing more
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "regulars.settings"),
        }
        child = Popen(command, env=env, process_group=0, preexec_fn=preexec)
        self.children[name] = child
        self.stdout.write(f"Started {name} (pid {child.pid}): {' '.join(command[1:])}")

    def _announce(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        url = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
        ready = self._wait_until_listening(shown, port)
        self.stdout.write("")
        self.stdout.write(f"  Regulars {'is running' if ready else 'is starting'} at {url}")
        login = Path(settings.VAR_DIR) / LOGIN_FILE_NAME
        if login.exists():
            for line in login.read_text().splitlines():
                key, _, value = line.partition(":")
                if key.strip() in ("email", "password"):
                    self.stdout.write(f"  Demo {key.strip():<9} {value.strip()}")
        self.stdout.write("  Press Ctrl-C to stop.\n")
        self.stdout.flush()

    def _wait_until_listening(self, host: str, port: int, attempts: int = 150) -> bool:
        for _ in range(attempts):
            if self.stopping or any(child.poll() is not None for child in self.children.values()):
                return False
            with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
                return True
            time.sleep(_POLL_SECONDS)
        return False

    # --- run and stop --------------------------------------------------------------------------

    def _on_signal(self, signum, frame) -> None:
        self.stopping += 1
        # First signal: graceful stop. Again: stop now (gunicorn's quick shutdown, and the
        # task worker abandons its current task).
        forward = signal.SIGTERM if self.stopping == 1 else signal.SIGINT
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(forward)

    def _supervise(self) -> int:
        while not self.stopping:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    self.stderr.write(f"The {name} process exited with code {code}; stopping.")
                    self._stop_all(ask=True)
                    return _exit_code(code)
            time.sleep(_POLL_SECONDS)
        self._stop_all(ask=False)  # the signal handler has asked them already
        return 0

    def _stop_all(self, *, ask: bool) -> None:
        if ask:
            for child in self.children.values():
                if child.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        child.terminate()
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutExpired:
                self.stderr.write(f"The {name} process did not stop in time; killing it.")
                child.kill()
                child.wait()
