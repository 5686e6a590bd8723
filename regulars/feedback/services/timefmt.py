"""Times in the feedback JSON (webhook, public widget, exports): ISO 8601 in UTC with "Z"."""

from datetime import datetime


def iso_utc(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
