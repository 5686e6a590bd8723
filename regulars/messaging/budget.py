"""The contact budget: quiet hours in the customer's time zone and the marketing frequency cap.

A message held back is deferred to the next allowed moment, never dropped. The cap is one
`ContactBudget` row per customer, spent by a conditional UPDATE so that two workers cannot
both send marketing to the same customer inside one cap window.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection

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


def load(customer_ids: list[int]) -> dict[int, datetime | None]:
    """The budgets of a batch's customers, read at once; the missing rows are created."""
    if not customer_ids:
        return {}
    known = dict(
        ContactBudget.objects.filter(customer_id__in=customer_ids).values_list(
            "customer_id", "last_marketing_at"
        )
    )
    missing = [pk for pk in dict.fromkeys(customer_ids) if pk not in known]
    ContactBudget.objects.bulk_create(
        [ContactBudget(customer_id=pk) for pk in missing], ignore_conflicts=True
    )
    return known | dict.fromkeys(missing)


def try_spend(
    customer_id: int,
    now: datetime,
    window: timedelta,
    *,
    known: dict[int, datetime | None] | None = None,
) -> Spend:
    """Spend the customer's marketing slot at `now` if the cap allows it.

    Optimistic: the UPDATE only succeeds if the slot is still what was read (here or in
    `known`, from `load`), so of two workers racing for one customer exactly one wins; the
    other is told to wait.
    """
    rows = ContactBudget.objects.filter(customer_id=customer_id)
    if known is not None and customer_id in known:
        found = known[customer_id]
    else:
        found = load([customer_id])[customer_id]
    if found is not None and found > now - window:
        return Spend(False, next_slot=found + window)
    claimed = (
        rows.filter(last_marketing_at__isnull=True)
        if found is None
        else rows.filter(last_marketing_at=found)
    ).update(last_marketing_at=now)
    if claimed:
        if known is not None:
            known[customer_id] = now
        return Spend(True, previous=found)
    latest = rows.values_list("last_marketing_at", flat=True).first()
    if known is not None:
        known[customer_id] = latest
    return Spend(False, next_slot=(latest or now) + window)


def spend_many(
    customer_ids: list[int], now: datetime, window: timedelta, known: dict[int, datetime | None]
) -> dict[int, datetime | None]:
    """Spend the slots of several customers at `now` in one statement (a batch of marketing).

    The customers whose slot was free and is now spent map to what their slot was before
    (to give it back); `known` (from `load`) is brought up to date for every one of them.
    Conditional like `try_spend`: a slot another worker took meanwhile is not spent twice.
    """
    cutoff = now - window
    free = [pk for pk in customer_ids if known.get(pk) is None or known[pk] <= cutoff]
    if not free:
        return {}
    table = connection.ops.quote_name(ContactBudget._meta.db_table)
    marks = ", ".join(["%s"] * len(free))
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"UPDATE {table} SET last_marketing_at = %s WHERE customer_id IN ({marks})"  # noqa: S608
        " AND (last_marketing_at IS NULL OR last_marketing_at <= %s) RETURNING customer_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(now), *free, adapt(cutoff)])
        spent = {row[0] for row in cursor.fetchall()}
    granted = {pk: known.get(pk) for pk in spent}
    lost = [pk for pk in free if pk not in spent]
    if lost:  # taken by another worker between `load` and now
        known.update(
            ContactBudget.objects.filter(customer_id__in=lost).values_list(
                "customer_id", "last_marketing_at"
            )
        )
    known.update(dict.fromkeys(spent, now))
    return granted


def give_back(customer_id: int, spend: Spend, spent_at: datetime) -> None:
    """Undo a spend whose message was not sent, unless a later spend replaced it."""
    ContactBudget.objects.filter(customer_id=customer_id, last_marketing_at=spent_at).update(
        last_marketing_at=spend.previous
    )
