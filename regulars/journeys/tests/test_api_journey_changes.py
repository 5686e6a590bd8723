"""Switching a journey on or off and changing its settings through the API: the change is
applied through the journeys services; a bad value is refused naming the setting, and then
nothing changes at all."""

import pytest

from regulars.core.models import ApiKeyScope
from regulars.journeys.models import Journey
from regulars.journeys.services import ensure_journeys
from regulars.journeys.tests.journey_api import journeys_api
from regulars.journeys.tests.journey_data import register_journey_templates
from regulars.messaging.models import Template

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, store):
    register_journey_templates()
    return journeys_api(client, store)


def _journey(store, key: str) -> Journey:
    return Journey.objects.get(store=store, key=key)


def test_switching_a_journey_on_copies_its_templates_and_off_stops_it(api, store):
    on = api.patch("/journeys/abandoned_cart", {"enabled": True})

    assert on.status_code == 200, on.content
    assert on.json()["enabled"] is True
    assert _journey(store, "abandoned_cart").enabled_at is not None
    keys = set(Template.objects.filter(store=store).values_list("key", "language"))
    assert {
        ("cart_reminder", "en"),
        ("cart_reminder", "th"),
        ("cart_reminder_second", "hy"),
    } <= keys

    off = api.patch("/journeys/abandoned_cart", {"enabled": False})

    assert off.json()["enabled"] is False
    assert _journey(store, "abandoned_cart").enabled is False


def test_settings_change_the_steps(api, store):
    response = api.patch(
        "/journeys/abandoned_cart",
        {
            "settings": {
                "second_delay_hours": 47,
                "coupon": {"kind": "fixed_amount", "value": "5", "valid_days": 7},
                "allow_reentry": False,
            }
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["settings"]["second_delay_hours"] == 47
    assert body["allow_reentry"] is False
    assert [step["type"] for step in body["steps"]] == [
        "send",
        "wait",
        "condition",
        "coupon",
        "send",
    ]
    journey = _journey(store, "abandoned_cart")
    assert journey.settings["coupon"] == {
        "kind": "fixed_amount",
        "value": "5",
        "minimum_spend": None,
        "valid_days": 7,
    }
    assert journey.steps[1]["minutes"] == 47 * 60


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"abandoned_minutes": 1}, "settings.abandoned_minutes"),
        ({"local_time": "25:00"}, "settings.local_time"),
        ({"coupon": {"kind": "free_lunch", "value": "5"}}, "settings.coupon.kind"),
        ({"coupon": {"value": "120"}}, "settings.coupon.value"),
        ({"conditions": [{"field": "customer.shoe_size", "value": 42}]}, "settings.conditions[0]"),
        ({"channel": "fax"}, "settings.channel"),
        ({"segment": "champions"}, "settings.segment"),  # not a setting of the cart journey
        ({"no_such_setting": 1}, "settings.no_such_setting"),
        ({"second_reminder": "yes"}, "settings.second_reminder"),
    ],
)
def test_a_bad_setting_is_refused_by_name_and_nothing_changes(api, store, changes, field):
    ensure_journeys(store)
    before = _journey(store, "abandoned_cart")

    response = api.patch("/journeys/abandoned_cart", {"enabled": True, "settings": changes})

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field
    after = _journey(store, "abandoned_cart")
    assert (after.enabled, after.settings, after.steps) == (False, before.settings, before.steps)


def test_an_empty_change_is_refused(api, store):
    response = api.patch("/journeys/winback", {})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "enabled"


def test_enabled_must_be_true_or_false(api, store):
    response = api.patch("/journeys/winback", {"enabled": "yes"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "enabled"
    assert not Journey.objects.filter(store=store, enabled=True).exists()


def test_a_read_only_key_cannot_switch_a_journey_on(client, store):
    reader = journeys_api(client, store, ApiKeyScope.READ)

    response = reader.patch("/journeys/winback", {"enabled": True})

    assert response.status_code == 403
    assert not Journey.objects.filter(store=store, enabled=True).exists()


def test_another_stores_key_changes_only_its_own_journey(client, store, other_store):
    ensure_journeys(store)
    outsider = journeys_api(client, other_store)

    response = outsider.patch("/journeys/winback", {"enabled": True})

    assert response.status_code == 200
    assert _journey(other_store, "winback").enabled is True
    assert _journey(store, "winback").enabled is False


def test_an_unknown_journey_cannot_be_changed(api, store):
    response = api.patch("/journeys/no_such_journey", {"enabled": True})

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "key"
