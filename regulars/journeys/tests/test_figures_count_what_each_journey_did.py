"""A journey's figures: who entered, what was sent, delivered and clicked, the orders and revenue
it brought and the coupons redeemed, each journey counting only its own."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from regulars.journeys.enroll import enroll_customers
from regulars.journeys.figures import Figures, journey_figures
from regulars.journeys.models import Conversion, EnrollmentStatus
from regulars.journeys.tests.journey_data import (
    WINBACK_NOW,
    clicked,
    delivered,
    enter,
    journey_on,
    messages_of,
    ordered,
    subscriber,
)
from regulars.promotions.models import Coupon

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def test_a_winback_that_brought_an_order_shows_it_all(store, frozen):
    winback = journey_on(store, "winback", **WINBACK_NOW)
    ana, bob = subscriber(store, "ana"), subscriber(store, "bob")
    ana_in = enter(winback, ana, T0)
    enter(winback, bob, T0)
    [message] = messages_of(ana_in)
    delivered(message, T0 + timedelta(minutes=1))
    clicked(message, T0 + timedelta(hours=2))
    code = Coupon.objects.get(customer=ana).code

    ordered(store, ana, "1001", T0 + timedelta(days=1), total="40.00", coupon_codes=[code])

    assert journey_figures(store)["winback"] == Figures(
        entered=2,
        active=0,
        sent=2,
        delivered=1,
        clicked=1,
        converted=1,
        revenue=Decimal("40.000"),
        currency="USD",
        unsubscribes=0,
        coupons_issued=2,
        coupons_redeemed=1,
    )


def test_each_journey_counts_only_its_own_and_the_others_are_zero(store, frozen):
    winback = journey_on(store, "winback", **WINBACK_NOW)
    thanks = journey_on(store, "first_order_thanks", delay_hours=0)
    ana, bob = subscriber(store, "ana"), subscriber(store, "bob")
    enter(winback, ana, T0)
    first = ordered(store, bob, "1001", T0 - timedelta(hours=1))
    enter(thanks, bob, T0, order_id=first.pk)

    figures = journey_figures(store)

    assert (figures["winback"].entered, figures["winback"].sent) == (1, 1)
    assert (figures["first_order_thanks"].entered, figures["first_order_thanks"].sent) == (1, 1)
    assert figures["first_order_thanks"].coupons_issued == 0
    assert figures["birthday_coupon"] == Figures(currency="USD")
    assert set(figures) >= {"order_confirmation", "abandoned_cart", "champions_surprise"}


def test_skipped_customers_did_not_enter_and_active_ones_are_counted_as_such(store, frozen):
    champions = journey_on(store, "champions_surprise")
    waiting = journey_on(store, "winback", local_time="23:00")  # waits until then
    ana, bob = subscriber(store, "ana"), subscriber(store, "bob")
    enroll_customers(
        champions,
        champions.store.customers.filter(pk=ana.pk),
        occurrence_suffix="",
        now=T0,
        status=EnrollmentStatus.SKIPPED,
        reason="already a champion",
    )
    enter(waiting, bob, T0)

    figures = journey_figures(store)

    assert (figures["champions_surprise"].entered, figures["champions_surprise"].active) == (0, 0)
    assert (figures["winback"].entered, figures["winback"].active, figures["winback"].sent) == (
        1,
        1,
        0,
    )


def test_since_bounds_each_figure_by_its_own_moment(store, frozen):
    winback = journey_on(store, "winback", **WINBACK_NOW)
    old, new = subscriber(store, "old"), subscriber(store, "new")
    enter(winback, old, T0 - timedelta(days=40))
    [message] = messages_of(enter(winback, new, T0 - timedelta(days=40), occurrence="n1"))
    # Entered and sent 40 days ago; clicked and ordered within the last 30 days.
    clicked(message, T0 - timedelta(days=38))
    ordered(store, new, "1001", T0 - timedelta(days=37))

    last_30 = journey_figures(store, since=T0 - timedelta(days=30))["winback"]
    last_39 = journey_figures(store, since=T0 - timedelta(days=39))["winback"]

    assert (last_30.entered, last_30.sent, last_30.clicked, last_30.converted) == (0, 0, 0, 0)
    assert (last_39.entered, last_39.sent, last_39.clicked, last_39.converted) == (0, 0, 1, 1)
    assert last_39.revenue == Decimal("40.000")


def test_revenue_counts_the_stores_currency_and_not_cancelled_orders(store, frozen):
    winback = journey_on(store, "winback", **WINBACK_NOW)
    ana, bob, cleo = subscriber(store, "ana"), subscriber(store, "bob"), subscriber(store, "cleo")
    for person in (ana, bob, cleo):
        [message] = messages_of(enter(winback, person, T0))
        clicked(message, T0 + timedelta(hours=1))
    ordered(store, ana, "1001", T0 + timedelta(days=1), total="40.00")
    ordered(store, bob, "1002", T0 + timedelta(days=1), total="900.00", currency="EUR")
    ordered(store, cleo, "1003", T0 + timedelta(days=1), total="70.00")
    ordered(store, cleo, "1003", T0 + timedelta(days=1), total="70.00", status="cancelled")
    assert Conversion.objects.filter(store=store).count() == 3  # attributed before it was cancelled

    figures = journey_figures(store)["winback"]

    assert (figures.converted, figures.revenue, figures.currency) == (2, Decimal("40.000"), "USD")
