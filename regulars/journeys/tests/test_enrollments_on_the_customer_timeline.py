"""A customer's journeys are on their timeline: when they entered one and how it ended, with
the reason when they left it early; nothing of another customer's."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.commerce.timeline import timeline_for
from regulars.journeys.enroll import enroll_customers
from regulars.journeys.models import EnrollmentStatus
from regulars.journeys.services import do_set_journey_enabled
from regulars.journeys.tests.journey_data import WINBACK_NOW, enter, journey_on, subscriber
from regulars.journeys.timeline import journey_entries

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(T0, tick=False)


def _journey_entries(customer, **kwargs) -> list[tuple]:
    return [
        (e.kind, e.title, e.detail, e.at)
        for e in timeline_for(customer, **kwargs)
        if e.kind.startswith("journey.")
    ]


def test_a_completed_and_a_left_journey_are_on_the_timeline(store):
    winback = journey_on(store, "winback", **WINBACK_NOW)
    birthday = journey_on(store, "birthday_coupon", local_time="23:00")
    ana, bob = subscriber(store, "ana"), subscriber(store, "bob")
    enter(winback, ana, T0 - timedelta(days=3))
    enter(birthday, ana, T0 - timedelta(hours=2))
    enter(birthday, bob, T0 - timedelta(hours=2))
    do_set_journey_enabled(store, "birthday_coupon", False)

    assert _journey_entries(ana) == [
        (
            "journey.exited",
            "Left the journey “Birthday coupon”",
            "the journey was switched off",
            T0,
        ),
        ("journey.entered", "Entered the journey “Birthday coupon”", "", T0 - timedelta(hours=2)),
        ("journey.completed", "Completed the journey “Win-back”", "", T0 - timedelta(days=3)),
        ("journey.entered", "Entered the journey “Win-back”", "", T0 - timedelta(days=3)),
    ]


def test_a_customer_recorded_but_not_taken_in_shows_once_with_the_reason(store):
    champions = journey_on(store, "champions_surprise")
    ana = subscriber(store, "ana")
    enroll_customers(
        champions,
        store.customers.filter(pk=ana.pk),
        occurrence_suffix="",
        now=T0,
        status=EnrollmentStatus.SKIPPED,
        reason="already in the segment when the journey was switched on",
    )

    assert _journey_entries(ana) == [
        (
            "journey.skipped",
            "Not taken into the journey “Champions surprise”",
            "already in the segment when the journey was switched on",
            T0,
        )
    ]


def test_the_provider_gives_the_newest_entries_older_than_before_up_to_the_limit(store):
    winback = journey_on(store, "winback", **WINBACK_NOW)
    ana = subscriber(store, "ana")
    for day in range(3):
        enter(winback, ana, T0 - timedelta(days=10 - day), occurrence=f"day{day}")

    entries = journey_entries(ana, before=T0 - timedelta(days=8), limit=3)

    assert [(e.kind, e.at) for e in entries] == [
        ("journey.completed", T0 - timedelta(days=9)),
        ("journey.entered", T0 - timedelta(days=9)),
        ("journey.completed", T0 - timedelta(days=10)),
    ]
