"""The shared validators (core.money, core.timeutil, commerce.schemas), remembered per value.

An export repeats the same e-mail, price and currency thousands of times; checking each copy
again would cost more than writing the rows. Every check is still the shared validator's: a
value is only looked up in a table of values that already passed it. The tables are bounded
so that memory stays flat however large the file is.

Values come out as the database takes them (see records.py): amounts as Decimal (turned into
text by the format), times as UTC text in the database's own format.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from regulars.commerce.schemas import (
    AMOUNT_LIMIT,
    check_computed_amount,
    check_plausible_time,
    clean_email,
    clean_phone,
)
from regulars.core.money import MoneyError, check_currency, parse_amount
from regulars.core.timeutil import TimeError, parse_aware

MAX_REMEMBERED = 250_000  # values per table; cleared when full, so memory stays flat
_fromisoformat = datetime.fromisoformat
_ZERO = Decimal(0)


class ValueProblem(ValueError):
    """A value that the shared validator refused; the message says why."""


class Values:
    def __init__(self, timezone_name: str, time_text: Callable[[datetime], str]):
        # Times without an offset are read in the store's zone, as every ingestion path does.
        self.timezone_name = timezone_name
        self.time_text = time_text
        self._amounts: dict[tuple[str, str], Decimal] = {}
        self._emails: dict[str, str] = {}
        self._phones: dict[str, str] = {}
        self._currencies: dict[str, str] = {}
        self._coupons: dict[str, str] = {}

    def money(self, text: str, currency: str) -> Decimal:
        key = (text, currency)
        found = self._amounts.get(key)
        if found is None:
            try:
                found = parse_amount(text, currency)
            except MoneyError as exc:
                raise ValueProblem(str(exc)) from exc
            if found > AMOUNT_LIMIT:
                raise ValueProblem(f"{text!r} is more than the largest amount kept")
            remember(self._amounts, key, found)
        return found

    def moment(self, text: str) -> datetime:
        try:
            return check_plausible_time(parse_aware(text, default_tz=self.timezone_name))
        except (TimeError, ValueError, OverflowError) as exc:
            raise ValueProblem(str(exc)) from exc

    def quick_time(self, cell: str) -> str:
        """A time cell as database text, `moment`'s answer by a shorter way for the usual
        ISO 8601 text with an offset (parse_aware tries fromisoformat first too)."""
        text = cell.strip()
        if " UTC" not in text:
            try:
                moment = _fromisoformat(text)
            except ValueError:
                moment = None
            if moment is not None and moment.tzinfo is not None:
                moment = moment.astimezone(UTC)
                if 1900 <= moment.year <= 2200:
                    return self.time_text(moment)
        return self.time_text(self.moment(text))

    def time(self, text: str) -> str | None:
        """An optional time as database text (None when empty)."""
        return self.time_text(self.moment(text)) if text else None

    def currency(self, text: str) -> str:
        found = self._currencies.get(text)
        if found is None:
            try:
                found = check_currency(text)
            except MoneyError as exc:
                raise ValueProblem(str(exc)) from exc
            remember(self._currencies, text, found)
        return found

    def email(self, text: str) -> str:
        return self._cleaned(self._emails, clean_email, text)

    def phone(self, text: str) -> str:
        return self._cleaned(self._phones, clean_phone, text)

    def coupons(self, text: str, separator: str) -> str | None:
        """Coupon codes as JSON text: at most 20, each at most 100 characters (None if empty)."""
        if not text.strip():
            return None
        found = self._coupons.get(text)
        if found is None:
            codes = [code.strip() for code in text.split(separator) if code.strip()]
            if len(codes) > 20:
                raise ValueProblem(f"has {len(codes)} codes; at most 20 fit")
            for code in codes:
                if len(code) > 100:
                    raise ValueProblem(f"{code[:20]!r}… is longer than 100 characters")
            found = json.dumps(codes)
            remember(self._coupons, text, found)
        return found

    @staticmethod
    def _cleaned(table: dict, clean, text: str) -> str:
        if not text:
            return ""
        found = table.get(text)
        if found is None:
            try:
                found = clean(text)
            except ValueError as exc:
                raise ValueProblem(str(exc)) from exc
            remember(table, text, found)
        return found


def quantity(text: str) -> int:
    """A line quantity: a whole number from 0 to 1,000,000 (as the JSON API's OrderLineIn)."""
    if not text:
        return 1
    try:
        value = int(text)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 1_000_000:
        raise ValueProblem(f"{text!r} is not between 0 and 1,000,000")
    return value


def line_total(price: Decimal, qty: int, discount: Decimal = _ZERO) -> Decimal:
    """Quantity times unit price (less a discount, never below zero), within what the database keeps."""
    total = price * qty - discount
    try:
        check_computed_amount(total, "quantity × unit price")
    except ValueError as exc:
        raise ValueProblem(str(exc)) from exc
    return total if total > 0 else _ZERO


def bounded(text: str, limit: int) -> str:
    if len(text) > limit:
        raise ValueProblem(f"is {len(text)} characters long; at most {limit} fit")
    return text


def time_value(text: str | None) -> datetime | None:
    """A time from its database text back to an aware datetime (for comparisons)."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def remember(table: dict, key, value):
    if len(table) >= MAX_REMEMBERED:
        table.clear()
    table[key] = value
    return value
