"""Coupon values as text for customers: "15%", "10.00 USD", a date in the customer's zone.

Messaging formats money the same way (messaging/rendering/formatting.py); promotions sits below
messaging and cannot import it, so it keeps these few lines of its own.
"""

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from regulars.core.money import minor_units


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The IANA zone `name`, UTC when empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def format_money(amount: Decimal, currency: str) -> str:
    """e.g. "1,234.50 USD": the currency's minor unit, thousands grouped."""
    return f"{Decimal(amount):,.{minor_units(currency)}f} {currency}"


def format_percent(value: Decimal) -> str:
    """e.g. "15%", "12.5%": no trailing zeros."""
    text = f"{Decimal(value).normalize():f}"
    return f"{text}%"


def last_day(expires_at: datetime | None, zone_name: str | None) -> str:
    """The last day a coupon can be used, as YYYY-MM-DD in the zone: `expires_at` is the first
    moment it no longer can (the end of that day, for coupons valid for a number of days)."""
    if expires_at is None:
        return ""
    local = (expires_at - timedelta(microseconds=1)).astimezone(zone(zone_name))
    return local.date().isoformat()
