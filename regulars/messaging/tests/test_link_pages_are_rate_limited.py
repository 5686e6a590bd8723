"""Each public page is rate-limited per IP address: past the limit, 429 and nothing happens."""

from datetime import UTC, datetime

import pytest
import time_machine

from regulars.commerce.models import ConsentChange
from regulars.messaging import links
from regulars.messaging.models import Click
from regulars.messaging.tests.link_pages import make_customer, make_message, path_of

NOON = datetime(2026, 5, 1, 12, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.REGULARS_PUBLIC_PAGE_RATE_LIMIT = 2


def test_the_unsubscribe_page_answers_429_past_the_limit_and_unsubscribes_no_one(client, store):
    customer = make_customer(store)
    path = path_of(links.unsubscribe_url(customer, "email"))
    with time_machine.travel(NOON, tick=False):
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200
        refused = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "Too many requests" in refused.content.decode()
    customer.refresh_from_db()
    assert customer.email_consent == "subscribed"
    assert not ConsentChange.objects.filter(customer=customer, state="unsubscribed").exists()


def test_forged_tokens_count_against_the_limit_too(client, store):
    customer = make_customer(store)
    with time_machine.travel(NOON, tick=False):
        client.get("/messaging/p/guess-1/")
        client.get("/messaging/p/guess-2/")
        refused = client.get(path_of(links.preferences_url(customer)))
    assert refused.status_code == 429


def test_the_click_counter_is_limited_and_records_nothing_past_the_limit(client, store):
    message = make_message(store, make_customer(store))
    path = path_of(links.tracked_url(message.token, "https://shop.example/"))
    with time_machine.travel(NOON, tick=False):
        codes = [client.get(path).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Click.objects.count() == 2


def test_another_address_and_the_next_minute_are_not_limited(client, store):
    customer = make_customer(store)
    path = path_of(links.confirm_url(customer))
    with time_machine.travel(NOON, tick=False):
        client.get(path)
        client.get(path)
        assert client.get(path).status_code == 429
        assert client.get(path, REMOTE_ADDR="203.0.113.9").status_code == 200
    with time_machine.travel(NOON.replace(minute=1), tick=False):
        assert client.get(path).status_code == 200
