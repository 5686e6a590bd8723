"""The review CSV formats `regulars import reviews` reads: Judge.me's export, Yotpo's export, and
the generic CSV (docs/feedback.md, "Importing reviews"). Each row is checked into a
ReviewRecord, or the RowError naming its line, column and reason.

Headers are compared after `normalize_title` ("Review Score" reads as review_score), and
columns the format does not use are left alone, so a full export can be given as it is.
"""

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from regulars.commerce.imports import ImportFileError, RowError
from regulars.commerce.imports.values import remember
from regulars.commerce.schemas import check_plausible_time, clean_email
from regulars.core.timeutil import TimeError, parse_aware
from regulars.feedback.models import ReviewStatus
from regulars.feedback.services.reviews import MAX_BODY, MAX_REPLY, MAX_TITLE

MAX_NAME = 120  # Review.author_name
MAX_ID = 64  # Review.external_id, Product.external_id
FUTURE_SLACK = timedelta(days=1)

_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_HANDLE = re.compile(r"/products/([^/?#]+)")

# Each format: field -> the header names read as it.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "judgeme": {
        "title": ("title",),
        "body": ("body",),
        "rating": ("rating",),
        "written_at": ("review_date",),
        "curated": ("curated",),
        "author_name": ("reviewer_name",),
        "author_email": ("reviewer_email",),
        "product_id": ("product_id",),
        "product_handle": ("product_handle",),
        "reply": ("reply",),
        "replied_at": ("reply_date",),
        "photos": ("picture_urls",),
    },
    "yotpo": {
        "external_id": ("review_id",),
        "title": ("review_title",),
        "body": ("review_content",),
        "rating": ("review_score",),
        "written_at": ("date", "created_at"),
        "published": ("published",),
        "author_name": ("display_name", "user_name"),
        "author_email": ("email", "user_email"),
        "product_id": ("product_id",),
        "product_url": ("product_url",),
        "reply": ("comment_content",),
        "replied_at": ("comment_created_at",),
        "photos": ("published_image_url",),
    },
    "generic": {
        "external_id": ("external_id",),
        "product_id": ("product_external_id",),
        "rating": ("rating",),
        "title": ("title",),
        "body": ("body",),
        "author_name": ("author_name",),
        "author_email": ("author_email",),
        "written_at": ("written_at",),
        "reply": ("reply",),
        "replied_at": ("replied_at",),
        "status": ("status",),
    },
}
FORMAT_NAMES = {"judgeme": "Judge.me export", "yotpo": "Yotpo export", "generic": "generic"}
FORMAT_CHOICES = ("auto", *COLUMNS)
_REQUIRED = ("rating", "written_at")
_LIMITS = {
    "title": MAX_TITLE,
    "body": MAX_BODY,
    "author_name": MAX_NAME,
    "reply": MAX_REPLY,
    "external_id": MAX_ID,
    "product_id": MAX_ID,
}
# Judge.me's "curated": ok is published, spam was refused; "not-yet" (or nothing) is decided
# by our own checks. Yotpo's "published": true or false.
_CURATED = {"ok": ReviewStatus.PUBLISHED, "spam": ReviewStatus.REJECTED}
_YES = {"true", "yes", "1", "y"}
_NO = {"false", "no", "0", "n"}


class ReviewRecord(NamedTuple):
    line: int
    external_id: str  # the file's own id, else a hash of what the review says
    product_id: str  # the product's external id in the store, or ""
    product_handle: str  # its handle (the last part of /products/<handle>), or ""
    rating: int
    title: str
    body: str
    author_name: str
    author_email: str
    written_at: datetime
    reply: str
    replied_at: datetime | None
    status: str | None  # the file's moderation decision; None: our checks decide
    reason: str  # why, when the file says it was not published
    photos: tuple[str, ...]  # the row's photo addresses (http or https), in their order


def normalize_title(title: str) -> str:
    return _NOT_WORD.sub("_", title.strip().lower()).strip("_")


def detect_format(header: list[str], file_name: str) -> str:
    titles = {normalize_title(title) for title in header}
    if {"review_score", "review_content"} & titles:
        return "yotpo"
    if {"curated", "reviewer_email", "reviewer_name", "review_date"} & titles:
        return "judgeme"
    if "product_external_id" in titles:
        return "generic"
    raise ImportFileError(
        file_name,
        "is not a reviews CSV that Regulars knows: expected Judge.me's export (review_date,"
        " reviewer_email...), Yotpo's (review_score, review_content...) or the generic one"
        " (external_id, product_external_id, rating...; see docs/feedback.md)",
    )


def review_key(file_format: str, product: str, email: str, written_at: datetime, body: str) -> str:
    """The external id of a review whose file gives none: the same review exported again (in
    this file or a later one) is recognised, whatever else changed around it."""
    text = "\x1f".join((file_format, product, email, written_at.astimezone(UTC).isoformat(), body))
    return hashlib.sha256(text.encode()).hexdigest()


