"""Signing in with the e-mail address, rate-limited per address and e-mail; signing out."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from regulars.conftest import PASSWORD
from regulars.dashboard.forms import LOGIN_ATTEMPTS_PER_MINUTE
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["customers", "orders", "deliveries", "imports", "store_settings", "api_keys"]
)
def test_a_store_page_sends_an_anonymous_visitor_to_sign_in(client, store, name):
    response = client.get(url(name, store))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url(name, store)}"


def test_it_signs_in_with_the_email_address_whatever_its_case(client, store, owner):
    response = client.post("/login/", {"username": " Owner@Example.com ", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == url("customers", store)


def test_it_refuses_a_wrong_password_and_stays_signed_out(client, owner):
    response = client.post("/login/", {"username": owner.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert b"This e-mail address and password do not match an account." in response.content
    assert "_auth_user_id" not in client.session


@time_machine.travel(datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC), tick=False)
def test_it_stops_guessing_after_the_limit_even_with_the_right_password(client, owner):
    for _ in range(LOGIN_ATTEMPTS_PER_MINUTE):
        client.post("/login/", {"username": owner.email, "password": "guess"})

    response = client.post("/login/", {"username": owner.email, "password": PASSWORD})

    assert response.status_code == 429
    assert b"Too many sign-in attempts for this e-mail address. Wait 55 seconds" in response.content
    assert "_auth_user_id" not in client.session


@time_machine.travel(datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC), tick=False)
def test_the_limit_counts_one_email_so_another_user_can_still_sign_in(client, owner, member):
    for _ in range(LOGIN_ATTEMPTS_PER_MINUTE + 1):
        client.post("/login/", {"username": owner.email, "password": "guess"})

    response = client.post("/login/", {"username": member.email, "password": PASSWORD})

    assert response.status_code == 302


def test_the_limit_is_lifted_in_the_next_minute(client, owner):
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC), tick=False):
        for _ in range(LOGIN_ATTEMPTS_PER_MINUTE + 1):
            client.post("/login/", {"username": owner.email, "password": "guess"})
    with time_machine.travel(datetime(2026, 3, 1, 12, 1, 5, tzinfo=UTC), tick=False):
        response = client.post("/login/", {"username": owner.email, "password": PASSWORD})

    assert response.status_code == 302


def test_the_sign_in_form_needs_its_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": owner.email, "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_signing_out_is_a_post_that_ends_the_session(client, store, owner):
    client.force_login(owner)

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get(url("customers", store)).status_code == 302


def test_home_says_so_when_the_user_is_staff_of_no_store(client, outsider):
    client.force_login(outsider)

    response = client.get("/")

    assert response.status_code == 200
    assert b"You are not staff of any store yet" in response.content


def test_the_store_switcher_lists_only_the_users_stores(client, store, other_store, owner):
    client.force_login(owner)

    html = client.get(url("customers", store)).content.decode()

    assert 'href="/s/vinyl-corner/customers/" aria-current="true">Vinyl Corner</a>' in html
    assert "Bangkok Beats" not in html
