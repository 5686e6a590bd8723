"""What each kind of step does for one enrollment (the runner calls these in a transaction).

A step returns a StepResult; the runner records it as a StepRun in the same transaction as the
step's effect, so a send step queues its message exactly once even if the worker dies: either
the whole transaction commits (message queued, step recorded, enrollment moved on) or none of
it does and the step runs again. Messaging's idempotency key per enrollment step is the second
lock on the same door.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from regulars.commerce.models import OrderStatus
from regulars.core.errors import RegularsError
from regulars.core.timeutil import zoneinfo_or_utc
from regulars.journeys import library
from regulars.journeys.conditions import check_conditions, customer_q, enrollment_conditions_hold
from regulars.journeys.models import Enrollment, StepOutcome
from regulars.messaging.budget import customer_zone
from regulars.messaging.rendering.formatting import format_money
from regulars.messaging.services.sending import do_queue_message
from regulars.promotions.services import coupon_variables, do_issue_coupon

# Links that later apps serve (the feedback app: the survey and review pages), by name, as
# functions of the enrollment; a template shows them as data.<name> when one is registered.
# A builder returns a URL, or a list of {"score", "url"} (the one-tap survey buttons).
LinkBuilder = Callable[[Enrollment], str | list[dict]]
LINK_BUILDERS: dict[str, LinkBuilder] = {}


def register_link(name: str, build: LinkBuilder) -> None:
    LINK_BUILDERS[name] = build


@dataclass
class StepResult:
    outcome: str
    detail: str = ""
    wait_until: datetime | None = None
    exit: bool = False
    skip_next: bool = False
    message_id: int | None = None
    coupon_id: int | None = None


def run_step(enrollment: Enrollment, step: dict, due: datetime, now: datetime) -> StepResult:
    """Take `step` (due at `due`, run at `now`) for `enrollment`."""
    return _KINDS[step["type"]](enrollment, step, due, now)


# --- wait -------------------------------------------------------------------------------------


def _wait(enrollment: Enrollment, step: dict, due: datetime, now: datetime) -> StepResult:
    until = wait_until(enrollment, step, due)
    return StepResult(StepOutcome.WAITED, f"until {until:%Y-%m-%d %H:%M} UTC", wait_until=until)


def wait_until(enrollment: Enrollment, step: dict, due: datetime) -> datetime:
    """`due` plus the wait, then on to the next `local_time` in the customer's time zone.

    Counted from when the step was due, not from when a worker got to it: a worker back from
    downtime keeps the journey's rhythm instead of pushing every later step back.
    """
    until = due + timedelta(minutes=float(step.get("minutes") or 0))
    if step.get("local_time"):
        zone = customer_zone(enrollment.customer, enrollment.journey.store)
        at = time.fromisoformat(step["local_time"])
        if step.get("on_the_day"):
            day = until.astimezone(zoneinfo_or_utc(enrollment.journey.store.timezone)).date()
            return max(datetime.combine(day, at, tzinfo=zone).astimezone(due.tzinfo), until)
        local = until.astimezone(zone)
        moment = datetime.combine(local.date(), at, tzinfo=zone)
        if moment < local:
            moment = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
        until = moment.astimezone(due.tzinfo)
    return until


# --- condition --------------------------------------------------------------------------------


def _condition(enrollment: Enrollment, step: dict, due: datetime, now: datetime) -> StepResult:
    conditions = check_conditions(step.get("all"))
    customers = type(enrollment.customer).objects.filter(pk=enrollment.customer_id)
    holds = customers.filter(
        customer_q(conditions, now=now)
    ).exists() and enrollment_conditions_hold(conditions, enrollment)
    if holds:
        return StepResult(StepOutcome.PASSED)
    otherwise = step.get("otherwise", "exit")
    if otherwise == "skip":
        return StepResult(
            StepOutcome.BRANCHED, "condition not met: the next step is skipped", skip_next=True
        )
    return StepResult(StepOutcome.BRANCHED, "condition not met: the journey ends here", exit=True)


# --- coupon -----------------------------------------------------------------------------------


def _coupon(enrollment: Enrollment, step: dict, due: datetime, now: datetime) -> StepResult:
    coupon = do_issue_coupon(
        enrollment.journey.store,
        enrollment.customer,
        kind=step.get("kind", "percent"),
        value=Decimal(str(step.get("value"))),
        minimum_spend=(
            Decimal(str(step["minimum_spend"]))
            if step.get("minimum_spend") not in (None, "")
            else None
        ),
        valid_days=int(step.get("valid_days") or 30),
        prefix=step.get("prefix", ""),
        source=f"journey:{enrollment.journey.key}",
        idempotency_key=f"journey:{enrollment.pk}:{enrollment.step_index}",
    )
    enrollment.context["coupon_id"] = coupon.pk
    return StepResult(StepOutcome.COUPON, coupon.code, coupon_id=coupon.pk)


# --- send -------------------------------------------------------------------------------------


def _send(enrollment: Enrollment, step: dict, due: datetime, now: datetime) -> StepResult:
    stale = stale_reason(enrollment, step)
    if stale:
        return StepResult(StepOutcome.SKIPPED, stale)
    deadline = due + timedelta(hours=float(step.get("deadline_hours") or 72))
    if now >= deadline:
        return StepResult(
            StepOutcome.SKIPPED, "too late: the step was due more than its deadline ago"
        )
    journey = enrollment.journey
    try:
        message = do_queue_message(
            journey.store,
            enrollment.customer,
            channel=step.get("channel", "email"),
            purpose=step.get("purpose", library.MARKETING),
            template_key=step["template"],
            order=enrollment.order,
            fulfillment=enrollment.fulfillment,
            coupon=_coupon_of(enrollment),
            context={"data": message_data(enrollment)},
            priority=int(step.get("priority") or 0),
            idempotency_key=f"journey:{enrollment.pk}:{enrollment.step_index}",
            deadline=deadline,
            source=f"journey:{journey.key}",
        )
    except RegularsError as error:
        # A template missing for the customer's language and the store's, say: the step is
        # skipped with the reason, shown on the journey's page, rather than retried for ever.
        return StepResult(StepOutcome.SKIPPED, str(error)[:300])
    return StepResult(
        StepOutcome.QUEUED, f"{message.channel} {message.template_key}", message_id=message.pk
    )


def stale_reason(enrollment: Enrollment, step: dict) -> str:
    """Why the step is no longer true ('' when it still is)."""
    rules = step.get("skip_if") or ()
    order, fulfillment, cart = enrollment.order, enrollment.fulfillment, enrollment.cart
    if library.STALE_ORDER_CLOSED in rules and order is not None:
        order.refresh_from_db(fields=["status"])
        if order.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
            return f"the order was {order.status}"
    if library.STALE_FULFILLMENT_MOVED_ON in rules and fulfillment is not None:
        fulfillment.refresh_from_db(fields=["status"])
        entered_with = enrollment.context.get("fulfillment_status")
        if entered_with and fulfillment.status != entered_with:
            return f"the shipment is {fulfillment.status} now, no longer {entered_with}"
    if library.STALE_CART_RECOVERED in rules and cart is not None:
        cart.refresh_from_db(fields=["recovered_order", "updated_at"])
        if cart.recovered_order_id is not None:
            return "the cart was bought"
        from regulars.journeys.conditions import ordered_since

        if ordered_since(enrollment.customer_id, cart.updated_at):
            return "the customer ordered since leaving the cart"
    return ""


def _coupon_of(enrollment: Enrollment) -> dict | None:
    from regulars.promotions.models import Coupon

    coupon_id = enrollment.context.get("coupon_id")
    if not coupon_id:
        return None
    coupon = Coupon.objects.filter(pk=coupon_id, store_id=enrollment.store_id).first()
    return coupon_variables(coupon) if coupon else None


def message_data(enrollment: Enrollment) -> dict:
    """The `data` variables of a journey's message: the cart, the anniversary's years, the
    links later apps serve."""
    data: dict = {}
    cart = enrollment.cart
    if cart is not None:
        data["cart"] = {
            "url": cart.checkout_url,
            "total": format_money(cart.value, cart.currency),
            "lines": [_cart_line(line, cart.currency) for line in cart.lines or []],
        }
    customer = enrollment.customer
    if customer.first_order_at is not None:
        data["first_order_at"] = customer.first_order_at.date().isoformat()
        data["years"] = max(1, enrollment.entered_at.year - customer.first_order_at.year)
    for name, build in LINK_BUILDERS.items():
        data[name] = build(enrollment)
    return data


def _cart_line(line: dict, currency: str) -> dict:
    quantity = int(line.get("quantity") or 1)
    price = line.get("unit_price")
    return {
        "title": str(line.get("title", "")),
        "quantity": quantity,
        "price": format_money(Decimal(str(price)), currency) if price not in (None, "") else "",
        "url": str(line.get("url", "")),
        "image_url": str(line.get("image_url", "")),
    }


def _exit(enrollment: Enrollment, step: dict, due: datetime, now: datetime) -> StepResult:
    return StepResult(StepOutcome.EXITED, "the journey ends here", exit=True)


_KINDS = {"wait": _wait, "condition": _condition, "coupon": _coupon, "send": _send, "exit": _exit}
