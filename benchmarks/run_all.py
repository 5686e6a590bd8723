"""`make bench`: every benchmark in this folder, one after the other (see README.md)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "import_orders.py",
    "webhook_intake.py",
    "insights_metrics.py",
    "insights_page.py",
    "clv_fit.py",
    "email_send.py",
    "journey_confirmation.py",
    "journey_triggers.py",
    "reviews_widget.py",
]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)]).returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
