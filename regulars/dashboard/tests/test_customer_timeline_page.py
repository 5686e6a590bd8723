"""A customer's page: the profile and one timeline of everything, newest first, in the store's
time zone (America/New_York for the `store` fixture)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from regulars.commerce.models import Customer
from regulars.dashboard.tests.shop import cart, customer, event, order, shipment, url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("frozen"),
]


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def ana(store) -> Customer:
    customer(
        store,
        "c1",
        first_name="Ana",
        last_name="Silva",
        phone="+66812345678",
        language="th",
        timezone="Asia/Bangkok",
        birthday="1990-05-02",
        email_consent="subscribed",
        email_consent_at="2026-01-05T14:30:00Z",
    )
    event(store, "c1", "searched", {"query": "coltrane", "results": 7}, "2026-03-01T14:00:00Z")
    order(store, "1001", "c1", placed_at="2026-03-01T15:00:00Z", coupon_codes=["WELCOME10"])
    shipment(
        store,
        "f1",
        "1001",
        status="delivered",
        shipped_at="2026-03-02T16:00:00Z",
        delivered_at="2026-03-03T20:30:00Z",
    )
    cart(store, "t1", "c1", updated_at="2026-03-04T12:00:00Z")
    order(
        store,
        "1001",
        "c1",
        placed_at="2026-03-01T15:00:00Z",
        status="refunded",
        refunded_at="2026-03-05T08:00:00Z",
        updated_at="2026-03-05T08:00:00Z",
        coupon_codes=["WELCOME10"],
    )
    return Customer.objects.get(store=store, external_id="c1")


def _entries(html: str) -> list[tuple[str, str]]:
    """(kind, local time) of each timeline entry, in page order."""
    return re.findall(
        r'data-kind="([^"]+)">.*?<time datetime="[^"]+">(\d\d:\d\d)</time>', html, flags=re.S
    )


def test_the_timeline_shows_every_source_newest_first_in_local_time(client, store, owner, ana):
    client.force_login(owner)

    html = client.get(url("customer", store, ana.pk)).content.decode()

    assert _entries(html) == [
        ("order.refunded", "03:00"),
        ("cart.abandoned", "07:00"),
        ("fulfillment.delivered", "15:30"),
        ("fulfillment.shipped", "11:00"),
        ("order.paid", "10:00"),
        ("order.placed", "10:00"),
        ("event.searched", "09:00"),
    ]
    assert "Thursday, March 5, 2026" in html
    assert "Sunday, March 1, 2026" in html


def test_timeline_entries_carry_amounts_links_and_details(client, store, owner, ana):
    client.force_login(owner)
    order_url = url("order", store, ana.orders.get().pk)

    html = client.get(url("customer", store, ana.pk)).content.decode()

    assert f'<a href="{order_url}">Placed order #1001</a>' in html
    assert '<span class="tl__amount">$30.00</span>' in html
    assert "· Coupon WELCOME10" in html
    assert 'href="https://www.ups.com/track?tracknum=1Z999"' in html
    assert "· UPS 1Z999" in html
    assert 'href="https://shop.example/checkouts/t1"' in html
    assert "Searched for “coltrane”" in html


def test_the_profile_shows_contact_consent_and_figures(client, store, owner, ana):
    client.force_login(owner)

    html = client.get(url("customer", store, ana.pk)).content.decode()

    for text in [
        "<h1>Ana Silva</h1>",
        "+66812345678",
        "<dd>Asia/Bangkok</dd>",
        "<dd>May 2, 1990</dd>",
        "<dd>th</dd>",
        'badge--consent-subscribed">Subscribed</span>',
        "since Jan 5, 2026 09:30 · via api",
        "Not asked",
    ]:
        assert text in html
    # The refunded order is no longer counted in the figures.
    assert '<span class="stat__value">0</span><span class="stat__label">Orders</span>' in html


def test_the_timeline_pages_backwards(client, store, owner):
    customer(store, "c1", first_name="Ana")
    for n in range(30):
        order(store, f"{2000 + n}", "c1", placed_at=f"2026-02-{n % 28 + 1:02d}T1{n % 10}:00:00Z")
    client.force_login(owner)
    page_url = url("customer", store, Customer.objects.get(store=store).pk)

    first = client.get(page_url).content.decode()
    older_link = re.search(r'href="(\?before=[^"]+)">Older', first).group(1).replace("&amp;", "&")
    second = client.get(page_url + older_link).content.decode()

    assert len(_entries(first)) == 50
    assert len(_entries(second)) == 10
    assert "Older ↓" not in second
    assert "↑ Newest" in second


def test_an_unreadable_cursor_shows_the_newest_page(client, store, owner, ana):
    client.force_login(owner)

    response = client.get(url("customer", store, ana.pk), {"before": "yesterday"})

    assert _entries(response.content.decode())[0] == ("order.refunded", "03:00")
