"""Run a command against a throwaway PostgreSQL cluster started from the installed binaries.

    python tools/with_postgres.py pytest -q

Creates a cluster in a temporary directory (initdb), starts it on a Unix socket only (no TCP
port), exports DATABASE_URL for the command, and removes everything afterwards. When no
PostgreSQL server binaries are installed it prints why it skipped and exits 0, so a machine
without PostgreSQL still runs the SQLite suite; CI installs them (.ci/run).
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    configured = os.environ.get("PG_BINDIR")
    if configured:
        return Path(configured)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def as_cluster_user(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the `postgres` system user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        print(
            "SKIPPED: the PostgreSQL suite needs PostgreSQL server binaries (initdb, pg_ctl);"
            " none found (apt-get install postgresql).",
            flush=True,
        )
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="regulars-pg-"))
    os.chmod(workdir, 0o777)  # the cluster user writes here, the test process connects here
    data = workdir / "data"
    log = workdir / "server.log"
    try:
        subprocess.run(
            as_cluster_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-k {workdir} -c listen_addresses='' -F -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        subprocess.run(
            as_cluster_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = dict(os.environ)
        env["DATABASE_URL"] = f"postgres://postgres@/regulars?host={workdir}"
        print(f"PostgreSQL cluster from {bindir} running at {workdir}", flush=True)
        return subprocess.run(argv, env=env).returncode
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                as_cluster_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
