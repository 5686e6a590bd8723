"""Who may change journeys: viewers and agents read every journey page but cannot switch one or
save its settings (the 403 page, nothing changed); admins and owners can."""

import pytest

from regulars.dashboard.tests.journeys_data import register_journey_templates
from regulars.dashboard.tests.shop import url
from regulars.journeys.models import Journey
from regulars.journeys.services import ensure_journeys

pytestmark = pytest.mark.django_db

SETTINGS = {
    "channel": "email",
    "abandoned_minutes": "30",
    "second_reminder": "on",
    "second_delay_hours": "23",
    "coupon_kind": "",
    "allow_reentry": "on",
}


@pytest.fixture(autouse=True)
def journeys(store):
    register_journey_templates()
    return ensure_journeys(store)


def _state(store) -> list:
    return list(
        Journey.objects.filter(store=store)
        .order_by("key")
        .values_list("key", "enabled", "settings")
    )


@pytest.mark.parametrize("role", ["member", "agent"])
def test_a_viewer_or_agent_reads_the_pages_but_cannot_switch_or_save(client, store, request, role):
    client.force_login(request.getfixturevalue(role))
    before = _state(store)

    pages = [
        client.get(url(name, store, *args))
        for name, *args in [
            ("journeys",),
            ("journey", "abandoned_cart"),
            ("journey_preview", "abandoned_cart"),
            ("journey_enrollments", "abandoned_cart"),
        ]
    ]
    switch = client.post(url("journey_switch", store, "abandoned_cart"), {"enabled": "on"})
    save = client.post(url("journey", store, "abandoned_cart"), SETTINGS)

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert "Switch on" not in pages[0].content.decode()
    assert "Save settings" not in pages[1].content.decode()
    assert (switch.status_code, save.status_code) == (403, 403)
    assert _state(store) == before


def test_an_admin_switches_a_journey_on_and_off_and_saves_its_settings(client, store, admin):
    client.force_login(admin)

    on = client.post(url("journey_switch", store, "abandoned_cart"), {"enabled": "on"})
    assert on.status_code == 302 and on["Location"] == url("journeys", store)
    assert Journey.objects.get(store=store, key="abandoned_cart").enabled
    saved = client.post(url("journey", store, "abandoned_cart"), SETTINGS)
    off = client.post(
        url("journey_switch", store, "abandoned_cart"), {"enabled": "off", "back": "journey"}
    )

    assert saved.status_code == 302
    assert off["Location"] == url("journey", store, "abandoned_cart")
    journey = Journey.objects.get(store=store, key="abandoned_cart")
    assert (journey.enabled, journey.settings["abandoned_minutes"]) == (False, 30)


def test_the_switch_takes_only_a_post(client, store, owner):
    client.force_login(owner)

    response = client.get(url("journey_switch", store, "abandoned_cart") + "?enabled=on")

    assert response.status_code == 405
    assert not Journey.objects.filter(store=store, enabled=True).exists()


def test_a_switch_without_on_or_off_changes_nothing(client, store, owner):
    client.force_login(owner)

    response = client.post(url("journey_switch", store, "abandoned_cart"), {"enabled": "maybe"})

    assert response.status_code == 400
    assert not Journey.objects.filter(store=store, enabled=True).exists()
