"""A store's journey figures count only its own rows, and cost the same handful of queries for
one customer or many."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.journeys.figures import Figures, journey_figures
from regulars.journeys.tests.journey_data import (
    WINBACK_NOW,
    clicked,
    enter,
    journey_on,
    messages_of,
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


def _history(store, start: int, count: int) -> None:
    winback = journey_on(store, "winback", **WINBACK_NOW)
    for n in range(start, start + count):
        person = subscriber(store, f"c{n}")
        [message] = messages_of(enter(winback, person, T0))
        clicked(message, T0 + timedelta(hours=1))
        if n % 2:
            ordered(store, person, f"o{n}", T0 + timedelta(days=1))
        else:
            unsubscribed(person, T0 + timedelta(days=1))


def test_another_stores_journeys_count_nothing_here(store, other_store):
    _history(other_store, 0, 3)

    mine = journey_figures(store)

    assert set(mine.values()) == {Figures(currency="USD")}
    assert journey_figures(other_store)["winback"].entered == 3


def _queries(store) -> int:
    with CaptureQueriesContext(connection) as captured:
        journey_figures(store, since=T0 - timedelta(days=30))
    return len(captured)


def test_the_figures_cost_the_same_queries_for_1_or_12_customers(store):
    _history(store, 0, 1)
    few = _queries(store)

    _history(store, 1, 11)

    assert _queries(store) == few <= 7
    figures = journey_figures(store)["winback"]
    assert (figures.entered, figures.clicked, figures.converted, figures.unsubscribes) == (
        12,
        12,
        6,
        6,
    )
