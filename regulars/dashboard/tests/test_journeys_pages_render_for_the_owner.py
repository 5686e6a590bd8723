"""The journeys pages for the owner: every built-in journey with its switch, description, trigger
and figures for a period; the editor with its settings and template links; who is in it."""

import re

import pytest

from regulars.dashboard.tests.journeys_data import winback_history
from regulars.dashboard.tests.shop import url
from regulars.journeys import library
from regulars.journeys.services import ensure_journeys

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def _row(html: str, key: str) -> str:
    return re.search(rf'<tr data-journey="{key}">(.*?)</tr>', html, re.S).group(1)


def _numbers(row: str) -> list[str]:
    return re.findall(r'<td class="num[^"]*" data-label="[^"]+">([^<]*)</td>', row)


def test_the_list_shows_every_journey_switched_off_with_its_description(owner_client, store):
    response = owner_client.get(url("journeys", store))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<tr data-journey="([^"]+)">', html) == list(library.LIBRARY)
    cart = _row(html, "abandoned_cart")
    assert "An hour after a cart is left" in cart
    assert "Trigger: Cart abandoned" in cart
    assert "Switch on" in cart and ">Off<" in cart
    assert 'name="csrfmiddlewaretoken"' in cart


def test_the_list_shows_the_figures_of_the_last_30_days_by_default(owner_client, store):
    winback_history(store)

    html = owner_client.get(url("journeys", store)).content.decode()
    all_time = owner_client.get(url("journeys", store) + "?period=all").content.decode()
    last_week = owner_client.get(url("journeys", store) + "?period=7d").content.decode()

    # entered, sent, clicked, orders, revenue, unsubscribes, coupons redeemed
    assert _numbers(_row(html, "winback")) == ["2", "2", "2", "1", "$40.00", "0", "1"]
    assert ">On<" in _row(html, "winback") and "Switch off" in _row(html, "winback")
    assert _numbers(_row(all_time, "winback")) == _numbers(_row(html, "winback"))
    assert _numbers(_row(last_week, "winback"))[0] == "2"
    assert 'aria-current="true">30 days' in html
    assert _numbers(_row(html, "birthday_coupon")) == ["0", "0", "0", "0", "$0.00", "0", "0"]


def test_the_editor_shows_the_settings_steps_and_template_links(owner_client, store):
    winback = winback_history(store)

    response = owner_client.get(url("journey", store, "winback"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Win-back</h1>" in html
    assert 'name="coupon_value"' in html and 'value="20"' in html
    assert 'name="when"' in html and 'name="threshold"' in html
    assert 'name="segment"' not in html and 'name="sms_too"' not in html
    assert "Issue a coupon: 20%, valid 30 days" in html
    assert "Send E-mail “winback” (marketing)" in html
    # The store's own templates are edit links; a language it lacks is an "add" link.
    links = dict(re.findall(r'href="([^"]+)" data-template-link="winback:email:(\w+)"', html))
    assert set(links.values()) >= {"en", "th", "hy"}
    assert all("/messages/templates/" in href for href in links)
    assert winback.enabled


def test_a_journey_without_coupon_or_time_has_no_such_fields(owner_client, store):
    ensure_journeys(store)

    html = owner_client.get(url("journey", store, "shipping_update")).content.decode()

    assert 'name="sms_too"' in html
    assert 'name="coupon_kind"' not in html and 'name="local_time"' not in html
    # Templates not yet in the store: links to write them, one per channel and language.
    assert "/messages/templates/new/?key=shipping_update&amp;channel=sms&amp;language=th" in html


def test_the_customers_in_a_journey_are_listed_with_status_and_step(owner_client, store):
    winback_history(store, customers=3)

    html = owner_client.get(url("journey_enrollments", store, "winback")).content.decode()
    completed = owner_client.get(
        url("journey_enrollments", store, "winback") + "?status=active"
    ).content.decode()

    assert html.count("data-enrollment=") == 3
    assert "Person0" in html and "Completed" in html
    assert "No enrollment with this status." in completed


def test_an_unknown_journey_is_a_404(owner_client, store):
    for name in ("journey", "journey_preview", "journey_enrollments"):
        assert owner_client.get(url(name, store, "no_such_journey")).status_code == 404


def test_the_customers_in_a_journey_come_a_page_at_a_time(owner_client, store, monkeypatch):
    monkeypatch.setattr("regulars.dashboard.views.journeys.PAGE_SIZE", 2)
    winback_history(store, customers=3)
    path = url("journey_enrollments", store, "winback")

    first = owner_client.get(path).content.decode()
    second = owner_client.get(path + "?page=2").content.decode()

    assert re.findall(r">(Person\d)</a>", first) == ["Person2", "Person1"]
    assert re.findall(r">(Person\d)</a>", second) == ["Person0"]
    assert "Page 2 of 2" in second


def test_the_customer_page_shows_the_journeys_on_the_timeline(owner_client, store):
    winback_history(store, customers=1)
    person = store.customers.get(external_id="c0")

    html = owner_client.get(url("customer", store, person.pk)).content.decode()

    assert 'data-kind="journey.entered"' in html
    assert "Completed the journey “Win-back”" in html
