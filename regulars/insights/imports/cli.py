"""The `import-responses` subcommand of `regulars insights`:

    regulars insights import-responses FILE --store SLUG --kind nps|csat [--dry-run]

Exit code 0 when every row was imported (answers kept without a customer are only noted), 2
when some rows were rejected (the others are imported) or when the file or the store is wrong.
The command module calls `add_import_parser` to declare it and `run_import` to run it.
"""

from collections.abc import Mapping

from regulars.commerce.imports import ImportFileError, store_for_import
from regulars.insights.imports.service import (
    BATCH_SIZE,
    ResponsesImportResult,
    do_import_responses,
)
from regulars.insights.models import SurveyKind

COMMAND = "import-responses"


def add_import_parser(subparsers):
    """Add `import-responses` to the subparsers of `regulars insights`; returns its parser."""
    parser = subparsers.add_parser(
        COMMAND,
        help="Import NPS or CSAT answers from another tool's CSV file",
        description="Import survey answers (e-mail or customer_id, date, score, comment,"
        " channel) from a CSV file. Importing the same file again creates nothing new."
        " docs/insights.md describes the columns.",
    )
    parser.add_argument("responses_file", metavar="FILE", help="the CSV file (UTF-8)")
    parser.add_argument("--store", required=True, help="the slug of the store to import into")
    parser.add_argument(
        "--kind",
        dest="survey_kind",
        required=True,
        choices=SurveyKind.values,
        help="nps: scores 0–10; csat: scores 1–5",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read and check everything, count what would be created, write nothing",
    )
    parser.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="rows written per transaction"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return parser


def run_import(options: Mapping, stdout, stderr) -> int:
    """Run the import with the parsed `options`; write the summary to `stdout`, each rejected
    row and note to `stderr`. Returns the exit code."""
    # tqdm writes a message and its line ending separately; Django's OutputWrapper would add a
    # second line ending to each, so the stream it wraps is used.
    stream = getattr(stderr, "_out", stderr)
    try:
        store = store_for_import(options["store"])
        result = do_import_responses(
            store,
            options["responses_file"],
            kind=options["survey_kind"],
            dry_run=options.get("dry_run", False),
            batch_size=max(1, options.get("batch_size") or BATCH_SIZE),
            stream=stream,
            bar=False if options.get("no_progress") else None,
        )
    except ImportFileError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    if result.notes_left_out:
        stream.write(
            f"{result.file_name}: {result.notes_left_out:,} more notes of answers kept without"
            " their customer or order are not listed\n"
        )
    stdout.write(summary(result, store.slug) + "\n")
    if result.rejected:
        rows = f"{result.rejected:,} row{'s were' if result.rejected != 1 else ' was'}"
        stderr.write(f"{result.file_name}: {rows} rejected; see above\n")
        return 2
    return 0


def summary(result: ResponsesImportResult, slug: str) -> str:
    verb = "Checked (dry run, nothing written)" if result.dry_run else "Imported"
    created = "responses to create:" if result.dry_run else "responses created:  "
    lines = [
        f"{verb} {result.file_name} ({result.kind.upper()}) into store {slug}"
        f" in {result.seconds:.1f} s",
        f"  {created}   {result.created:,}",
        f"  already imported:     {result.already_imported:,}",
        f"  without a customer:   {result.without_customer:,}",
        f"  rows rejected:        {result.rejected:,}",
    ]
    return "\n".join(lines)
