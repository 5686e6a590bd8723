"""The journeys API: a store's system reads its journeys with their settings, steps and
figures; another store's key sees only its own."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.core.models import ApiKeyScope
from regulars.journeys import library
from regulars.journeys.models import Journey
from regulars.journeys.tests.journey_api import journeys_api
from regulars.journeys.tests.journey_data import (
    WINBACK_NOW,
    clicked,
    enter,
    journey_on,
    messages_of,
    ordered,
    subscriber,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, store):
    return journeys_api(client, store)


@pytest.fixture
def history(store):
    """A win-back 40 days ago that brought an order 38 days ago, and one today."""
    winback = journey_on(store, "winback", **WINBACK_NOW)
    old, new = subscriber(store, "old"), subscriber(store, "new")
    [message] = messages_of(enter(winback, old, T0 - timedelta(days=40)))
    clicked(message, T0 - timedelta(days=39))
    ordered(store, old, "1001", T0 - timedelta(days=38), total="55.50")
    enter(winback, new, T0)
    return winback


def test_every_built_in_journey_is_listed_switched_off_at_first(api, store):
    response = api.get("/journeys")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["key"] for item in items] == list(library.LIBRARY)
    assert not any(item["enabled"] for item in items)
    cart = next(item for item in items if item["key"] == "abandoned_cart")
    assert cart["trigger"] == "cart_abandoned"
    assert cart["settings"]["abandoned_minutes"] == 60
    assert cart["templates"] == ["cart_reminder", "cart_reminder_second"]
    assert [step["type"] for step in cart["steps"]] == ["send", "wait", "send"]
    assert cart["description"].startswith("An hour after a cart is left")


def test_a_journey_shows_its_figures_all_time_or_since_a_moment(api, history):
    all_time = api.get("/journeys/winback").json()
    recent = api.get("/journeys/winback", since="2026-02-01T00:00:00Z").json()

    assert all_time["enabled"] is True
    assert all_time["settings"]["local_time"] == ""
    figures = all_time["figures"]
    assert (figures["entered"], figures["sent"], figures["clicked"]) == (2, 2, 1)
    assert (figures["converted"], figures["revenue"], figures["currency"]) == (1, "55.500", "USD")
    assert all_time["figures_since"] is None
    assert (recent["figures"]["entered"], recent["figures"]["converted"]) == (1, 0)
    assert recent["figures_since"] == "2026-02-01T00:00:00Z"


def test_a_naive_since_is_read_in_the_stores_time_zone(api, history):
    # 2026-03-02 10:00 in New York is T0 itself: today's entry counts, a minute later it does not.
    at_t0 = api.get("/journeys", since="2026-03-02T10:00:00").json()["items"]
    after = api.get("/journeys", since="2026-03-02T10:01:00").json()["items"]

    assert next(i for i in at_t0 if i["key"] == "winback")["figures"]["entered"] == 1
    assert next(i for i in after if i["key"] == "winback")["figures"]["entered"] == 0


def test_an_unknown_journey_is_a_404_naming_the_key(api):
    response = api.get("/journeys/no_such_journey")

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "key"


def test_a_bad_since_is_refused_naming_it(api):
    response = api.get("/journeys", since="last tuesday")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "since"


def test_another_stores_key_sees_its_own_journeys_and_none_of_these_figures(
    client, other_store, history
):
    outsider = journeys_api(client, other_store, ApiKeyScope.READ)

    items = outsider.get("/journeys").json()["items"]
    winback = outsider.get("/journeys/winback").json()

    assert not any(item["enabled"] for item in items)
    assert winback["figures"]["entered"] == winback["figures"]["sent"] == 0
    assert Journey.objects.filter(store=other_store, enabled=True).count() == 0


def test_without_a_key_nothing_is_shown(client, history):
    response = client.get("/api/v1/journeys")

    assert response.status_code == 401
