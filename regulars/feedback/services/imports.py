"""`do_import_reviews`: the reviews of a Judge.me or Yotpo export, or of the generic CSV, into a
store, read as a stream and written in batches.

Each batch looks up its products (by external id, else by the handle in the product's URL),
its customers (by e-mail) and their delivered order lines with one query per kind, leaves out
the reviews already kept (by external id: importing the same file again creates nothing),
inserts the rest with bulk_create and recounts the ProductRating of every product it touched,
all in one transaction. Rejected rows are reported with their line, column and reason; the
others are imported.

An imported review is verified only when our own check says so (its author's e-mail is a
customer of the store with a delivered order line of the product), whatever the file claims.
The file's moderation decision is kept (Judge.me's curated, Yotpo's published, the generic
status); where it gives none, the review goes through the same text checks and auto-publish
rating as a review written here. Imports emit no review events: years of old reviews are not
news for the webhook or the journeys. The photo addresses of a new review are kept as
ImportedPhotos in the same transaction, and one run of the fetch task (services/photo_fetch.py)
is queued once the import is over: they become the review's photos in the background.
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
from regulars.commerce.models import (
    Customer,
    FulfillmentStatus,
    ImportRun,
    ImportStatus,
    OrderLine,
    Product,
)
from regulars.core.events import enqueue_on_commit
from regulars.core.models import Store
from regulars.feedback.models import (
    ImportedPhoto,
    ImportedPhotoStatus,
    Review,
    ReviewSource,
    ReviewStatus,
)
from regulars.feedback.services import moderation
from regulars.feedback.services.import_formats import (
    FORMAT_CHOICES,
    ReviewRecord,
    ReviewsFormat,
    handle_of,
)
from regulars.feedback.services.photo_fetch import too_many_reason
from regulars.feedback.services.photos import MAX_PHOTOS
from regulars.feedback.services.reviews import (
    MAX_REASON,
    lock_products,
    moderation_decision,
    refresh_product_rating,
)
from regulars.feedback.services.settings import settings_of

BATCH_SIZE = 2_000
MAX_NOTES = 100  # notes (photo addresses too long to keep) listed per file
MAX_URL = 1000  # ImportedPhoto.url
RUN_KIND = "reviews"  # ImportRun.kind


@dataclass
class ReviewsImportResult:
    file_name: str
    file_format: str
    dry_run: bool
    rows: int = 0
    created: int = 0  # written (or that would be, in a dry run)
    already_imported: int = 0  # kept already (an earlier import, or earlier in this file)
    rejected: int = 0
    verified: int = 0  # of those created
    published: int = 0  # of those created
    photos_queued: int = 0  # photo addresses kept for the fetch task (or that would be)
    seconds: float = 0.0
    errors: list[RowError] = field(default_factory=list)
    run_id: int | None = None

    @property
    def updated(self) -> int:  # for commerce's Progress, which saves created and updated
        return 0


def do_import_reviews(
    store: Store,
    path: str | Path,
    *,
    file_format: str = "auto",
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    stream=None,
    bar: bool | None = None,
) -> ReviewsImportResult:
    """Import a reviews CSV into `store`. Raises ImportFileError when the file as a whole
    cannot be read (missing, empty, not CSV, an unknown format, a required column missing).
    A dry run reads, checks and matches everything, counts, and writes nothing."""
    if file_format not in FORMAT_CHOICES:
        raise ImportFileError("--format", f"{file_format!r} is not one of {FORMAT_CHOICES}")
    started = time.monotonic()
    file_name = str(path)
    with CsvSource(path, file_name) as source:
        reader = ReviewsFormat(
            source.header,
            file_format=file_format,
            timezone_name=store.timezone,
            file_name=file_name,
        )
        result = ReviewsImportResult(
            file_name=file_name, file_format=reader.file_format, dry_run=dry_run
        )
        run = None
        if not dry_run:
            run = ImportRun.objects.create(
                store=store,
                kind=RUN_KIND,
                file_name=file_name[:500],
                file_format=reader.file_format,
                bytes_total=source.size,
            )
        progress = Progress(
            run, file_name=file_name, size=source.size, stream=stream or sys.stderr, bar=bar
        )
        writer = _Writer(store, reader, dry_run=dry_run, run=run)
        try:
            for records, batch in record_batches(source, reader.read, batch_size):
                late = writer.write(records, batch.errors, result)
                progress.advance(batch._replace(rejected_rows=batch.rejected_rows + late), result)
        except ImportFileError as exc:
            progress.fail(result, exc.problem)
            raise
        except BaseException as exc:
            progress.fail(result, f"the import stopped: {exc!r}")
            raise
        status = ImportStatus.DONE_WITH_ERRORS if progress.rejected else ImportStatus.DONE
        progress.finish(result, status=status)
    if result.photos_queued and not dry_run:
        _queue_photo_fetch(store.pk)
    result.rows = progress.rows
    result.rejected = progress.rejected
    result.errors = progress.errors
    result.seconds = time.monotonic() - started
    result.run_id = run.pk if run else None
    return result


class _Writer:
    def __init__(self, store: Store, reader: ReviewsFormat, *, dry_run: bool, run=None):
        self.store = store
        self.run = run
        self.reader = reader
        self.dry_run = dry_run
        self.settings = settings_of(store)
        self.seen: set[str] = set()  # a dry run's "already kept"
        self.notes = 0
        self._handles: dict[str, int] | None = None

    def write(self, records: list[ReviewRecord], errors: list[RowError], result) -> int:
        """Write one batch; a row whose product is unknown joins `errors` as rejected. Returns
        the number of those rows (rejected here rather than when the row was read)."""
        fresh = self._fresh(records, result)
        if not fresh:
            return 0
        products = self._products(fresh)
        kept: list[tuple[ReviewRecord, int]] = []
        for record in fresh:
            product_id = products.get(("id", record.product_id)) or products.get(
                ("handle", record.product_handle)
            )
            if product_id is None:
                errors.append(self._unknown_product(record))
                continue
            kept.append((record, product_id))
            for url in record.photos:
                if len(url) > MAX_URL:
                    self._note(errors, record, url)
        late = len(fresh) - len(kept)
        errors.sort(key=lambda error: error.line)
        customers = self._customers(kept)
        lines = self._verified_lines(kept, customers)
        reviews = [self._review(record, pid, customers, lines) for record, pid in kept]
        result.created += len(reviews)
        if self.dry_run:
            result.photos_queued += sum(
                min(MAX_PHOTOS, len([u for u in record.photos if len(u) <= MAX_URL]))
                for record, _ in kept
            )
        result.verified += sum(review.verified for review in reviews)
        result.published += sum(review.status == ReviewStatus.PUBLISHED for review in reviews)
        if self.dry_run or not reviews:
            return late
        with transaction.atomic():
            touched = sorted({review.product_id for review in reviews})
            lock_products(touched)
            # ignore_conflicts: an import of the same file at the same moment may have
            # inserted some of these since `_fresh` looked; the unique external id keeps one.
            Review.objects.bulk_create(reviews, ignore_conflicts=True)
            for product_id in touched:
                refresh_product_rating(self.store.pk, product_id)
            result.photos_queued += self._keep_photos([record for record, _ in kept])
        return late

    def _keep_photos(self, records: list[ReviewRecord]) -> int:
        """The photo addresses of the reviews just written, as ImportedPhotos waiting for the
        fetch task (beyond a review's MAX_PHOTOS: refused at once); how many wait."""
        with_photos = [record for record in records if record.photos]
        if not with_photos:
            return 0
        ids = dict(
            Review.objects.filter(
                store=self.store,
                external_id__in=among([record.external_id for record in with_photos]),
            )
            .order_by()
            .values_list("external_id", "pk")
        )
        rows = []
        for record in with_photos:
            review_id = ids.get(record.external_id)
            if review_id is None:
                continue
            urls = [url for url in record.photos if len(url) <= MAX_URL]
            for position, url in enumerate(urls, 1):
                extra = position > MAX_PHOTOS
                rows.append(
                    ImportedPhoto(
                        store=self.store,
                        review_id=review_id,
                        run=self.run,
                        line=record.line,
                        url=url,
                        position=position,
                        status=ImportedPhotoStatus.REFUSED
                        if extra
                        else ImportedPhotoStatus.PENDING,
                        error=too_many_reason() if extra else "",
                    )
                )
        # ignore_conflicts: the same review and address are kept once (imported_photo_once).
        ImportedPhoto.objects.bulk_create(rows, ignore_conflicts=True)
        return sum(row.status == ImportedPhotoStatus.PENDING for row in rows)

    def _fresh(self, records: list[ReviewRecord], result) -> list[ReviewRecord]:
        keys = [record.external_id for record in records]
        kept = set(
            Review.objects.filter(store=self.store, external_id__in=among(keys))
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

    def _products(self, records: list[ReviewRecord]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        ids = sorted({r.product_id for r in records if r.product_id})
        if ids:
            query = Product.objects.filter(store=self.store, external_id__in=among(ids))
            for external_id, pk in query.order_by().values_list("external_id", "pk"):
                found[("id", external_id)] = pk
        if any(r.product_handle for r in records):
            for handle, pk in self._product_handles().items():
                found[("handle", handle)] = pk
        return found

    def _product_handles(self) -> dict[str, int]:
        """The store's products by the handle in their URL (.../products/<handle>), read once."""
        if self._handles is None:
            self._handles = {}
            query = Product.objects.filter(store=self.store, url__contains="/products/")
            for url, pk in query.order_by("pk").values_list("url", "pk"):
                handle = handle_of(url)
                if handle:
                    self._handles.setdefault(handle, pk)
        return self._handles

    def _customers(self, kept) -> dict[str, int]:
        """The store's customers by e-mail (the oldest when several share one)."""
        emails = sorted({record.author_email for record, _ in kept if record.author_email})
        if not emails:
            return {}
        found: dict[str, int] = {}
        query = Customer.objects.filter(store=self.store, email__in=among(emails))
        for email, pk in query.order_by("pk").values_list("email", "pk"):
            found.setdefault(email, pk)
        return found

    def _verified_lines(self, kept, customers: dict[str, int]) -> dict[tuple[int, int], int]:
        """(customer, product) -> a delivered order line of that product for that customer."""
        customer_ids = sorted(
            {customers[r.author_email] for r, _ in kept if r.author_email in customers}
        )
        if not customer_ids:
            return {}
        product_ids = sorted({pid for _, pid in kept})
        query = OrderLine.objects.filter(
            store=self.store,
            order__customer_id__in=among(customer_ids),
            product_id__in=among(product_ids),
            order__fulfillments__status=FulfillmentStatus.DELIVERED,
        )
        found: dict[tuple[int, int], int] = {}
        for customer_id, product_id, pk in query.order_by("pk").values_list(
            "order__customer_id", "product_id", "pk"
        ):
            found.setdefault((customer_id, product_id), pk)
        return found

    def _review(self, record: ReviewRecord, product_id: int, customers, lines) -> Review:
        customer_id = customers.get(record.author_email) if record.author_email else None
        line_id = lines.get((customer_id, product_id)) if customer_id else None
        status, reason = record.status, record.reason
        flags: list[str] = []
        if status is None:
            findings = moderation.text_findings(
                f"{record.title}\n{record.body}", self.settings.blocked_words
            )
            flags = sorted({finding.flag for finding in findings})
            status, reason = moderation_decision(
                record.rating, findings, self.settings.auto_publish_min_rating
            )
        return Review(
            store=self.store,
            product_id=product_id,
            customer_id=customer_id,
            order_line_id=line_id,
            rating=record.rating,
            title=record.title,
            body=record.body,
            author_name=record.author_name,
            author_email=record.author_email,
            verified=line_id is not None,
            status=status,
            moderation_reason=reason[:MAX_REASON],
            flags=flags,
            source=ReviewSource.IMPORT,
            external_id=record.external_id,
            reply=record.reply,
            replied_at=record.replied_at,
            written_at=record.written_at,
            published_at=record.written_at if status == ReviewStatus.PUBLISHED else None,
        )

    def _unknown_product(self, record: ReviewRecord) -> RowError:
        if record.product_id:
            column, what = "product_id", f"the id {record.product_id!r}"
        else:
            column, what = "product_handle", f"the handle {record.product_handle!r}"
        if column == "product_handle" and "product_handle" not in self.reader.positions:
            column = "product_url"
        return RowError(
            record.line,
            self.reader.title(column),
            f"no product of this store has {what}; import the products (or orders) first",
        )

    def _note(self, errors: list[RowError], record: ReviewRecord, url: str) -> None:
        if self.notes >= MAX_NOTES:
            return
        self.notes += 1
        errors.append(
            RowError(
                record.line,
                self.reader.title("photos"),
                f"a photo address of {len(url):,} characters left out (at most {MAX_URL:,});"
                " the review is imported without that photo",
                rejected=False,
            )
        )


def _queue_photo_fetch(store_id: int) -> None:
    from regulars.feedback.tasks import fetch_imported_photos

    with transaction.atomic():
        enqueue_on_commit(fetch_imported_photos, store_id)


__all__ = ["BATCH_SIZE", "ImportFileError", "ReviewsImportResult", "do_import_reviews"]
