"""`do_import_responses`: a CSV of NPS or CSAT answers from another tool into a store.

The file is read as a stream and written in batches: each batch finds its customers and orders
with one query per kind of key, leaves out the responses already kept (by external id), and
inserts the rest with bulk_create in one transaction. Rows that cannot be read are reported
with their line, column and reason; the others are imported.
"""

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from regulars.commerce.imports import ImportFileError, RowError
from regulars.commerce.imports.progress import Progress
from regulars.commerce.imports.reader import CsvSource, record_batches
from regulars.commerce.imports.sql import among
from regulars.commerce.models import Customer, ImportRun, ImportStatus, Order
from regulars.core.models import Store
from regulars.insights.imports.responses import ResponseRecord, ResponsesFormat
from regulars.insights.models import SurveyResponse
from regulars.insights.surveys import check_kind

BATCH_SIZE = 5_000
# Notes (answers kept without their customer or order) listed per file. A file from a tool
# whose people are not customers yet would otherwise fill the list, and the 1,000 problems
# that Progress prints and keeps, before the rejected rows that need fixing; the summary
# counts them all.
MAX_NOTES = 100
RUN_KIND = "survey responses"  # ImportRun.kind, shown in the dashboard's list of imports
SOURCE = "import"  # SurveyResponse.source


@dataclass
class ResponsesImportResult:
    file_name: str
    kind: str
    dry_run: bool
    rows: int = 0  # data rows read
    created: int = 0  # responses written (or that would be, in a dry run)
    already_imported: int = 0  # rows whose response is kept already (an earlier import, or
    # the same row earlier in this file)
    rejected: int = 0
    without_customer: int = 0  # imported, but no customer of the store matched them
    notes_left_out: int = 0  # notes beyond MAX_NOTES, counted but not listed
    seconds: float = 0.0
    errors: list[RowError] = field(default_factory=list)  # rejected rows and warnings
    run_id: int | None = None

    @property
    def updated(self) -> int:  # for commerce's Progress, which saves created and updated
        return 0


def do_import_responses(
    store: Store,
    path: str | Path,
    *,
    kind: str,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    stream=None,
    bar: bool | None = None,
) -> ResponsesImportResult:
    """Import the NPS or CSAT answers of a CSV file into `store`.

    Raises ImportFileError when the file as a whole cannot be read (missing, empty, not CSV, a
    required column missing). A dry run reads, checks and matches everything and counts what
    would be created, but writes nothing (no ImportRun either).
    """
    kind = check_kind(kind)
    started = time.monotonic()
    file_name = str(path)
    result = ResponsesImportResult(file_name=file_name, kind=kind, dry_run=dry_run)
    with CsvSource(path, file_name) as source:
        reader = ResponsesFormat(
            source.header, kind=kind, timezone_name=store.timezone, file_name=file_name
        )
        run = None if dry_run else _start_run(store, file_name, kind, source.size)
        progress = Progress(
            run, file_name=file_name, size=source.size, stream=stream or sys.stderr, bar=bar
        )
        writer = _Writer(store, kind, dry_run=dry_run, title=reader.title)
        try:
            for records, batch in record_batches(source, reader.read, batch_size):
                writer.write(records, batch.errors, result)
                progress.advance(batch, result)
        except ImportFileError as exc:  # e.g. the CSV breaks down part way through
            progress.fail(result, exc.problem)
            raise
        except BaseException as exc:
            progress.fail(result, f"the import stopped: {exc!r}")
            raise
        status = ImportStatus.DONE_WITH_ERRORS if progress.rejected else ImportStatus.DONE
        progress.finish(result, status=status)
    result.rows = progress.rows
    result.rejected = progress.rejected
    result.errors = progress.errors
    result.seconds = time.monotonic() - started
    result.run_id = run.pk if run else None
    return result


def _start_run(store: Store, file_name: str, kind: str, size: int) -> ImportRun:
    return ImportRun.objects.create(
        store=store, kind=RUN_KIND, file_name=file_name[:500], file_format=kind, bytes_total=size
    )


