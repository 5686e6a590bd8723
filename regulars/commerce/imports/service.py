"""`do_import_orders`: a CSV file of orders into a store, batch by batch, in constant memory."""

import gc
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from regulars.commerce import domain_events
from regulars.commerce.imports.detect import open_format
from regulars.commerce.imports.pipeline import batches_in_background, pays_to_read_in_background
from regulars.commerce.imports.progress import Progress, do_start_run
from regulars.commerce.imports.reader import CsvSource
from regulars.commerce.imports.records import ImportFileError, RowError
from regulars.commerce.imports.sql import chunks, import_connection, time_text
from regulars.commerce.imports.stats import lower_first_seen, refresh_all_customer_stats
from regulars.commerce.imports.values import Values
from regulars.commerce.imports.writer import BatchWriter, Counts
from regulars.commerce.models import Customer, ImportStatus, Order, OrderLine, Product
from regulars.commerce.services import refresh_customer_stats
from regulars.core.bulkload import refresh_planner_statistics
from regulars.core.models import Store

BATCH_SIZE = 10_000
# Batches written in one transaction. Each commit copies every page the transaction changed
# into the WAL, and the indexes filled in random order (an order's customer, a line's
# product) have pages changed all over by any batch: committing every 100,000 orders instead
# of every 20,000 wrote a quarter less. Other writers (webhooks) wait for a commit, about two
# seconds at most.
ORDERS_PER_TRANSACTION = 100_000


@dataclass
class ImportResult:
    file_name: str
    file_format: str
    dry_run: bool
    counts: Counts
    customers_created: int
    products_created: int
    rows: int
    rows_rejected: int
    warnings: int
    seconds: float
    errors: list[RowError] = field(default_factory=list)
    run_id: int | None = None

    @property
    def orders(self) -> int:
        c = self.counts
        return c.created + c.updated + c.unchanged + c.kept_newer


def store_for_import(slug: str) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        known = ", ".join(Store.objects.order_by("slug").values_list("slug", flat=True)[:10])
        raise ImportFileError(
            "--store", f"no store has the slug {slug!r} (stores: {known or 'none yet'})"
        )
    return store


def do_import_orders(
    store: Store,
    path: str | Path,
    *,
    file_format: str = "auto",
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    stream=None,
    bar: bool | None = None,
    background: bool | None = None,
) -> ImportResult:
    """Import the orders of a Shopify export or a generic orders CSV into `store`.

    Raises ImportFileError when the file as a whole cannot be read; rejected rows are reported
    in the result (and on `stream`) while the good rows are imported. `background` reads
    the file in a second process (pipeline.py); None (the default) does so where it pays: two
    cores or more, and a file of some size.
    """
    # Millions of small acyclic records would make the cycle collector walk them again and
    # again (a third of the time); nothing here builds cycles worth collecting meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(store, path, file_format, dry_run, batch_size, stream, bar, background)
    finally:
        if collecting:
            gc.enable()


def _import(store, path, file_format, dry_run, batch_size, stream, bar, background):
    started = time.monotonic()
    file_name = str(path)
    stream = stream or sys.stderr
    with import_connection(), CsvSource(path, file_name) as source:
        run = None
        if not dry_run:
            run = do_start_run(
                store, file_name=file_name, file_format=file_format, bytes_total=source.size
            )
        progress = Progress(run, file_name=file_name, size=source.size, stream=stream, bar=bar)
        writer = None
        try:
            reader = open_format(
                source.header, file_format, Values(store.timezone, time_text()), file_name
            )
            if run is not None:
                run.file_format = reader.name
                run.save(update_fields=["file_format"])
            writer = BatchWriter(
                store, now=timezone.now(), by_sku=reader.products_by_sku, dry_run=dry_run
            )

            def read_batches():
                return reader.batches(
                    source.rows(), batch_size=batch_size, bytes_read=source.bytes_read
                )

            if background is None:
                background = pays_to_read_in_background(source.size)
            batches = iter(batches_in_background(read_batches) if background else read_batches())
            while _write_some(batches, writer, progress, dry_run):
                pass
        except ImportFileError as exc:
            progress.fail(writer.counts if writer else Counts(), exc.problem)
            raise
        except BaseException as exc:
            progress.fail(writer.counts if writer else Counts(), f"the import stopped: {exc!r}")
            raise
        finally:
            if writer is not None and not dry_run:
                refresh_planner_statistics(Customer, Product, Order, OrderLine)
                _refresh_stats(store, writer.touched_customers)
        status = ImportStatus.DONE_WITH_ERRORS if progress.rejected else ImportStatus.DONE
        progress.finish(writer.counts, status=status)
        if run is not None and (run.created or run.updated):
            # One summary event, never one per order: see docs/csv-import.md.
            domain_events.orders_imported(run)
    return ImportResult(
        file_name=file_name,
        file_format=reader.name,
        dry_run=dry_run,
        counts=writer.counts,
        customers_created=writer.customers.created,
        products_created=writer.products.created,
        rows=progress.rows,
        rows_rejected=progress.rejected,
        warnings=progress.warnings,
        seconds=time.monotonic() - started,
        errors=progress.errors,
        run_id=run.pk if run else None,
    )


def _write_some(batches, writer: BatchWriter, progress: Progress, dry_run: bool) -> bool:
    """Write batches in one transaction until it holds ORDERS_PER_TRANSACTION orders; False
    once the file is done. If writing fails, the counts go back to what was committed."""
    committed = replace(writer.counts)
    written = 0
    more = False
    try:
        with transaction.atomic():
            for batch in batches:
                writer.write(batch.orders)
                progress.advance(batch, writer.counts)
                written += len(batch.orders)
                if written >= ORDERS_PER_TRANSACTION:
                    more = True
                    break
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        writer.counts = committed
        raise
    if dry_run:
        writer.rolled_back()
    return more


def _refresh_stats(store: Store, customer_ids: set[int]) -> None:
    """Recount the order figures and first-seen times of the customers the import touched: by
    id, or all of the store's customers at once when the import touched most of them anyway."""
    if not customer_ids:
        return
    with transaction.atomic():
        if len(customer_ids) * 2 >= Customer.objects.filter(store=store).count():
            refresh_all_customer_stats(store)
            lower_first_seen(store)
            return
        for chunk in chunks(sorted(customer_ids)):
            refresh_customer_stats(store, chunk)
            lower_first_seen(store, chunk)
