"""Another store's journeys are not there for a user who is not its staff: every journey page and
action is a 404, and nothing of the other store changes."""

import pytest

from regulars.dashboard.tests.journeys_data import winback_history
from regulars.dashboard.tests.shop import url
from regulars.journeys.models import Journey

pytestmark = pytest.mark.django_db


def test_an_outsider_gets_404_on_every_journey_page_and_action(client, store, outsider):
    winback_history(store)
    client.force_login(outsider)

    gets = [
        client.get(url(name, store, *args)).status_code
        for name, *args in [
            ("journeys",),
            ("journey", "winback"),
            ("journey_preview", "winback"),
            ("journey_enrollments", "winback"),
        ]
    ]
    switch = client.post(url("journey_switch", store, "winback"), {"enabled": "off"})
    save = client.post(url("journey", store, "winback"), {"channel": "sms"})

    assert gets == [404, 404, 404, 404]
    assert (switch.status_code, save.status_code) == (404, 404)
    assert Journey.objects.get(store=store, key="winback").enabled


def test_a_store_shows_only_its_own_figures_and_customers(client, store, other_store, outsider):
    winback_history(store)
    client.force_login(outsider)

    listed = client.get(url("journeys", other_store)).content.decode()
    inside = client.get(url("journey_enrollments", other_store, "winback")).content.decode()
    preview = client.get(url("journey_preview", other_store, "winback") + "?customer=c0")

    assert "Person0" not in listed + inside + preview.content.decode()
    assert "No customer has entered this journey yet" in inside
    assert "No customer of this store matches" in preview.content.decode()
