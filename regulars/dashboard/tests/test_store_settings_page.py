"""Store settings: name, currency, time zone and default language, changed by admins."""

import pytest

from regulars.dashboard.tests.shop import customer, order, url

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Vinyl Corner BKK",
    "currency": "THB",
    "timezone": "Asia/Bangkok",
    "language": "th",
}


def test_an_admin_changes_the_store_settings(client, store, admin):
    client.force_login(admin)

    response = client.post(url("store_settings", store), VALID, follow=True)

    store.refresh_from_db()
    assert (store.name, store.currency, store.timezone, store.default_language) == (
        "Vinyl Corner BKK",
        "THB",
        "Asia/Bangkok",
        "th",
    )
    assert "Store settings saved." in response.content.decode()


def test_times_follow_the_new_time_zone(client, store, admin):
    customer(store, "c1", first_name="Ana")
    order(store, "1001", "c1", placed_at="2026-03-01T15:00:00Z")
    client.force_login(admin)
    client.post(url("store_settings", store), VALID)

    html = client.get(url("orders", store)).content.decode()

    assert ">Mar 1, 2026 22:00</time>" in html


def test_a_bad_value_is_shown_beside_its_field_and_nothing_changes(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("store_settings", store), {**VALID, "name": "", "timezone": "Mars/Base"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert "Select a valid choice. Mars/Base is not one of the available choices." in html
    store.refresh_from_db()
    assert (store.name, store.timezone) == ("Vinyl Corner", "America/New_York")


def test_a_blank_language_is_refused(client, store, admin):
    client.force_login(admin)

    response = client.post(url("store_settings", store), {**VALID, "language": "   "})

    assert response.status_code == 400
    assert response.context["form"].errors["language"] == ["This field is required."]
    store.refresh_from_db()
    assert store.default_language == "en"
