"""Journey history for the figures, API and dashboard tests, made through the services the
product uses: a customer enrolled, the worker's run, the dispatcher's send, a provider's report,
a click, an order attributed, a coupon redeemed, an unsubscribe."""

from datetime import datetime

import time_machine

from regulars.commerce.models import Customer, Order
from regulars.commerce.schemas import CustomerIn, OrderIn
from regulars.commerce.services import do_set_consent, upsert_customer, upsert_order
from regulars.journeys.attribution import attribute_order
from regulars.journeys.enroll import enroll
from regulars.journeys.models import Enrollment, Journey, StepRun
from regulars.journeys.runner import run_due
from regulars.journeys.services import (
    do_set_journey_enabled,
    do_update_journey_settings,
    ensure_journeys,
)
from regulars.journeys.templates_library import register as register_journey_templates
from regulars.messaging.models import Message
from regulars.messaging.services.preferences import do_record_click
from regulars.messaging.services.sending import dispatch_due, do_record_report
from regulars.promotions.services import redeem_order_coupons

# Idempotent: the journeys' built-in templates, available to switch a journey on even before
# JourneysConfig.ready() registers them.
register_journey_templates()

# A win-back that runs at once: no wait for a local time of day.
WINBACK_NOW = {"local_time": ""}


def subscriber(store, external_id: str, **fields) -> Customer:
    data = {
        "external_id": external_id,
        "email": f"{external_id}@example.com",
        "first_name": external_id.capitalize(),
        "email_consent": "subscribed",
        **fields,
    }
    return upsert_customer(store, CustomerIn(**data), source="api").obj


def journey_on(store, key: str, **settings) -> Journey:
    ensure_journeys(store)
    if settings:
        do_update_journey_settings(store, key, settings)
    return do_set_journey_enabled(store, key, True)


def enter(
    journey: Journey, customer: Customer, now: datetime, occurrence: str = "", **ids
) -> Enrollment:
    """Enroll `customer` and let the worker and the dispatcher do their rounds, the clock at
    `now`."""
    occurrence = occurrence or f"t{customer.pk}"
    with time_machine.travel(now, tick=False):
        enrollment = enroll(journey, customer.pk, occurrence=occurrence, now=now, **ids)
        assert enrollment is not None, "the customer did not enter"
        while run_due(now=now):
            pass
        while dispatch_due(now=now):
            pass
    enrollment.refresh_from_db()
    return enrollment


def messages_of(enrollment: Enrollment) -> list[Message]:
    ids = StepRun.objects.filter(enrollment=enrollment, message_id__isnull=False).values_list(
        "message_id", flat=True
    )
    return list(Message.objects.filter(pk__in=list(ids)).order_by("pk"))


def delivered(message: Message, at: datetime) -> None:
    message.refresh_from_db()
    assert do_record_report(message, "delivered", at=at)


def clicked(message: Message, at: datetime) -> None:
    assert do_record_click(message.token, "https://shop.example/sale", at=at) is not None


def ordered(store, customer: Customer, external_id: str, at: datetime, **fields) -> Order:
    """An order placed at `at`, attributed and its coupons redeemed as the event handlers do."""
    data = {
        "external_id": external_id,
        "customer_external_id": customer.external_id,
        "status": "paid",
        "currency": store.currency,
        "total": "40.00",
        "placed_at": at.isoformat(),
        "lines": [{"title": "Blue Train LP", "quantity": 1, "unit_price": "40.00"}],
        **fields,
    }
    order = upsert_order(store, OrderIn(**data), source="api").obj
    attribute_order(order.pk)
    redeem_order_coupons(store_id=store.pk, order_id=order.pk)
    return order


def unsubscribed(customer: Customer, at: datetime, channel: str = "email") -> None:
    customer.refresh_from_db()
    assert do_set_consent(customer, channel=channel, state="unsubscribed", source="test", at=at)
