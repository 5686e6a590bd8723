"""`do_fetch_imported_photos`: the photo addresses of imported reviews (ImportedPhoto) fetched and
kept as the reviews' photos.

Each address is fetched through core.outbound's guard (http or https only, never an internal
address, no redirect followed, at most REGULARS_REVIEW_PHOTO_MAX_BYTES read) and then checked
exactly as an uploaded photo (services/photos.py: the type Pillow finds, the size, the pixels;
the copy kept without metadata). An address that fails is recorded with its reason and the
others go on. A failure that may pass later (no answer, a timeout, 408, 429, 5xx) is tried
again after RETRY_DELAYS; any other (404, a redirect, not a JPEG, PNG or WebP) is final. Each
refusal is also listed, as a kept note, on the import's run (the dashboard's imports page).
"""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from regulars.commerce.models import ImportRun
from regulars.core import outbound
from regulars.feedback.models import ImportedPhoto, ImportedPhotoStatus, ReviewPhoto
from regulars.feedback.services.photos import (
    MAX_PHOTOS,
    PROBLEMS,
    PhotoRefused,
    check_photo,
    do_store_photos,
    max_bytes,
    megabytes,
)

BATCH = 50  # addresses per run of the task; a run with more to do queues the next
TIMEOUT_SECONDS = 15
# After attempt n fails transiently, the next comes RETRY_DELAYS[n - 1] later; after the last
# the address is refused with the last reason.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))
MAX_ERROR = 300  # ImportedPhoto.error
MAX_RUN_NOTES = 1_000  # ImportRun.errors kept, as commerce's Progress keeps


def too_many_reason() -> str:
    return (
        PROBLEMS["too_many"]
        .format(max=MAX_PHOTOS, chosen="more")
        .replace("(more were chosen)", "(the file gives more)")
    )


@dataclass
class FetchOutcome:
    fetched: int = 0
    refused: int = 0
    retrying: int = 0
    next_run_at: datetime | None = None  # when the task should run again (None: no need)

    @property
    def summary(self) -> str:
        return f"{self.fetched} fetched, {self.refused} refused, {self.retrying} to try again"


def do_fetch_imported_photos(store_id: int, *, now: datetime | None = None) -> FetchOutcome:
    """Fetch the store's photo addresses that are due (up to BATCH); never raises for one
    address, so one bad address cannot lose the others."""
    now = now or timezone.now()
    outcome = FetchOutcome()
    due = ImportedPhoto.objects.filter(
        store_id=store_id, status=ImportedPhotoStatus.PENDING
    ).filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
    for photo in due.select_related("review").order_by("pk")[:BATCH]:
        # Claimed by raising its attempts: a second run at the same moment skips it.
        claimed = ImportedPhoto.objects.filter(
            pk=photo.pk, status=ImportedPhotoStatus.PENDING, attempts=photo.attempts
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        photo.attempts += 1
        _fetch_one(photo, now, outcome)
    later = ImportedPhoto.objects.filter(store_id=store_id, status=ImportedPhotoStatus.PENDING)
    if due.exists():
        outcome.next_run_at = now
    else:
        outcome.next_run_at = (
            later.order_by("next_try_at").values_list("next_try_at", flat=True).first()
        )
    return outcome


def _fetch_one(photo: ImportedPhoto, now: datetime, outcome: FetchOutcome) -> None:
    if ReviewPhoto.objects.filter(review_id=photo.review_id).count() >= MAX_PHOTOS:
        _refuse(photo, too_many_reason(), outcome)
        return
    try:
        data = outbound.fetch(photo.url, max_bytes=max_bytes(), timeout=TIMEOUT_SECONDS)
    except outbound.ResponseTooLarge:
        _refuse(photo, _problem("too_large", size=f"> {_limit()}", limit=_limit()), outcome)
        return
    except ValueError as error:  # urllib's word on an address it cannot send
        _refuse(photo, f"not a usable address: {error}", outcome)
        return
    except outbound.OutboundError as error:
        _failed(photo, error.reason, now, outcome, transient=error.transient)
        return
    upload = io.BytesIO(data)
    upload.name = photo.url.rsplit("/", 1)[-1].split("?", 1)[0]
    try:
        checked = check_photo(upload, photo.position)
    except PhotoRefused as refused:
        _refuse(photo, _problem(refused.problem, **refused.params), outcome)
        return
    try:
        with transaction.atomic():
            (stored,) = do_store_photos(photo.review, [checked])
            photo.status = ImportedPhotoStatus.FETCHED
            photo.photo = stored
            photo.fetched_at = timezone.now()
            photo.error = ""
            photo.next_try_at = None
            photo.save(update_fields=["status", "photo", "fetched_at", "error", "next_try_at"])
    except OSError as error:  # the media storage (a full disk): the photo itself was good
        _failed(photo, f"could not be stored: {error}", now, outcome, transient=True)
        return
    outcome.fetched += 1


def _failed(photo, reason: str, now: datetime, outcome: FetchOutcome, *, transient: bool) -> None:
    """Try again after the next delay when that may help and some are left; else refuse."""
    if transient and photo.attempts <= len(RETRY_DELAYS):
        photo.error = reason[:MAX_ERROR]
        photo.next_try_at = now + RETRY_DELAYS[photo.attempts - 1]
        photo.save(update_fields=["error", "next_try_at"])
        outcome.retrying += 1
    else:
        _refuse(photo, reason, outcome)


def _problem(problem: str, **params) -> str:
    return PROBLEMS[problem].format(**params)


def _limit() -> str:
    return megabytes(max_bytes())


def _refuse(photo: ImportedPhoto, reason: str, outcome: FetchOutcome) -> None:
    with transaction.atomic():
        photo.status = ImportedPhotoStatus.REFUSED
        photo.error = reason[:MAX_ERROR]
        photo.next_try_at = None
        photo.save(update_fields=["status", "error", "next_try_at"])
        if photo.run_id:
            _note_on_run(photo)
    outcome.refused += 1


def _note_on_run(photo: ImportedPhoto) -> None:
    """List the refusal on its import (the dashboard's imports page), as a kept row's note."""
    run = ImportRun.objects.select_for_update().filter(pk=photo.run_id).first()
    if run is None or len(run.errors) >= MAX_RUN_NOTES:
        return
    run.errors = [
        *run.errors,
        {
            "line": photo.line,
            "field": "photos",
            "message": f"photo {photo.position} ({photo.url[:200]}) not kept: {photo.error}",
            "level": "warning",
        },
    ]
    run.save(update_fields=["errors"])
