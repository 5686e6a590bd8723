"""Switching a journey and saving its settings must carry the page's CSRF token: a form posted
from another site changes nothing."""

import re

import pytest
from django.test import Client

from regulars.dashboard.tests.journeys_data import register_journey_templates
from regulars.dashboard.tests.shop import url
from regulars.journeys.models import Journey
from regulars.journeys.services import ensure_journeys

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(owner, store) -> Client:
    register_journey_templates()
    ensure_journeys(store)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_switch_or_a_save_without_the_token_is_refused(browser, store):
    switch = browser.post(url("journey_switch", store, "winback"), {"enabled": "on"})
    save = browser.post(url("journey", store, "winback"), {"channel": "sms"})

    assert (switch.status_code, save.status_code) == (403, 403)
    journey = Journey.objects.get(store=store, key="winback")
    assert (journey.enabled, journey.settings) == (False, {})


def test_the_lists_own_switch_form_works(browser, store):
    token = _token(browser.get(url("journeys", store)).content.decode())

    response = browser.post(
        url("journey_switch", store, "winback"), {"enabled": "on", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Journey.objects.get(store=store, key="winback").enabled
