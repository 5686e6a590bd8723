"""Which journey brought an order: the last journey message the customer clicked within the
attribution window before the order, else the last one delivered (or sent) within it.

The window is the store's (JourneySettings.attribution_days, 5 days by default, as the
e-mail peers count it). An order is attributed once; a transactional message (the order
confirmation itself) never earns one.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce

from regulars.commerce.models import Order, OrderStatus
from regulars.core import prepared
from regulars.core.prepared import Prepared
from regulars.journeys.models import Conversion, Journey, JourneySettings, StepRun
from regulars.messaging.models import Message, Purpose


def attribution_days(store_id: int) -> int:
    found = (
        JourneySettings.objects.filter(store_id=store_id)
        .values_list("attribution_days", flat=True)
        .first()
    )
    return (
        found if found is not None else JourneySettings._meta.get_field("attribution_days").default
    )


def _journey_messages(store_id: int, customer_id: int):
    return Message.objects.filter(
        store_id=store_id,
        customer_id=customer_id,
        purpose=Purpose.MARKETING,
        source__startswith="journey:",
    )


def could_attribute(store_id: int, customer_id: int | None) -> bool:
    """Whether a journey ever sent this customer a marketing message: one query on the
    customer's messages, so that most orders (a new customer, or one who only had order
    confirmations) skip `attribute_order` and its several queries."""
    if customer_id is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(*_ANY_JOURNEY_MESSAGE.bind(store_id, customer_id))
        return cursor.fetchone() is not None


# Asked for every order: compiled once (see core.prepared).
_ANY_JOURNEY_MESSAGE = Prepared(
    lambda store_id, customer_id: prepared.select(
        _journey_messages(store_id, customer_id).order_by().values("pk")[:1]
    ),
    int,
    int,
)


def attribute_order(order_id: int) -> Conversion | None:
    order = Order.objects.filter(pk=order_id).first()
    if order is None or order.customer_id is None or order.status == OrderStatus.CANCELLED:
        return None
    since = order.placed_at - timedelta(days=attribution_days(order.store_id))
    messages = _journey_messages(order.store_id, order.customer_id)
    clicked = (
        messages.filter(first_clicked_at__gte=since, first_clicked_at__lte=order.placed_at)
        .order_by("-first_clicked_at")
        .first()
    )
    via, message = "clicked", clicked
    if message is None:
        via = "delivered"
        message = (
            messages.annotate(reached=Coalesce("delivered_at", "sent_at"))
            .filter(reached__gte=since, reached__lte=order.placed_at)
            .order_by(F("reached").desc())
            .first()
        )
    if message is None:
        return None
    run = StepRun.objects.filter(message_id=message.pk).select_related("enrollment").first()
    if run is None:
        return None
    journey = Journey.objects.filter(pk=run.enrollment.journey_id).first()
    try:
        with transaction.atomic():
            return Conversion.objects.create(
                store_id=order.store_id,
                journey=journey,
                enrollment=run.enrollment,
                message_id=message.pk,
                order=order,
                via=via,
                revenue=order.total,
                currency=order.currency,
                at=order.placed_at,
            )
    except IntegrityError:  # attributed already (the same order's webhook twice)
        return None
