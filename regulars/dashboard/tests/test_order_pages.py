"""Orders: the list with search and filters, and one order with lines, totals and shipments."""

import pytest

from regulars.dashboard.tests.shop import customer, listed, order, shipment, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(store):
    customer(store, "c1", first_name="Ana", email="ana@example.com")
    customer(store, "c2", first_name="Bob", email="bob@shop.example")
    order(store, "5001", "c1", name="#1001", placed_at="2026-02-27T12:00:00Z")
    order(store, "5002", "c2", name="#1002", status="pending", placed_at="2026-03-01T12:00:00Z")
    # 02:00 UTC on March 3 is March 2 in New York.
    order(store, "5003", "c1", name="#1003", status="cancelled", placed_at="2026-03-03T02:00:00Z")
    return store


@pytest.fixture
def browse(client, orders, owner):
    client.force_login(owner)
    return lambda **query: client.get(url("orders", orders), query)


def test_the_list_shows_the_newest_order_first(browse):
    assert listed(browse()) == ["#1003", "#1002", "#1001"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "1002"}, ["#1002"]),
        ({"q": "5003"}, ["#1003"]),
        ({"q": "shop.example"}, ["#1002"]),
        ({"status": "cancelled"}, ["#1003"]),
        ({"status": "paid"}, ["#1001"]),
        ({"placed_from": "2026-03-01"}, ["#1003", "#1002"]),
        ({"placed_to": "2026-03-01"}, ["#1002", "#1001"]),
        ({"placed_from": "2026-03-02", "placed_to": "2026-03-02"}, ["#1003"]),
    ],
)
def test_search_and_filters(browse, query, expected):
    assert listed(browse(**query)) == expected


def test_the_list_shows_status_total_and_customer(browse, orders):
    html = browse(q="1001").content.decode()

    assert '<span class="badge badge--paid">Paid</span>' in html
    assert '<td class="num">$30.00</td>' in html
    assert ">Ana</a>" in html


def test_the_order_page_shows_lines_totals_coupons_shipments_and_customer(client, store, owner):
    ana = customer(store, "c1", first_name="Ana")
    placed = order(
        store,
        "5001",
        "c1",
        name="#1001",
        coupon_codes=["WELCOME10"],
        discount_total="3.00",
        shipping_total="5.00",
        tax_total="2.00",
        total="34.00",
        subtotal="30.00",
    )
    shipment(store, "f1", "5001", status="delivered", delivered_at="2026-03-03T20:30:00Z")
    client.force_login(owner)

    html = client.get(url("order", store, placed.pk)).content.decode()

    for text in [
        "Order #1001",
        "<td>Blue Train LP</td>",
        '<td class="hide-sm muted">BT-1</td>',
        '<td class="num">2</td>',
        '<td class="num hide-sm">$15.00</td>',
        "<dt>Subtotal</dt><dd>$30.00</dd>",
        "<dt>Discounts (WELCOME10)</dt><dd>−$3.00</dd>",
        "<dt>Shipping</dt><dd>$5.00</dd>",
        "<dt>Tax</dt><dd>$2.00</dd>",
        '<dd class="totals__grand">$34.00</dd>',
        'href="https://www.ups.com/track?tracknum=1Z999"',
        'badge--delivered">Delivered</span>',
        "Mar 3, 2026 15:30",
        f'href="{url("customer", store, ana.pk)}">Ana</a>',
    ]:
        assert text in html, text
