"""Times are aware datetimes in UTC in the database, shown in the store's or customer's zone."""

import zoneinfo
from datetime import UTC, date, datetime

from django.utils.dateparse import parse_date, parse_datetime


class TimeError(ValueError):
    pass


def check_timezone(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise TimeError(f"{name!r} is not a time zone name")
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise TimeError(f"{name!r} is not an IANA time zone (such as Europe/Paris)") from exc
    return name


def zoneinfo_or_utc(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone named (a customer's or store's), UTC when the name is empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def parse_aware(value: object, *, default_tz: str = "UTC") -> datetime:
    """An aware UTC datetime from ISO 8601 text or a datetime; naive values are in default_tz."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace(" UTC", "+00:00")
        try:
            moment = parse_datetime(text)
        except ValueError as exc:
            raise TimeError(f"{value!r} is not a valid date and time") from exc
        if moment is None:
            day = _parse_day(text)
            if day is None:
                raise TimeError(f"{value!r} is not an ISO 8601 date and time")
            moment = datetime(day.year, day.month, day.day)
    else:
        raise TimeError(f"{value!r} is not a date and time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(default_tz))
    return moment.astimezone(UTC)


def _parse_day(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def check_birthday(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        day = _parse_day(str(value).strip()) if value else None
    if day is None:
        raise TimeError(f"{value!r} is not a date (YYYY-MM-DD)")
    if day.year < 1900 or day > date.today():
        raise TimeError(f"{value!r} is not a plausible birthday")
    return day
