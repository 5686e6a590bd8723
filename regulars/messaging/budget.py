"""The contact budget: quiet hours in the customer's time zone and the marketing frequency cap.

A message held back is deferred to the next allowed moment, never dropped. The cap is one
`ContactBudget` row per customer, spent by a conditional UPDATE so that two workers cannot
both send marketing to the same customer inside one cap window.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from regulars.messaging.models import Channel, ContactBudget, MessagingSettings

# Channels whose marketing waits for the customer's daytime by default; e-mail only when the
# store asks (MessagingSettings.quiet_hours_for_email).
QUIET_BY_DEFAULT = (Channel.SMS, Channel.WHATSAPP, Channel.PUSH)


def customer_zone(customer, store) -> ZoneInfo:
    for name in (customer.timezone, store.timezone):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def quiet_hours_apply(channel: str, rules: MessagingSettings) -> bool:
    return channel in QUIET_BY_DEFAULT or (channel == Channel.EMAIL and rules.quiet_hours_for_email)


def _is_quiet(local: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start > end:  # over midnight, e.g. 21:00-08:00
        return local >= start or local < end
    return start <= local < end


def quiet_until(now: datetime, zone: ZoneInfo, rules: MessagingSettings) -> datetime | None:
    """The end of the quiet hours `now` falls in (aware, UTC), or None outside them."""
    local = now.astimezone(zone)
    start, end = _as_time(rules.quiet_start), _as_time(rules.quiet_end)
    if not _is_quiet(local.time(), start, end):
        return None
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    # combine() then a round trip through UTC gives the real instant even across a DST change.
    wake = datetime.combine(day, end, tzinfo=zone)
    return wake.astimezone(ZoneInfo("UTC"))


def _as_time(value) -> time:
    if isinstance(value, str):
        return time.fromisoformat(value)
    return value


def cap_window(rules: MessagingSettings) -> timedelta:
    return timedelta(hours=rules.frequency_cap_hours)


@dataclass(frozen=True)
class Spend:
    """The outcome of asking for a customer's marketing slot."""

    granted: bool
    # Granted: what the slot was before (to give it back if the message is not sent).
    previous: datetime | None = None
    # Refused: when the next slot opens.
    next_slot: datetime | None = None


def try_spend(customer_id: int, now: datetime, window: timedelta) -> Spend:
    """Spend the customer's marketing slot at `now` if the cap allows it.

    Optimistic: the UPDATE only succeeds if the slot is still what was read, so of two
    workers racing for one customer exactly one wins; the other is told to wait.
    """
    rows = ContactBudget.objects.filter(customer_id=customer_id)
    found = rows.values_list("last_marketing_at", flat=True).first()
    if found is None and not rows.exists():
        ContactBudget.objects.bulk_create(
            [ContactBudget(customer_id=customer_id)], ignore_conflicts=True
        )
    if found is not None and found > now - window:
        return Spend(False, next_slot=found + window)
    claimed = (
        rows.filter(last_marketing_at__isnull=True)
        if found is None
        else rows.filter(last_marketing_at=found)
    ).update(last_marketing_at=now)
    if claimed:
        return Spend(True, previous=found)
    latest = rows.values_list("last_marketing_at", flat=True).first()
    return Spend(False, next_slot=(latest or now) + window)


def give_back(customer_id: int, spend: Spend, spent_at: datetime) -> None:
    """Undo a spend whose message was not sent, unless a later spend replaced it."""
    ContactBudget.objects.filter(customer_id=customer_id, last_marketing_at=spent_at).update(
        last_marketing_at=spend.previous
    )
