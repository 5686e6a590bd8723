"""The message log: newest first, filtered by status, channel, purpose, template, source,
customer and days in the store's time zone."""

import pytest
import time_machine

from regulars.dashboard.tests.messaging_data import queued_message, sent_message, template
from regulars.dashboard.tests.shop import customer, listed, url
from regulars.messaging.services.sending import do_queue_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(store):
    ana = customer(store, "c1", first_name="Ana", email="ana@example.com")
    bo = customer(store, "c2", first_name="Bo", email="bo@shop.example")
    template(store, purpose="transactional")
    with time_machine.travel("2026-02-20T12:00:00Z", tick=False):
        do_queue_message(
            store, bo, channel="email", purpose="transactional", template_key="welcome"
        )
    # The store is in New York: 03:30 UTC on March 2 is still March 1 there.
    with time_machine.travel("2026-03-02T03:30:00Z", tick=False):
        queued_message(store, ana, subject="Late March 1")
    with time_machine.travel("2026-03-02T15:00:00Z", tick=False):
        sent_message(store, bo, subject="Receipt for Bo")
    with time_machine.travel("2026-03-03T15:00:00Z", tick=False):
        queued_message(store, ana, subject="Welcome SMS", channel="sms", body_text="Hi")
    return {"ana": ana, "bo": bo}


def _subjects(client, store, query: str = "") -> list[str]:
    return listed(client.get(url("messages", store) + query))


def test_it_lists_the_newest_first(client, store, owner, log):
    client.force_login(owner)

    assert _subjects(client, store) == [
        "Welcome SMS",
        "Receipt for Bo",
        "Late March 1",
        "Welcome to Vinyl Corner",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The welcome e-mail went out with Bo's receipt.
        ("?status=sent", ["Receipt for Bo", "Welcome to Vinyl Corner"]),
        # Dispatched with Bo's receipt, it had no marketing consent.
        ("?status=suppressed", ["Late March 1"]),
        ("?status=queued", ["Welcome SMS"]),
        ("?channel=sms", ["Welcome SMS"]),
        ("?purpose=transactional", ["Receipt for Bo", "Welcome to Vinyl Corner"]),
        ("?template_key=welcome", ["Welcome to Vinyl Corner"]),
        ("?source=journey", ["Welcome SMS", "Late March 1"]),
        ("?q=bo@shop", ["Receipt for Bo", "Welcome to Vinyl Corner"]),
        ("?q=ana", ["Welcome SMS", "Late March 1"]),
        ("?sent_from=2026-03-01&sent_to=2026-03-01", ["Late March 1"]),
        ("?sent_from=2026-03-02", ["Welcome SMS", "Receipt for Bo"]),
        ("?status=sent&channel=sms", []),
    ],
)
def test_each_filter_narrows_the_log(client, store, owner, log, query, expected):
    client.force_login(owner)

    assert _subjects(client, store, query) == expected


def test_the_customer_filter_shows_one_customers_messages(client, store, owner, log):
    client.force_login(owner)

    response = client.get(url("messages", store) + f"?customer={log['ana'].pk}")

    assert listed(response) == ["Welcome SMS", "Late March 1"]
    assert "Messages to <a href=" in response.content.decode()


def test_a_wrong_filter_is_reported_and_not_applied(client, store, owner, log):
    client.force_login(owner)

    response = client.get(url("messages", store) + "?status=lost&sent_from=yesterday")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. lost is not one of the available choices." in html
    assert "Enter a valid date." in html
    assert len(listed(response)) == 4


def test_the_template_filter_offers_the_keys_used(client, store, owner, log):
    client.force_login(owner)

    html = client.get(url("messages", store)).content.decode()

    assert '<option value="welcome">welcome</option>' in html
