"""The survey responses CSV: its columns (with the names other tools give them) and each row
checked into a ResponseRecord, or the RowError that says which column is wrong and why.

docs/insights.md ("NPS and CSAT") describes the format for merchants.
"""

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from regulars.commerce.imports import ImportFileError, RowError
from regulars.commerce.imports.values import remember
from regulars.commerce.schemas import check_plausible_time, clean_email
from regulars.core.timeutil import TimeError, parse_aware
from regulars.insights.models import SCORE_RANGE, SurveyKind

# Each field and the header names read as it (compared after `normalize_title`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e_mail", "email_address", "customer_email", "respondent_email"),
    "customer_id": ("customer_id", "customerid", "customer_external_id", "external_customer_id"),
    "date": (
        "date",
        "answered_at",
        "submitted_at",
        "responded_at",
        "response_date",
        "created_at",
        "timestamp",
    ),
    "score": ("score", "rating", "nps", "csat", "nps_score", "csat_score"),
    "comment": ("comment", "comments", "feedback", "reason", "verbatim"),
    "channel": ("channel", "medium"),
    "order_id": ("order_id", "order_external_id"),
}
_FIELD_OF = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}

MAX_COMMENT = 10_000
MAX_CHANNEL = 20  # SurveyResponse.channel
MAX_ID = 64  # Customer.external_id, Order.external_id
# An answer time later than this after the import is refused: a survey cannot be answered in
# the future, and a day covers any clock or time zone mix-up of the tool that exported it.
FUTURE_SLACK = timedelta(days=1)

_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class ResponseRecord(NamedTuple):
    line: int
    customer_id: str  # the customer's external id in the store, or ""
    email: str  # lower-cased, or ""
    order_id: str  # the order's external id in the store, or ""
    answered_at: datetime  # aware, UTC
    score: int
    comment: str
    channel: str
    external_id: str  # what makes the import idempotent (see `response_key`)


def normalize_title(title: str) -> str:
    """'E-mail ' and 'Customer ID' read as 'e_mail' and 'customer_id'."""
    return _NOT_WORD.sub("_", title.strip().lower()).strip("_")


def response_key(kind: str, who: str, answered_at: datetime, score: int, comment: str) -> str:
    """The response's external id: a SHA-256 of what it says, so the same row imported again
    (from the same file or a later export that repeats it) is recognised. `who` is the
    customer id when the row has one, else the e-mail, so that the key does not depend on
    whether the customer is known to the store yet."""
    text = "\x1f".join((kind, who, answered_at.astimezone(UTC).isoformat(), str(score), comment))
    return hashlib.sha256(text.encode()).hexdigest()


class ResponsesFormat:
    """The header of one file mapped to fields; `read` turns a row into a ResponseRecord."""

    def __init__(self, header: list[str], *, kind: str, timezone_name: str, file_name: str):
        self.kind = SurveyKind(kind)
        self.low, self.high = SCORE_RANGE[self.kind]
        self.timezone_name = timezone_name
        self.width = len(header)
        self.header = header
        self.positions = _positions(header, file_name)
        self.latest = datetime.now(UTC) + FUTURE_SLACK
        self._emails: dict[str, str] = {}

    def title(self, name: str) -> str:
        """The file's own title of a field's column, for messages."""
        position = self.positions.get(name)
        return self.header[position] if position is not None else name

    def read(self, line: int, row: list[str]) -> ResponseRecord | RowError:
        if len(row) < self.width:
            missing = self.header[len(row)]
            return RowError(line, missing, f"has {len(row)} columns; the header has {self.width}")
        if len(row) > self.width and any(cell.strip() for cell in row[self.width :]):
            return RowError(line, "", f"has {len(row)} columns; the header has {self.width}")
        cells = {name: row[position].strip() for name, position in self.positions.items()}
        try:
            return self._record(line, cells)
        except _Refused as refused:
            return RowError(line, self.title(refused.field), refused.message)

    def _record(self, line: int, cells: dict[str, str]) -> ResponseRecord:
        customer_id = _bounded(cells.get("customer_id", ""), MAX_ID, "customer_id")
        email = self._email(cells.get("email", ""))
        if not customer_id and not email:
            field = "email" if "email" in self.positions else "customer_id"
            raise _Refused(field, "is empty; each row needs an e-mail or a customer id")
        answered_at = self._moment(cells["date"])
        score = self._score(cells["score"])
        comment = _bounded(cells.get("comment", ""), MAX_COMMENT, "comment")
        channel = _bounded(cells.get("channel", "").lower(), MAX_CHANNEL, "channel")
        order_id = _bounded(cells.get("order_id", ""), MAX_ID, "order_id")
        who = f"id:{customer_id}" if customer_id else f"email:{email}"
        key = response_key(self.kind, who, answered_at, score, comment)
        return ResponseRecord(
            line, customer_id, email, order_id, answered_at, score, comment, channel, key
        )

    def _email(self, text: str) -> str:
        # The same people answer again and again: each address is checked once.
        found = self._emails.get(text)
        if found is None:
            try:
                found = clean_email(text)
            except ValueError as exc:
                raise _Refused("email", str(exc)) from None
            remember(self._emails, text, found)
        return found

    def _moment(self, text: str) -> datetime:
        if not text:
            raise _Refused("date", "is empty; give the date (and time) of the answer")
        try:
            # A date without a time is midnight in the store's zone, as everywhere in Regulars.
            moment = check_plausible_time(parse_aware(text, default_tz=self.timezone_name))
        except (TimeError, ValueError, OverflowError) as exc:
            raise _Refused("date", str(exc)) from None
        if moment > self.latest:
            raise _Refused("date", f"{text!r} is in the future")
        return moment

    def _score(self, text: str) -> int:
        if not text:
            raise _Refused("score", "is empty")
        if not _WHOLE.fullmatch(text):
            raise _Refused("score", f"{text!r} is not a whole number")
        score = int(float(text))
        if not self.low <= score <= self.high:
            raise _Refused(
                "score",
                f"{text!r} is outside the {self.kind.value.upper()} scale {self.low}–{self.high}",
            )
        return score


class _Refused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _bounded(text: str, limit: int, field: str) -> str:
    if len(text) > limit:
        raise _Refused(field, f"is {len(text):,} characters long; at most {limit:,} fit")
    return text


def _positions(header: list[str], file_name: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        name = _FIELD_OF.get(normalize_title(title))
        if name is None:
            continue  # other columns are left alone, so a tool's full export can be given as is
        if name in positions:
            first = header[positions[name]]
            raise ImportFileError(
                file_name,
                f"the columns {first!r} and {title!r} both give the {name}; keep only one",
            )
        positions[name] = index
    missing = [name for name in ("date", "score") if name not in positions]
    if "email" not in positions and "customer_id" not in positions:
        missing.insert(0, "email or customer_id")
    if missing:
        raise ImportFileError(
            file_name,
            f"is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            " of a survey responses CSV (see docs/insights.md)",
        )
    return positions
