"""Money and times as text for messages: what a customer reads, not what a program parses."""

import zoneinfo
from datetime import datetime
from decimal import Decimal

from regulars.core.money import minor_units


def format_money(amount, currency: str) -> str:
    """Money as text, e.g. "1,234.50 USD": in the currency's minor unit, grouped by thousands."""
    if amount is None or amount == "":
        return ""
    places = minor_units(currency) if currency else 2
    return f"{Decimal(amount):,.{places}f} {currency}".strip()


def local_time(moment: datetime | None, zone: str) -> str:
    """A moment as text in the IANA `zone` (UTC when unknown), e.g. "2026-03-01 05:00 EST"."""
    if moment is None:
        return ""
    try:
        tz = zoneinfo.ZoneInfo(zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    local = moment.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
