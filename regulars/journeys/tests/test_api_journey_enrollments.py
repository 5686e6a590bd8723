"""Who is in a journey, through the API: newest first, a page at a time, filtered by status or
customer; another store's key sees none of them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.journeys.services import do_set_journey_enabled
from regulars.journeys.tests.journey_api import journeys_api
from regulars.journeys.tests.journey_data import WINBACK_NOW, enter, journey_on, subscriber

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
def people(store):
    """Ana completed the win-back yesterday; Bob and Cleo wait in the birthday journey."""
    winback = journey_on(store, "winback", **WINBACK_NOW)
    birthday = journey_on(store, "birthday_coupon", local_time="23:00")
    ana, bob, cleo = (subscriber(store, name) for name in ("ana", "bob", "cleo"))
    enter(winback, ana, T0 - timedelta(days=1))
    enter(birthday, bob, T0 - timedelta(hours=2))
    enter(birthday, cleo, T0 - timedelta(hours=1))
    return {"ana": ana, "bob": bob, "cleo": cleo}


def test_enrollments_are_listed_newest_first_with_the_step_they_are_at(api, people):
    page = api.get("/journeys/birthday_coupon/enrollments").json()

    assert page["count"] == 2
    assert [item["customer_external_id"] for item in page["items"]] == ["cleo", "bob"]
    cleo = page["items"][0]
    # Past the wait: the consent check before the coupon is next, due at 23:00 in New York.
    assert (cleo["status"], cleo["step_index"], cleo["step"]) == ("active", 1, "condition")
    assert cleo["customer_email"] == "cleo@example.com"
    assert cleo["next_run_at"] == "2026-03-03T04:00:00Z"


def test_a_finished_enrollment_says_why_and_has_no_next_step(api, store, people):
    do_set_journey_enabled(store, "birthday_coupon", False)

    completed = api.get("/journeys/winback/enrollments", status="completed").json()
    exited = api.get("/journeys/birthday_coupon/enrollments", status="exited").json()

    assert [item["customer_external_id"] for item in completed["items"]] == ["ana"]
    assert completed["items"][0]["step"] == ""
    assert exited["count"] == 2
    assert exited["items"][0]["exit_reason"] == "the journey was switched off"
    assert exited["items"][0]["next_run_at"] is None


def test_enrollments_page_and_filter_by_customer(api, people):
    first = api.get("/journeys/birthday_coupon/enrollments", limit=1).json()
    second = api.get("/journeys/birthday_coupon/enrollments", limit=1, offset=1).json()
    bob = api.get("/journeys/birthday_coupon/enrollments", customer_external_id="bob").json()
    by_id = api.get("/journeys/birthday_coupon/enrollments", customer_id=people["cleo"].pk).json()

    assert (first["next_offset"], second["next_offset"]) == (1, None)
    assert [
        first["items"][0]["customer_external_id"],
        second["items"][0]["customer_external_id"],
    ] == [
        "cleo",
        "bob",
    ]
    assert [item["customer_external_id"] for item in bob["items"]] == ["bob"]
    assert [item["customer_external_id"] for item in by_id["items"]] == ["cleo"]


def test_a_bad_status_filter_is_refused_by_name(api, people):
    response = api.get("/journeys/birthday_coupon/enrollments", status="sleeping")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_another_stores_key_sees_none_of_these_enrollments(client, other_store, people):
    outsider = journeys_api(client, other_store)

    page = outsider.get("/journeys/birthday_coupon/enrollments").json()
    by_id = outsider.get(
        "/journeys/birthday_coupon/enrollments", customer_id=people["bob"].pk
    ).json()

    assert page["count"] == by_id["count"] == 0
