"""Time-based triggers, evaluated by the journeys tick in set-based queries.

Each evaluation looks at what became true since the journey's `evaluated_until`: today's
anniversaries and birthdays (in the store's time zone), customers whose P(alive) fell below
the threshold, champions who were not champions before, carts left behind. Every customer is
enrolled by one INSERT ... SELECT per journey (enroll.py), whatever the store's size.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from regulars.commerce.models import Cart, Customer, Order, OrderStatus
from regulars.core.timeutil import zoneinfo_or_utc
from regulars.insights.models import InsightsSettings
from regulars.journeys.enroll import NO_ID, enroll_customers, enroll_rows
from regulars.journeys.models import EnrollmentStatus, Journey, Trigger

# Carts older than this are not chased when a journey is switched on: the moment has passed.
CART_LOOKBACK = timedelta(days=3)
# Daily triggers (anniversary, birthday, scores) are looked at this often; carts every tick.
DAILY_EVERY = timedelta(hours=1)


def evaluate(journey: Journey, now: datetime) -> int:
    """Enroll whoever the journey's time-based trigger caught since its last evaluation;
    the number enrolled. Event triggers return 0 (handlers.py enrolls those)."""
    evaluate_trigger = _EVALUATORS.get(journey.trigger)
    if evaluate_trigger is None:
        return 0
    last = journey.evaluated_until
    if journey.trigger != Trigger.CART_ABANDONED and last is not None and now - last < DAILY_EVERY:
        return 0
    enrolled = evaluate_trigger(journey, last, now)
    Journey.objects.filter(pk=journey.pk).update(evaluated_until=now)
    journey.evaluated_until = now
    return enrolled


def _customers(journey: Journey):
    return Customer.objects.filter(store_id=journey.store_id)


def _local_days(journey: Journey, last: datetime | None, now: datetime) -> list[date]:
    """The store's local dates from the day after the last evaluation to today (today alone
    the first time: switching a journey on does not celebrate last month's birthdays)."""
    zone = zoneinfo_or_utc(journey.store.timezone)
    today = now.astimezone(zone).date()
    first = today if last is None else last.astimezone(zone).date() + timedelta(days=1)
    first = max(first, today - timedelta(days=7))  # a week of downtime at most is caught up
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def _month_day_q(field: str, day: date) -> Q:
    q = Q(**{f"{field}__month": day.month, f"{field}__day": day.day})
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        q |= Q(**{f"{field}__month": 2, f"{field}__day": 29})  # 29 February, in other years
    return q


def _anniversary(journey: Journey, last, now) -> int:
    enrolled = 0
    with timezone.override(zoneinfo_or_utc(journey.store.timezone)):
        for day in _local_days(journey, last, now):
            customers = _customers(journey).filter(
                _month_day_q("first_order_at", day), first_order_at__year__lt=day.year
            )
            enrolled += enroll_customers(
                journey, customers, occurrence_suffix=f":{day.year}", now=now
            )
    return enrolled


def _birthday(journey: Journey, last, now) -> int:
    enrolled = 0
    for day in _local_days(journey, last, now):
        customers = _customers(journey).filter(_month_day_q("birthday", day))
        enrolled += enroll_customers(journey, customers, occurrence_suffix=f":{day.year}", now=now)
    return enrolled


def _drifting(journey: Journey, now: datetime) -> Q:
    """Customers the win-back is for: settings["when"] is churn_risk (P(alive) below the
    threshold), expected_order_missed (past the expected next order) or days (no order for
    lapsed_days); never those gone longer than max_days_since_last_order."""
    settings = journey.settings
    when = settings.get("when") or ("lapsed" if journey.trigger == Trigger.LAPSED else "churn_risk")
    if when == "days":
        q = Q(last_order_at__lt=now - timedelta(days=float(settings.get("lapsed_days") or 90)))
    elif when in ("lapsed", "expected_order_missed"):
        q = Q(score__expected_next_order_at__lt=now)
    else:
        threshold = settings.get("threshold")
        if threshold is None:
            found = InsightsSettings.objects.filter(store_id=journey.store_id).first()
            threshold = found.churn_threshold if found else InsightsSettings().churn_threshold
        q = Q(score__p_alive__lt=float(threshold))
    max_days = settings.get("max_days_since_last_order")
    if max_days:
        q &= Q(last_order_at__gte=now - timedelta(days=float(max_days)))
    return q & Q(orders_count__gte=1)


def _winback(journey: Journey, last, now) -> int:
    # One enrollment per customer and number of orders: a customer who comes back and then
    # drifts again is won back again.
    customers = _customers(journey).filter(_drifting(journey, now))
    return enroll_customers(
        journey, customers, occurrence_suffix=":", now=now, with_orders_count=True
    )


def _segment(journey: Journey, last, now) -> int:
    segment = journey.settings.get("segment") or "champions"
    customers = _customers(journey).filter(score__segment=segment)
    if last is None:
        # Switched on just now: those already in the segment did not enter it; they are
        # recorded as skipped so that only newcomers get the surprise.
        return enroll_customers(
            journey,
            customers,
            occurrence_suffix="",
            now=now,
            status=EnrollmentStatus.SKIPPED,
            reason="already in the segment when the journey was switched on",
        )
    return enroll_customers(journey, customers, occurrence_suffix="", now=now)


def _carts(journey: Journey, last, now) -> int:
    minutes = float(journey.settings.get("abandoned_minutes") or 60)
    left_before = now - timedelta(minutes=minutes)
    ordered_since = Order.objects.filter(
        customer_id=OuterRef("customer_id"), placed_at__gte=OuterRef("updated_at")
    ).exclude(status=OrderStatus.CANCELLED)
    carts = (
        Cart.objects.filter(
            store_id=journey.store_id,
            customer__isnull=False,
            recovered_order__isnull=True,
            updated_at__lte=left_before,
            # Carts left after the journey was switched on, and not long ago (after downtime).
            updated_at__gt=max(
                now - CART_LOOKBACK, _switched_on(journey, now) - (now - left_before)
            ),
        )
        .exclude(Exists(ordered_since))
        .order_by()
        .values("pk")
    )
    ids_sql, ids_params = carts.query.sql_with_params()
    # Names from our models, the subquery compiled by the ORM.
    select = (
        f"SELECT k.store_id, %s, k.customer_id, 'k' || k.id, {NO_ID}, {NO_ID}, k.id "  # noqa: S608
        f"FROM {Cart._meta.db_table} k WHERE k.id IN ({ids_sql})"
    )
    return enroll_rows(journey, select, [journey.pk, *ids_params], now=now)


def _switched_on(journey: Journey, now: datetime) -> datetime:
    return journey.enabled_at or now


_EVALUATORS = {
    Trigger.FIRST_ORDER_ANNIVERSARY: _anniversary,
    Trigger.BIRTHDAY: _birthday,
    Trigger.CHURN_RISK: _winback,
    Trigger.LAPSED: _winback,
    Trigger.SEGMENT_ENTERED: _segment,
    Trigger.CART_ABANDONED: _carts,
}
