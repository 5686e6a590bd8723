"""Journey history for the dashboard's journeys tests: a store whose win-back ran for Ana (sent,
clicked, an order with her coupon) and waits for Bob, made through the journeys services."""

from datetime import timedelta

from django.utils import timezone

from regulars.dashboard.tests.shop import cart, order
from regulars.journeys.models import Journey
from regulars.journeys.tests.journey_data import (
    WINBACK_NOW,
    clicked,
    enter,
    journey_on,
    messages_of,
    ordered,
    register_journey_templates,
    subscriber,
)
from regulars.promotions.models import Coupon

__all__ = ["register_journey_templates", "winback_history", "with_order_and_cart"]


def winback_history(store, *, customers: int = 2) -> Journey:
    """The win-back for `customers` people: each sent and clicked; the first ordered with the
    coupon. Happened two days ago, within the page's default 30 days."""
    now = timezone.now()
    start = now - timedelta(days=2)
    winback = journey_on(store, "winback", **WINBACK_NOW)
    for n in range(customers):
        person = subscriber(store, f"c{n}", first_name=f"Person{n}")
        [message] = messages_of(enter(winback, person, start))
        clicked(message, start + timedelta(hours=1))
        if n == 0:
            code = Coupon.objects.get(store=store, customer=person).code
            ordered(store, person, f"o{n}", start + timedelta(hours=5), coupon_codes=[code])
    winback.refresh_from_db()
    return winback


def with_order_and_cart(store, external_id: str, **fields):
    """A customer with an order (two Blue Train LPs) and a cart left with Kind of Blue."""
    person = subscriber(store, external_id, **fields)
    order(store, f"{external_id}-1", external_id, placed_at=timezone.now().isoformat())
    cart(store, f"{external_id}-cart", external_id, updated_at=timezone.now().isoformat())
    return person
