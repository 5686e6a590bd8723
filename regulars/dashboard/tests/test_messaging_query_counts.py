"""The messaging pages cost the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.commerce.services import do_set_consent
from regulars.dashboard.tests.messaging_data import queued_message, suppressed, template
from regulars.dashboard.tests.shop import customer, url

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _messages(store, start: int, count: int) -> None:
    for n in range(start, start + count):
        person = customer(store, f"c{n}", first_name=f"Person {n}")
        queued_message(store, person, subject=f"Sale {n}")
        suppressed(store, f"gone{n}@example.com")


def test_the_log_and_the_suppression_list_cost_the_same_for_1_or_20_rows(client, store, owner):
    client.force_login(owner)
    _messages(store, 0, 1)
    few = (_queries(client, url("messages", store)), _queries(client, url("suppressions", store)))

    _messages(store, 1, 19)

    many = (_queries(client, url("messages", store)), _queries(client, url("suppressions", store)))
    assert many == few


def test_the_template_list_costs_the_same_for_1_or_12_templates(client, store, owner):
    client.force_login(owner)
    template(store, owner)
    few = _queries(client, url("message_templates", store))

    for n in range(11):
        template(store, owner, key=f"key-{n}", language=("en", "th", "hy")[n % 3])

    assert _queries(client, url("message_templates", store)) == few


def test_the_customer_page_costs_the_same_with_many_messages_and_consent_changes(
    client, store, owner
):
    client.force_login(owner)
    ana = customer(store, "c1", first_name="Ana")
    queued_message(store, ana)
    few = _queries(client, url("customer", store, ana.pk))

    for n in range(15):
        queued_message(store, ana, subject=f"Sale {n}")
        state = "subscribed" if n % 2 == 0 else "unsubscribed"
        do_set_consent(ana, channel="sms", state=state, source="dashboard", actor=owner)

    assert _queries(client, url("customer", store, ana.pk)) == few
