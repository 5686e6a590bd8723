"""Helpers shared by the upsert services."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class UpsertResult:
    """What an upsert did: `created`, `updated`, or neither (`stale` or unchanged)."""

    obj: Any
    created: bool = False
    updated: bool = False
    stale: bool = False

    @property
    def outcome(self) -> str:
        if self.created:
            return "created"
        if self.updated:
            return "updated"
        return "stale" if self.stale else "unchanged"


def aware(moment: datetime | None, store) -> datetime | None:
    """UTC datetime; a naive one is read in the store's time zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(store.timezone))
    return moment.astimezone(UTC)


def is_stale(existing_updated_at: datetime | None, incoming_updated_at: datetime | None) -> bool:
    """True when the incoming copy is older than the kept one (deliveries arrive out of order)."""
    return (
        existing_updated_at is not None
        and incoming_updated_at is not None
        and incoming_updated_at < existing_updated_at
    )


def apply_fields(obj, values: dict) -> list[str]:
    """Set changed attributes on `obj`; return the names that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
