"""An unsubscribe counts for a journey when it came within the store's attribution window after
a marketing message of that journey reached the customer on that channel; for the journey whose
message came last, and once per customer."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.commerce.services import do_set_consent
from regulars.journeys.figures import journey_figures
from regulars.journeys.models import JourneySettings
from regulars.journeys.tests.journey_data import (
    WINBACK_NOW,
    enter,
    journey_on,
    ordered,
    subscriber,
    unsubscribed,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def winback(store):
    return journey_on(store, "winback", **WINBACK_NOW)


def _unsubscribes(store) -> dict[str, int]:
    return {key: f.unsubscribes for key, f in journey_figures(store).items() if f.unsubscribes}


def test_an_unsubscribe_days_after_a_winback_message_counts_for_the_winback(store, winback):
    ana = subscriber(store, "ana")
    enter(winback, ana, T0)

    unsubscribed(ana, T0 + timedelta(days=4))

    assert _unsubscribes(store) == {"winback": 1}


def test_an_unsubscribe_after_the_window_or_before_any_message_does_not_count(store, winback):
    early, late = subscriber(store, "early"), subscriber(store, "late")
    unsubscribed(early, T0 - timedelta(minutes=5))
    enter(winback, late, T0)

    unsubscribed(late, T0 + timedelta(days=5, minutes=1))

    assert _unsubscribes(store) == {}


def test_the_window_is_the_stores_attribution_window(store, winback):
    JourneySettings.objects.create(store=store, attribution_days=10)
    ana = subscriber(store, "ana")
    enter(winback, ana, T0)

    unsubscribed(ana, T0 + timedelta(days=9))

    assert _unsubscribes(store) == {"winback": 1}


def test_it_counts_for_the_journey_whose_message_came_last_and_once_per_customer(store, winback):
    ana = subscriber(store, "ana", sms_consent="subscribed", phone="+14155550100")
    birthday = journey_on(store, "birthday_coupon", local_time="")
    enter(winback, ana, T0 - timedelta(days=2))
    enter(birthday, ana, T0)

    unsubscribed(ana, T0 + timedelta(hours=1))
    unsubscribed(ana, T0 + timedelta(hours=2), channel="sms")  # no journey SMS: not counted

    assert _unsubscribes(store) == {"birthday_coupon": 1}


def test_a_transactional_message_does_not_earn_an_unsubscribe(store):
    confirmation = journey_on(store, "order_confirmation")
    ana = subscriber(store, "ana")
    order = ordered(store, ana, "1001", T0)
    enter(confirmation, ana, T0, order_id=order.pk)

    unsubscribed(ana, T0 + timedelta(hours=1))

    assert journey_figures(store)["order_confirmation"].sent == 1
    assert _unsubscribes(store) == {}


def test_a_customer_who_unsubscribes_twice_counts_once(store, winback):
    ana = subscriber(store, "ana")
    enter(winback, ana, T0)
    unsubscribed(ana, T0 + timedelta(days=1))
    do_set_consent(
        ana, channel="email", state="subscribed", source="test", at=T0 + timedelta(days=2)
    )

    unsubscribed(ana, T0 + timedelta(days=3))

    assert _unsubscribes(store) == {"winback": 1}
