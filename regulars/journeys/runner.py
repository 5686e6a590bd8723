"""Moving enrollments along: the due ones, one transaction per enrollment.

`run_due` is what the worker calls (tasks.py). Each enrollment is locked (FOR UPDATE SKIP
LOCKED on PostgreSQL, so many workers share the work; SQLite's write lock serializes them),
checked against its journey's exit rules, then taken through its steps until one waits or the
journey ends. A step's effect and its StepRun are written in that one transaction: a worker
killed half-way leaves nothing behind, and the step runs again on the next pass.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from regulars.commerce.models import Cart, Customer, Fulfillment, Order, OrderStatus
from regulars.core import prepared
from regulars.core.models import Store
from regulars.core.prepared import Prepared
from regulars.journeys import library
from regulars.journeys.conditions import ordered_since
from regulars.journeys.models import Enrollment, EnrollmentStatus, Journey, StepRun
from regulars.journeys.steps import run_step

logger = logging.getLogger(__name__)

BATCH = 200
# A journey never has more steps than this; a malformed one cannot loop a worker.
MAX_STEPS = 50


def run_due(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Advance up to `limit` enrollments whose next step is due; the number advanced."""
    now = now or timezone.now()
    due = list(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, next_run_at__lte=now)
        .order_by("next_run_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in due:
        try:
            done += advance(pk, now=now)
        except Exception:
            # One broken enrollment must not stop the others; it stays due and is retried.
            logger.exception("enrollment %s failed", pk)
    return done


def advance(enrollment_id: int, *, now: datetime | None = None) -> bool:
    """Take the due steps of one enrollment; False when another worker has it or it is not
    due any more."""
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = _locked_if_due(enrollment_id, now)
        if enrollment is None:
            return False
        reason = exit_reason(enrollment)
        if reason:
            _finish(enrollment, EnrollmentStatus.EXITED, reason, now)
            return True
        _take_steps(enrollment, now)
        return True


def _locked_if_due(enrollment_id: int, now: datetime) -> Enrollment | None:
    """The active enrollment, locked, if its next step is due, with the rows its steps read.

    Each row is read by a statement compiled once (core.prepared): building the one query
    that joined them all cost more than the rest of a typical step.
    """
    enrollment = prepared.first(Enrollment, _DUE_LOCKED, enrollment_id, now)
    if enrollment is None:
        return None
    journey = _by_pk(Journey, enrollment.journey_id)
    journey.store = _by_pk(Store, journey.store_id)
    enrollment.journey = journey
    enrollment.customer = _by_pk(Customer, enrollment.customer_id)
    enrollment.order = _by_pk(Order, enrollment.order_id)
    enrollment.fulfillment = _by_pk(Fulfillment, enrollment.fulfillment_id)
    enrollment.cart = _by_pk(Cart, enrollment.cart_id)
    return enrollment


def _by_pk(model, pk):
    return None if pk is None else prepared.first(model, prepared.by_pk(model), pk)


# Locked for this worker; another one skips it (SKIP LOCKED on PostgreSQL; on SQLite the
# write lock serializes workers).
_DUE_LOCKED = Prepared(
    lambda pk, now: prepared.select(
        Enrollment.objects.select_for_update(skip_locked=True).filter(
            pk=pk, status=EnrollmentStatus.ACTIVE, next_run_at__lte=now
        )
    ),
    int,
    datetime,
)


def _take_steps(enrollment: Enrollment, now: datetime) -> None:
    steps = enrollment.journey.steps or []
    due = enrollment.next_run_at
    for _ in range(MAX_STEPS):
        if enrollment.step_index >= len(steps):
            _finish(enrollment, EnrollmentStatus.COMPLETED, "", now)
            return
        index = enrollment.step_index
        result = run_step(enrollment, steps[index], due, now)
        StepRun.objects.create(
            store_id=enrollment.store_id,
            enrollment=enrollment,
            step_index=index,
            kind=steps[index]["type"],
            outcome=result.outcome,
            detail=result.detail[:300],
            message_id=result.message_id,
            coupon_id=result.coupon_id,
            at=now,
        )
        enrollment.step_index = index + (2 if result.skip_next else 1)
        if result.exit:
            _finish(enrollment, EnrollmentStatus.EXITED, result.detail, now)
            return
        if result.wait_until is not None and result.wait_until > now:
            enrollment.next_run_at = result.wait_until
            enrollment.save(update_fields=["step_index", "next_run_at", "context"])
            return
        if result.wait_until is not None:
            due = result.wait_until  # a wait already over (downtime): keep the rhythm
    _finish(enrollment, EnrollmentStatus.EXITED, "too many steps", now)


def _finish(enrollment: Enrollment, status: str, reason: str, now: datetime) -> None:
    enrollment.status = status
    enrollment.exit_reason = reason[:200]
    enrollment.finished_at = now
    enrollment.next_run_at = None
    enrollment.save(
        update_fields=[
            "status",
            "exit_reason",
            "finished_at",
            "next_run_at",
            "step_index",
            "context",
        ]
    )


def exit_reason(enrollment: Enrollment) -> str:
    """The journey's exit rule this enrollment meets now ('' for none)."""
    rules = (
        library.LIBRARY[enrollment.journey.key].exit_on
        if enrollment.journey.key in library.LIBRARY
        else ()
    )
    order, cart, customer = enrollment.order, enrollment.cart, enrollment.customer
    closed = order is not None and order.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
    if library.EXIT_ORDER_CLOSED in rules and closed:
        return f"the order was {order.status}"
    if library.EXIT_CART_RECOVERED in rules and cart is not None and cart.recovered_order_id:
        return "the cart was bought"
    channel = enrollment.journey.settings.get("channel") or "email"
    if (
        library.EXIT_UNSUBSCRIBED in rules
        and getattr(customer, f"{channel}_consent", "") == "unsubscribed"
    ):
        return "the customer unsubscribed"
    if library.EXIT_ORDERED in rules and ordered_since(
        customer.pk, enrollment.entered_at, exclude=enrollment.order_id
    ):
        return "the customer ordered"
    return ""
