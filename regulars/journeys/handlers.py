"""Commerce's domain events, turned into enrollments, exits and attributions.

Registered in JourneysConfig.ready(). Each handler runs after the event's transaction commits
(core.events) and is cheap when the store has no journey on for that trigger: one indexed
query. New enrollments are due at once; the run that takes them is queued on commit.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from regulars.commerce import domain_events as events
from regulars.commerce.models import Fulfillment, FulfillmentStatus, Order
from regulars.core import prepared
from regulars.core.events import enqueue_once_on_commit, subscribe
from regulars.core.prepared import Prepared
from regulars.journeys import attribution, library
from regulars.journeys.enroll import enroll
from regulars.journeys.models import Enrollment, EnrollmentStatus, Journey, Trigger


def _journeys(store_id: int, trigger: str) -> list[Journey]:
    """The store's journeys on for `trigger` (asked for every event, three times per order)."""
    return list(Journey.objects.raw(*_ENABLED_JOURNEYS.bind(store_id, trigger)))


# Compiled once (see core.prepared).
_ENABLED_JOURNEYS = Prepared(
    lambda store_id, trigger: prepared.select(
        Journey.objects.filter(store_id=store_id, trigger=trigger, enabled=True)
    ),
    int,
    str,
)


def _wake() -> None:
    from regulars.journeys.tasks import run_journeys

    enqueue_once_on_commit(run_journeys)


def enroll_for(
    trigger: str, store_id: int, customer_id: int | None, *, occurrence: str, **ids
) -> int:
    """Enroll `customer_id` in the store's journeys on for `trigger`; the number enrolled.
    Later apps (feedback: survey answered, review posted) call this too."""
    if customer_id is None:
        return 0
    journeys = _journeys(store_id, trigger)
    if not journeys:
        return 0
    now = timezone.now()
    enrolled = 0
    with transaction.atomic():
        for journey in journeys:
            enrolled += (
                enroll(journey, customer_id, occurrence=occurrence, now=now, **ids) is not None
            )
        if enrolled:
            _wake()
    return enrolled


def on_order_placed(*, store_id: int, order_id: int, customer_id: int | None) -> None:
    enroll_for(
        Trigger.ORDER_PLACED, store_id, customer_id, occurrence=f"o{order_id}", order_id=order_id
    )
    _exit_where(store_id, customer_id, library.EXIT_ORDERED, order_id=order_id)
    if attribution.could_attribute(store_id, customer_id):
        attribution.attribute_order(order_id)


def on_order_paid(*, store_id: int, order_id: int, customer_id: int | None) -> None:
    enroll_for(
        Trigger.ORDER_PAID, store_id, customer_id, occurrence=f"o{order_id}", order_id=order_id
    )


def on_order_closed(*, store_id: int, order_id: int, customer_id: int | None) -> None:
    _exit(
        Enrollment.objects.filter(
            store_id=store_id, order_id=order_id, status=EnrollmentStatus.ACTIVE
        ),
        library.EXIT_ORDER_CLOSED,
        "the order was cancelled or refunded",
    )


def on_fulfillment(*, store_id: int, fulfillment_id: int, order_id: int, status: str) -> None:
    customer_id = Order.objects.filter(pk=order_id).values_list("customer_id", flat=True).first()
    ids = {"order_id": order_id, "fulfillment_id": fulfillment_id}
    if status:
        enroll_for(
            Trigger.FULFILLMENT_UPDATED,
            store_id,
            customer_id,
            occurrence=f"f{fulfillment_id}:{status}",
            context={"fulfillment_status": status},
            **ids,
        )


def on_delivered(*, store_id: int, fulfillment_id: int, order_id: int, status: str) -> None:
    customer_id = Order.objects.filter(pk=order_id).values_list("customer_id", flat=True).first()
    # One follow-up per order, even when it came in several parcels.
    if (
        Fulfillment.objects.filter(order_id=order_id)
        .exclude(status=FulfillmentStatus.DELIVERED)
        .exists()
    ):
        return
    enroll_for(
        Trigger.DELIVERED,
        store_id,
        customer_id,
        occurrence=f"o{order_id}",
        order_id=order_id,
        fulfillment_id=fulfillment_id,
    )


def on_cart_updated(
    *, store_id: int, cart_id: int, customer_id: int | None, recovered: bool
) -> None:
    if recovered:
        _exit(
            Enrollment.objects.filter(
                store_id=store_id, cart_id=cart_id, status=EnrollmentStatus.ACTIVE
            ),
            library.EXIT_CART_RECOVERED,
            "the cart was bought",
        )


def on_customer_created(*, store_id: int, customer_id: int) -> None:
    enroll_for(Trigger.CUSTOMER_CREATED, store_id, customer_id, occurrence=f"c{customer_id}")


def on_consent_changed(*, store_id: int, customer_id: int, channel: str, state: str) -> None:
    if state == "unsubscribed":
        active = Enrollment.objects.filter(
            store_id=store_id, customer_id=customer_id, status=EnrollmentStatus.ACTIVE
        ).select_related("journey")
        mine = [e.pk for e in active if (e.journey.settings.get("channel") or "email") == channel]
        _exit(
            Enrollment.objects.filter(pk__in=mine),
            library.EXIT_UNSUBSCRIBED,
            "the customer unsubscribed",
        )


def _exit_where(store_id: int, customer_id: int | None, rule: str, *, order_id: int) -> None:
    if customer_id is None:
        return
    with connection.cursor() as cursor:
        # Most customers who order are in no other journey: one cheap query says so.
        cursor.execute(*_OTHER_ACTIVE.bind(store_id, customer_id, order_id))
        if cursor.fetchone() is None:
            return
    _exit(_other_active(store_id, customer_id, order_id), rule, "the customer ordered")


def _other_active(store_id: int, customer_id: int, order_id: int):
    """The customer's active enrollments other than those for `order_id`."""
    return Enrollment.objects.filter(
        store_id=store_id, customer_id=customer_id, status=EnrollmentStatus.ACTIVE
    ).exclude(order_id=order_id)


# Asked for every order: compiled once (see core.prepared).
_OTHER_ACTIVE = Prepared(
    lambda store_id, customer_id, order_id: prepared.select(
        _other_active(store_id, customer_id, order_id).order_by().values("pk")[:1]
    ),
    int,
    int,
    int,
)


def _exit(enrollments, rule: str, reason: str) -> int:
    """End the given active enrollments whose journey has `rule` among its exit rules."""
    keys = [k for k, b in library.LIBRARY.items() if rule in b.exit_on]
    return enrollments.filter(journey__key__in=keys).update(
        status=EnrollmentStatus.EXITED,
        exit_reason=reason,
        finished_at=timezone.now(),
        next_run_at=None,
    )


def connect() -> None:
    subscribe(events.ORDER_PLACED, on_order_placed)
    subscribe(events.ORDER_PAID, on_order_paid)
    subscribe(events.ORDER_CANCELLED, on_order_closed)
    subscribe(events.ORDER_REFUNDED, on_order_closed)
    subscribe(events.FULFILLMENT_CREATED, on_fulfillment)
    subscribe(events.FULFILLMENT_UPDATED, on_fulfillment)
    subscribe(events.FULFILLMENT_DELIVERED, on_delivered)
    subscribe(events.CART_UPDATED, on_cart_updated)
    subscribe(events.CUSTOMER_CREATED, on_customer_created)
    subscribe(events.CONSENT_CHANGED, on_consent_changed)
