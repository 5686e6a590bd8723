"""Survey response CSV files for the tests, written into pytest's tmp_path, and the ways to
import them: the command as the shell runs it, or the service."""

import io
from pathlib import Path

from django.core.management import call_command

from regulars.commerce.tests.import_csv import write_csv
from regulars.insights.imports import do_import_responses

HEADER = ["email", "customer_id", "date", "score", "comment", "channel"]


def answer(email: str, *, date: str = "2026-03-02T15:00:00Z", score: int | str = 9, **more):
    return {"email": email, "date": date, "score": str(score), **more}


def run_command(path: Path, store, *options: str, kind: str = "nps") -> tuple[int, str, str]:
    """`regulars insights import-responses PATH --store SLUG --kind KIND` as the shell runs it:
    exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    args = ["import-responses", str(path), "--store", store.slug, "--kind", kind, "--no-progress"]
    try:
        call_command("insights", *args, *options, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def given_responses(tmp_path: Path, store, kind: str, rows: list[dict], name="given.csv"):
    """Responses kept for `store`, through the import service (the way they arrive today)."""
    path = write_csv(tmp_path / name, HEADER, rows)
    result = do_import_responses(store, path, kind=kind, stream=io.StringIO(), bar=False)
    assert result.rejected == 0, result.errors
    return result
