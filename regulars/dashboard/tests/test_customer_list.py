"""The customers list: search, filters, sorting and pages."""

import pytest

from regulars.dashboard.tests.shop import customer, listed, order, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(store):
    customer(
        store,
        "c1",
        first_name="Ana",
        last_name="Silva",
        email="ana@example.com",
        phone="+66812345678",
        language="th",
        email_consent="subscribed",
    )
    customer(
        store,
        "c2",
        first_name="Bob",
        last_name="Petrosyan",
        email="bob@shop.example",
        language="hy",
        email_consent="unsubscribed",
        sms_consent="subscribed",
    )
    customer(store, "c3", first_name="Cleo", last_name="Wong", language="en")
    order(store, "1001", "c1", placed_at="2026-02-20T10:00:00Z", total="25.00")
    # 03:00 UTC on March 2 is still March 1 in New York, the store's zone.
    order(store, "1002", "c1", placed_at="2026-03-02T03:00:00Z", total="35.00")
    order(store, "1003", "c2", placed_at="2026-02-10T15:00:00Z", total="30.00")
    return store


@pytest.fixture
def browse(client, people, owner):
    client.force_login(owner)
    return lambda **query: client.get(url("customers", people), query)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ana", ["Ana Silva"]),
        ("PETROS", ["Bob Petrosyan"]),
        ("shop.example", ["Bob Petrosyan"]),
        ("+6681234", ["Ana Silva"]),
        ("c3", ["Cleo Wong"]),
        ("ana silva", ["Ana Silva"]),
        ("ana wong", []),
    ],
)
def test_search_matches_name_email_phone_and_customer_id(browse, q, expected):
    assert listed(browse(q=q)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"language": "hy"}, ["Bob Petrosyan"]),
        ({"email_consent": "subscribed"}, ["Ana Silva"]),
        ({"sms_consent": "subscribed"}, ["Bob Petrosyan"]),
        ({"orders": "repeat"}, ["Ana Silva"]),
        ({"orders": "one"}, ["Bob Petrosyan"]),
        ({"orders": "none"}, ["Cleo Wong"]),
        ({"orders": "repeat", "language": "hy"}, []),
    ],
)
def test_filters_keep_the_matching_customers(browse, filters, expected):
    assert listed(browse(**filters)) == expected


def test_last_order_dates_are_days_in_the_stores_time_zone(browse):
    assert listed(browse(last_order_from="2026-03-01", last_order_to="2026-03-01")) == ["Ana Silva"]
    assert listed(browse(last_order_from="2026-03-02")) == []
    assert listed(browse(last_order_to="2026-02-28")) == ["Bob Petrosyan"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-last_order", ["Ana Silva", "Bob Petrosyan", "Cleo Wong"]),
        ("last_order", ["Bob Petrosyan", "Ana Silva", "Cleo Wong"]),
        ("-total_spent", ["Ana Silva", "Bob Petrosyan", "Cleo Wong"]),
        ("total_spent", ["Cleo Wong", "Bob Petrosyan", "Ana Silva"]),
        ("created", ["Ana Silva", "Bob Petrosyan", "Cleo Wong"]),
        ("-created", ["Cleo Wong", "Bob Petrosyan", "Ana Silva"]),
    ],
)
def test_it_sorts_by_last_order_total_spent_and_creation(browse, sort, expected):
    assert listed(browse(sort=sort)) == expected


def test_the_list_shows_figures_in_the_stores_currency(browse):
    html = browse(q="ana").content.decode()

    assert '<td class="num" data-label="Spent">$60.00</td>' in html
    assert '<td class="num" data-label="Orders">2</td>' in html
    assert ">Mar 1, 2026</time>" in html


def test_a_bad_filter_is_reported_and_the_good_ones_still_apply(browse):
    response = browse(language="hy", last_order_from="not-a-date", orders="bogus")

    assert response.status_code == 200
    assert listed(response) == ["Bob Petrosyan"]
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert "Select a valid choice. bogus is not one of the available choices." in html


def test_it_pages_through_many_customers(client, store, owner):
    for n in range(52):
        customer(store, f"p{n:02d}", first_name=f"Person{n:02d}")
    client.force_login(owner)

    first = client.get(url("customers", store), {"sort": "created"})
    second = client.get(url("customers", store), {"sort": "created", "page": 2})

    assert len(listed(first)) == 50
    assert listed(second) == ["Person50", "Person51"]
    assert "Page 2 of 2" in second.content.decode()
    assert 'href="?sort=created&amp;page=1"' in second.content.decode()


def test_a_filtered_list_offers_a_reset_to_the_whole_list(browse, people):
    reset = f'<a class="btn btn--ghost" href="{url("customers", people)}">Reset</a>'

    assert reset in browse(language="hy").content.decode()
    assert reset not in browse().content.decode()