class ReviewsFormat:
    """One file's header mapped to fields; `read` turns a row into a ReviewRecord."""

    def __init__(self, header: list[str], *, file_format: str, timezone_name: str, file_name: str):
        if file_format == "auto":
            file_format = detect_format(header, file_name)
        self.file_format = file_format
        self.header = header
        self.width = len(header)
        self.timezone_name = timezone_name
        self.positions = _positions(header, COLUMNS[file_format], file_format, file_name)
        self.latest = datetime.now(UTC) + FUTURE_SLACK
        self._emails: dict[str, str] = {}

    def title(self, field: str) -> str:
        position = self.positions.get(field)
        return self.header[position] if position is not None else field

    def read(self, line: int, row: list[str]) -> ReviewRecord | RowError:
        if len(row) < self.width:
            return RowError(
                line, self.header[len(row)], f"has {len(row)} columns; the header has {self.width}"
            )
        if len(row) > self.width and any(cell.strip() for cell in row[self.width :]):
            return RowError(line, "", f"has {len(row)} columns; the header has {self.width}")
        cells = {field: row[position].strip() for field, position in self.positions.items()}
        try:
            return self._record(line, cells)
        except _Refused as refused:
            return RowError(line, self.title(refused.field), refused.message)

    def _record(self, line: int, cells: dict[str, str]) -> ReviewRecord:
        for field, limit in _LIMITS.items():
            text = cells.get(field, "")
            if len(text) > limit:
                raise _Refused(field, f"is {len(text):,} characters long; at most {limit:,} fit")
        product_id = cells.get("product_id", "")
        handle = cells.get("product_handle", "").lower() or handle_of(cells.get("product_url", ""))
        if not product_id and not handle:
            raise _Refused("product_id", "is empty; each review needs its product")
        rating = _rating(cells["rating"])
        written_at = self._moment(cells["written_at"], "written_at", required=True)
        email = self._email(cells.get("author_email", ""))
        body = cells.get("body", "").replace("\r\n", "\n")
        status, reason = self._status(cells)
        external_id = cells.get("external_id", "") or review_key(
            self.file_format, product_id or f"handle:{handle}", email, written_at, body
        )
        reply = cells.get("reply", "").replace("\r\n", "\n")
        replied_at = self._moment(cells.get("replied_at", ""), "replied_at") if reply else None
        return ReviewRecord(
            line=line,
            external_id=external_id,
            product_id=product_id,
            product_handle=handle,
            rating=rating,
            title=cells.get("title", ""),
            body=body,
            author_name=cells.get("author_name", ""),
            author_email=email,
            written_at=written_at,
            reply=reply,
            replied_at=replied_at or (written_at if reply else None),
            status=status,
            reason=reason,
            photos=_links(cells.get("photos", "")),
        )

    def _status(self, cells: dict[str, str]) -> tuple[str | None, str]:
        if "status" in cells:
            text = cells["status"].lower()
            if not text:
                return None, ""
            if text not in ReviewStatus.values:
                raise _Refused("status", f"{text!r} is not one of {', '.join(ReviewStatus.values)}")
            return text, "imported as " + text if text != ReviewStatus.PUBLISHED else ""
        if "curated" in cells:
            status = _CURATED.get(cells["curated"].lower())
            return status, "marked as spam in Judge.me" if status == ReviewStatus.REJECTED else ""
        if "published" in cells:
            text = cells["published"].lower()
            if text in _YES:
                return ReviewStatus.PUBLISHED, ""
            if text in _NO:
                return ReviewStatus.HIDDEN, "not published in Yotpo"
        return None, ""

    def _email(self, text: str) -> str:
        found = self._emails.get(text)
        if found is None:
            try:
                found = clean_email(text)
            except ValueError as exc:
                raise _Refused("author_email", str(exc)) from None
            remember(self._emails, text, found)
        return found

    def _moment(self, text: str, field: str, *, required: bool = False) -> datetime | None:
        if not text:
            if required:
                raise _Refused(field, "is empty; give the date (and time) the review was written")
            return None
        try:
            # A date without a time is midnight in the store's zone, as everywhere in Regulars.
            moment = check_plausible_time(parse_aware(text, default_tz=self.timezone_name))
        except (TimeError, ValueError, OverflowError) as exc:
            raise _Refused(field, str(exc)) from None
        if moment > self.latest:
            raise _Refused(field, f"{text!r} is in the future")
        return moment


class _Refused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _rating(text: str) -> int:
    if not text:
        raise _Refused("rating", "is empty; give 1 to 5 stars")
    if not _WHOLE.fullmatch(text):
        raise _Refused("rating", f"{text!r} is not a whole number of stars")
    rating = int(float(text))
    if not 1 <= rating <= 5:
        raise _Refused("rating", f"{text!r} is not from 1 to 5 stars")
    return rating


def handle_of(url: str) -> str:
    found = _HANDLE.search(url)
    return found.group(1).lower() if found else ""


def _links(text: str) -> tuple[str, ...]:
    """The photo addresses of a cell, each once, in their order."""
    parts = re.split(r"[\s,;]+", text)
    links = (part for part in parts if part.lower().startswith(("http://", "https://")))
    return tuple(dict.fromkeys(links))


def _positions(
    header: list[str], columns: dict[str, tuple[str, ...]], file_format: str, file_name: str
) -> dict[str, int]:
    field_of = {alias: field for field, aliases in columns.items() for alias in aliases}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        field = field_of.get(normalize_title(title))
        if field is None:
            continue
        if field in positions:
            first = header[positions[field]]
            raise ImportFileError(
                file_name, f"the columns {first!r} and {title!r} both give the {field}; keep one"
            )
        positions[field] = index
    missing = [columns[field][0] for field in _REQUIRED if field not in positions]
    if "product_id" not in positions and not {"product_handle", "product_url"} & set(positions):
        missing.append(columns["product_id"][0])
    if file_format == "generic" and "external_id" not in positions:
        missing.insert(0, "external_id")
    if missing:
        raise ImportFileError(
            file_name,
            f"is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} of the"
            f" {FORMAT_NAMES[file_format]} reviews CSV (see docs/feedback.md)",
        )
    return positions