class _Writer:
    def __init__(self, store: Store, kind: str, *, dry_run: bool, title):
        self.store = store
        self.title = title  # a field's column as the file names it
        self.kind = kind
        self.dry_run = dry_run
        # A dry run writes nothing, so the keys seen so far are remembered instead, to count a
        # row repeated further down the file once, as the real import would.
        self.seen: set[str] = set()
        self.notes = 0

    def write(self, records: list[ResponseRecord], errors: list[RowError], result) -> None:
        """Write one batch; `errors` receives a note per response kept without its customer
        (or its order), in line order with the batch's rejected rows."""
        fresh = self._fresh(records, result)
        if not fresh:
            return
        customers = self._customers(fresh)
        orders = self._orders(fresh)
        responses = []
        for record in fresh:
            customer_id = customers.get(("id", record.customer_id)) or customers.get(
                ("email", record.email)
            )
            if customer_id is None:
                result.without_customer += 1
                self._note(errors, result, _unknown_customer(record, self.title))
            order_id = orders.get(record.order_id)
            if record.order_id and order_id is None:
                self._note(errors, result, _unknown_order(record, self.title))
            responses.append(self._response(record, customer_id, order_id))
        errors.sort(key=lambda error: error.line)
        result.created += len(responses)
        if not self.dry_run:
            with transaction.atomic():
                # ignore_conflicts: another import of the same file at the same moment may
                # have inserted some of these since `_fresh` looked; the unique external id
                # keeps one copy of each.
                SurveyResponse.objects.bulk_create(responses, ignore_conflicts=True)

    def _note(self, errors: list[RowError], result, note: RowError) -> None:
        if self.notes < MAX_NOTES:
            self.notes += 1
            errors.append(note)
        else:
            result.notes_left_out += 1

    def _fresh(self, records: list[ResponseRecord], result) -> list[ResponseRecord]:
        """The records whose response is not kept yet, each once."""
        keys = [record.external_id for record in records]
        kept = set(
            SurveyResponse.objects.filter(store=self.store, external_id__in=among(keys))
            # Implies the unique index's condition, so SQLite looks the keys up in it.
            .exclude(external_id="")
            .order_by()
            .values_list("external_id", flat=True)
        )
        if self.dry_run:
            kept |= self.seen
        fresh = []
        for record in records:
            if record.external_id in kept:
                result.already_imported += 1
                continue
            kept.add(record.external_id)
            fresh.append(record)
        if self.dry_run:
            self.seen.update(record.external_id for record in fresh)
        return fresh

    def _customers(self, records: list[ResponseRecord]) -> dict[tuple[str, str], int]:
        """The store's customers named by the records: by external id, and by e-mail (a
        customer with an external id first, then the oldest, when several share one)."""
        ids = sorted({r.customer_id for r in records if r.customer_id})
        emails = sorted({r.email for r in records if r.email})
        customers = Customer.objects.filter(store=self.store).order_by()
        found: dict[tuple[str, str], int] = {}
        if ids:
            query = customers.filter(external_id__in=among(ids)).exclude(external_id="")
            for external_id, pk in query.values_list("external_id", "id"):
                found[("id", external_id)] = pk
        if emails:
            rows = customers.filter(email__in=among(emails)).values_list(
                "email", "external_id", "id"
            )
            for email, _, pk in sorted(rows, key=lambda row: (row[1] == "", row[2])):
                found.setdefault(("email", email), pk)
        return found

    def _orders(self, records: list[ResponseRecord]) -> dict[str, int]:
        ids = sorted({r.order_id for r in records if r.order_id})
        if not ids:
            return {}
        query = Order.objects.filter(store=self.store, external_id__in=among(ids)).order_by()
        return dict(query.values_list("external_id", "id"))

    def _response(self, record: ResponseRecord, customer_id, order_id) -> SurveyResponse:
        return SurveyResponse(
            store=self.store,
            customer_id=customer_id,
            order_id=order_id,
            kind=self.kind,
            score=record.score,
            comment=record.comment,
            channel=record.channel,
            source=SOURCE,
            external_id=record.external_id,
            answered_at=record.answered_at,
        )


def _unknown_order(record: ResponseRecord, title) -> RowError:
    return RowError(
        record.line,
        title("order_id"),
        f"no order of this store has the id {record.order_id!r}; the response is kept"
        " without an order",
        rejected=False,
    )


def _unknown_customer(record: ResponseRecord, title) -> RowError:
    if record.customer_id and record.email:
        column, who = "customer_id", f"the id {record.customer_id!r} or the e-mail {record.email!r}"
    elif record.customer_id:
        column, who = "customer_id", f"the id {record.customer_id!r}"
    else:
        column, who = "email", f"the e-mail {record.email!r}"
    # NPS and CSAT are store-wide figures: an answer counts whoever gave it, so it is kept.
    return RowError(
        record.line,
        title(column),
        f"no customer of this store has {who}; the response is kept without a customer",
        rejected=False,
    )


__all__ = ["BATCH_SIZE", "ImportFileError", "ResponsesImportResult", "do_import_responses"]
