"""The journeys pages cost the same number of queries whatever the number of customers who went
through a journey."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from regulars.dashboard.tests.journeys_data import winback_history
from regulars.dashboard.tests.shop import url
from regulars.journeys.tests.journey_data import enter, subscriber

pytestmark = pytest.mark.django_db

PAGES = [("journeys",), ("journey", "winback"), ("journey_enrollments", "winback")]


def _queries(client, store) -> list[int]:
    counts = []
    for name, *args in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(name, store, *args))
        assert response.status_code == 200
        counts.append(len(captured))
    return counts


def test_the_list_editor_and_enrollments_cost_the_same_for_1_or_12_customers(client, store, owner):
    client.force_login(owner)
    winback = winback_history(store, customers=1)
    few = _queries(client, store)

    for n in range(1, 12):
        enter(winback, subscriber(store, f"more{n}"), timezone.now())

    assert _queries(client, store) == few
