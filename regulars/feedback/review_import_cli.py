"""The `reviews` kind of `regulars import` (registered in commerce.imports.kinds on import):

    regulars import reviews FILE --store SLUG [--format auto|judgeme|yotpo|generic] [--dry-run]

Exit code 0 when every row was imported (notes about photo addresses left out do not count), 2 when some
rows were rejected (the others are imported) or when the file or the store is wrong.
docs/feedback.md ("Importing reviews") describes the formats.
"""

from collections.abc import Mapping

from regulars.commerce.imports import ImportFileError, store_for_import
from regulars.commerce.imports.kinds import register_import_kind
from regulars.feedback.services.import_formats import FORMAT_CHOICES, FORMAT_NAMES
from regulars.feedback.services.imports import (
    BATCH_SIZE,
    ReviewsImportResult,
    do_import_reviews,
)

KIND = "reviews"


def add_parser(subparsers):
    parser = subparsers.add_parser(
        KIND,
        help="Product reviews from a Judge.me or Yotpo export, or the generic reviews CSV",
        description="Import product reviews from a CSV file. Importing the same file again"
        " creates nothing new. docs/feedback.md describes the columns.",
    )
    parser.add_argument("reviews_file", metavar="FILE", help="the CSV file (UTF-8)")
    parser.add_argument("--store", required=True, help="the slug of the store to import into")
    parser.add_argument(
        "--format",
        dest="reviews_format",
        choices=FORMAT_CHOICES,
        default="auto",
        help="the file's format; auto (the default) tells it from the header",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read and check everything, count what would be created, write nothing",
    )
    parser.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="reviews written per transaction"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return parser


def run(options: Mapping, stdout, stderr) -> int:
    """Run the import; the summary goes to `stdout`, each rejected row and note to `stderr`."""
    # tqdm writes a message and its line ending separately; Django's OutputWrapper would add a
    # second line ending to each, so the stream it wraps is used.
    stream = getattr(stderr, "_out", stderr)
    try:
        store = store_for_import(options["store"])
        result = do_import_reviews(
            store,
            options["reviews_file"],
            file_format=options.get("reviews_format") or "auto",
            dry_run=options.get("dry_run", False),
            batch_size=max(1, options.get("batch_size") or BATCH_SIZE),
            stream=stream,
            bar=False if options.get("no_progress") else None,
        )
    except ImportFileError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    stdout.write(summary(result, store.slug) + "\n")
    if result.rejected:
        rows = f"{result.rejected:,} row{'s were' if result.rejected != 1 else ' was'}"
        stderr.write(f"{result.file_name}: {rows} rejected; see above\n")
        return 2
    return 0


def summary(result: ReviewsImportResult, slug: str) -> str:
    verb = "Checked (dry run, nothing written)" if result.dry_run else "Imported"
    created = "reviews to create:" if result.dry_run else "reviews created:  "
    lines = [
        f"{verb} {result.file_name} ({FORMAT_NAMES[result.file_format]}) into store {slug}"
        f" in {result.seconds:.1f} s",
        f"  {created}     {result.created:,}",
        f"    published:          {result.published:,}",
        f"    verified buyers:    {result.verified:,}",
        f"  already imported:     {result.already_imported:,}",
        f"  rows rejected:        {result.rejected:,}",
    ]
    if result.photos_queued:
        what = "to queue for download" if result.dry_run else "queued for download"
        count = result.photos_queued
        lines.append(f"  {count:,} photo address{'es' if count != 1 else ''} {what}")
    return "\n".join(lines)


register_import_kind(KIND, add_parser, run)
