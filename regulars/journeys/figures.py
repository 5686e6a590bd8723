"""What each journey of a store did: entered, sent, delivered, clicked, converted, revenue,
unsubscribes and coupons redeemed, for all of a store's journeys in a fixed handful of
GROUP BY queries (one per source table), whatever the number of customers or messages.

`since` bounds each figure by its own moment: enrollments by `entered_at`, messages by
`sent_at` / `delivered_at` / `first_clicked_at`, conversions by the order's time, unsubscribes
by the consent change, coupons by `redeemed_at`. `active` is always "now".

A journey's messages are the store's messages whose `source` is "journey:<key>" (every send
step queues them so); its coupons likewise carry `source` "journey:<key>".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from regulars.commerce.models import Consent, ConsentChange, OrderStatus
from regulars.journeys import library
from regulars.journeys.attribution import attribution_days
from regulars.journeys.models import Conversion, Enrollment, EnrollmentStatus, Journey
from regulars.messaging.models import Channel, Message, Purpose
from regulars.promotions.models import Coupon, CouponStatus

SOURCE_PREFIX = "journey:"
# The consent channels an unsubscribe is counted on (a journey speaks on these two).
UNSUBSCRIBE_CHANNELS = (Channel.EMAIL, Channel.SMS)
# An order cancelled or refunded after it was attributed brought no revenue.
_LOST = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


@dataclass(frozen=True)
class Figures:
    entered: int = 0
    active: int = 0
    sent: int = 0
    delivered: int = 0
    clicked: int = 0
    converted: int = 0
    # Orders in the store's currency only (as insights counts revenue); `converted` counts all.
    revenue: Decimal = Decimal(0)
    currency: str = ""
    unsubscribes: int = 0
    coupons_issued: int = 0
    coupons_redeemed: int = 0


def journey_figures(store, *, since: datetime | None = None) -> dict[str, Figures]:
    """The figures of every journey of `store` (and of built-in ones it does not have yet,
    all zero), by journey key."""
    keys_by_id = dict(Journey.objects.filter(store=store).values_list("pk", "key"))
    counts: dict[str, dict] = defaultdict(dict)
    for by_journey in (_enrollments(store, since), _conversions(store, since)):
        for journey_id, values in by_journey.items():
            counts[keys_by_id.get(journey_id, "")].update(values)
    for by_source in (_messages(store, since), _unsubscribes(store, since), _coupons(store, since)):
        for source, values in by_source.items():
            counts[source.removeprefix(SOURCE_PREFIX)].update(values)
    keys = dict.fromkeys([*keys_by_id.values(), *library.LIBRARY])
    return {key: Figures(currency=store.currency, **counts.get(key, {})) for key in keys}


def _since(field: str, since: datetime | None) -> Q:
    return Q(**{f"{field}__gte": since}) if since else Q(**{f"{field}__isnull": False})


def _enrollments(store, since) -> dict[int, dict]:
    entered = ~Q(status=EnrollmentStatus.SKIPPED) & _since("entered_at", since)
    rows = (
        Enrollment.objects.filter(store=store)
        .values("journey_id")
        .annotate(
            entered=Count("pk", filter=entered),
            active=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE)),
        )
        .order_by()
    )
    return {row.pop("journey_id"): row for row in rows}


def _messages(store, since) -> dict[str, dict]:
    rows = (
        Message.objects.filter(store=store, source__startswith=SOURCE_PREFIX)
        .values("source")
        .annotate(
            sent=Count("pk", filter=_since("sent_at", since)),
            delivered=Count("pk", filter=_since("delivered_at", since)),
            clicked=Count("pk", filter=_since("first_clicked_at", since)),
        )
        .order_by()
    )
    return {row.pop("source"): row for row in rows}


def _conversions(store, since) -> dict[int, dict]:
    rows = (
        Conversion.objects.filter(store=store)
        .filter(_since("at", since))
        .exclude(order__status__in=_LOST)
        .values("journey_id")
        .annotate(
            converted=Count("pk"),
            revenue=Sum("revenue", filter=Q(currency=store.currency), default=Decimal(0)),
        )
        .order_by()
    )
    return {row.pop("journey_id"): row for row in rows}


def _unsubscribes(store, since) -> dict[str, dict]:
    """Customers who unsubscribed from a channel within the attribution window after a
    marketing message of a journey was sent to them on that channel; each unsubscribe counts
    for the journey whose message came last before it, each customer once per journey."""
    window = timedelta(days=attribution_days(store.pk))
    last_journey_message = (
        Message.objects.filter(
            store=store,
            customer_id=OuterRef("customer_id"),
            channel=OuterRef("channel"),
            purpose=Purpose.MARKETING,
            source__startswith=SOURCE_PREFIX,
            sent_at__lte=OuterRef("at"),
            sent_at__gte=OuterRef("at") - window,
        )
        .order_by("-sent_at", "-pk")
        .values("source")[:1]
    )
    rows = (
        ConsentChange.objects.filter(
            store=store, state=Consent.UNSUBSCRIBED, channel__in=UNSUBSCRIBE_CHANNELS
        )
        .exclude(previous=Consent.UNSUBSCRIBED)
        .filter(_since("at", since))
        .annotate(journey_source=Subquery(last_journey_message))
        .filter(journey_source__isnull=False)
        .values("journey_source")
        .annotate(unsubscribes=Count("customer_id", distinct=True))
        .order_by()
    )
    return {row.pop("journey_source"): row for row in rows}


def _coupons(store, since) -> dict[str, dict]:
    rows = (
        Coupon.objects.filter(store=store, source__startswith=SOURCE_PREFIX)
        .values("source")
        .annotate(
            coupons_issued=Count("pk", filter=_since("issued_at", since)),
            coupons_redeemed=Count(
                "pk", filter=Q(status=CouponStatus.REDEEMED) & _since("redeemed_at", since)
            ),
        )
        .order_by()
    )
    return {row.pop("source"): row for row in rows}
