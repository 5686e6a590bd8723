"""`regulars import orders FILE --store SLUG [--format shopify|generic|auto] [--dry-run]
[--no-parallel]`, and the kinds later apps register in commerce.imports.kinds
(`regulars import reviews FILE`, from feedback).

Exit code 0 when every row was imported, 2 when some rows were rejected (the others are
imported) or when the file or the store is wrong. docs/csv-import.md describes the formats.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from regulars.commerce.imports import (
    FORMAT_CHOICES,
    ImportFileError,
    ImportResult,
    do_import_orders,
    store_for_import,
)
from regulars.commerce.imports.kinds import KINDS
from regulars.commerce.imports.service import BATCH_SIZE


class Command(BaseCommand):
    # Django's system checks would load the URL configuration, every dashboard view and with
    # them the insights models' numerical libraries: some 70 MB and half a second for a command
    # that only reads a file into the database. `regulars check` runs them.
    requires_system_checks = []
    help = (
        "Import data from CSV files: `import orders FILE --store SLUG`"
        " (and `import reviews FILE --store SLUG`)."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        orders = kinds.add_parser(
            "orders",
            help="Orders from Shopify's orders export or the generic orders CSV",
            description="Import orders with their lines and customers from a CSV file.",
        )
        orders.add_argument("file", metavar="FILE", help="the CSV file (UTF-8)")
        orders.add_argument("--store", required=True, help="the slug of the store to import into")
        orders.add_argument(
            "--format",
            dest="file_format",
            choices=FORMAT_CHOICES,
            default="auto",
            help="the file's format; auto (the default) tells it from the header",
        )
        orders.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, count what would change, write nothing",
        )
        orders.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help="orders read and written at a time (several batches share a transaction)",
        )
        orders.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
        parallel = orders.add_mutually_exclusive_group()
        parallel.add_argument(
            "--parallel",
            dest="parallel",
            action="store_true",
            default=None,
            help="read the file in a second process while writing (the default with two"
            " cores or more, for files over 1 MB)",
        )
        parallel.add_argument(
            "--no-parallel",
            dest="parallel",
            action="store_false",
            help="read and write in this one process",
        )
        for kind in KINDS.values():
            kind.add_parser(kinds)

    def handle(self, *args, **options):
        other = KINDS.get(options["kind"])
        if other is not None:
            code = other.run(options, self.stdout, self.stderr)
            if code:
                # The runner has said what went wrong; only the exit code is left to give.
                sys.exit(code)
            return
        stream = options.get("stderr") or sys.stderr
        try:
            store = store_for_import(options["store"])
            result = do_import_orders(
                store,
                options["file"],
                file_format=options["file_format"],
                dry_run=options["dry_run"],
                batch_size=max(1, options["batch_size"]),
                stream=stream,
                bar=False if options["no_progress"] else None,
                background=options["parallel"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(summary(result, store.slug))
        if result.rows_rejected:
            raise CommandError(
                f"{result.file_name}: {result.rows_rejected} row"
                f"{'s were' if result.rows_rejected != 1 else ' was'} rejected; see above",
                returncode=2,
            )


def summary(result: ImportResult, slug: str) -> str:
    c = result.counts
    seconds = max(result.seconds, 1e-6)
    verb = "Checked (dry run, nothing written)" if result.dry_run else "Imported"
    lines = [
        f"{verb} {result.file_name} ({result.file_format}) into store {slug}"
        f" in {result.seconds:.1f} s",
        f"  orders created:     {c.created:,}",
        f"  orders updated:     {c.updated:,}",
        f"  orders unchanged:   {c.unchanged:,}",
    ]
    if c.kept_newer:
        lines.append(f"  orders kept (newer copy already here): {c.kept_newer:,}")
    lines += [
        f"  customers created:  {result.customers_created:,}",
        f"  products created:   {result.products_created:,}",
        f"  lines written:      {c.lines:,}",
        f"  rows rejected:      {result.rows_rejected:,}",
    ]
    if result.warnings:
        lines.append(f"  values left out:    {result.warnings:,} (see the notes above)")
    lines.append(
        f"  speed:              {result.rows / seconds:,.0f} rows/s,"
        f" {result.orders / seconds:,.0f} orders/s"
    )
    return "\n".join(lines)
