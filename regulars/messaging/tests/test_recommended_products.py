"""Recommendations: bought together with the customer's products, then best sellers; never
one they have, never unpublished or out of stock, never another store's."""

import pytest

from regulars.messaging.rendering import recommended_products
from regulars.messaging.tests import rendering_data as data


@pytest.fixture
def shop(store, other_store):
    for external_id in ("p1", "p2", "p3", "p6", "p7", "p8", "p9"):
        data.product(store, external_id, f"P{external_id[1:]}")
    data.product(store, "p4", "P4", published=False)
    data.product(store, "p5", "P5", in_stock=False)
    for external_id in ("c1", "c2", "c3", "c4", "c5", "c6", "new"):
        data.customer(store, external_id)
    orders = [
        ("1", "c1", [("p1", 1)], "paid"),
        ("2", "c2", [("p1", 1), ("p2", 1)], "paid"),
        ("3", "c3", [("p1", 1), ("p2", 1), ("p3", 1)], "paid"),
        ("4", "c4", [("p1", 1), ("p4", 1), ("p5", 1)], "paid"),
        ("5", "c5", [("p6", 5)], "paid"),
        ("6", "c6", [("p7", 9)], "cancelled"),
        ("7", "c1", [("p8", 1)], "pending"),  # c1 is about to get p8: not offered again
        ("8", "c5", [("p8", 10)], "paid"),
        ("9", "c6", [("p9", 1)], "paid"),
        ("10", "c2", [("p1", 1), ("p9", 1)], "pending"),  # not paid: not a co-purchase
    ]
    for external_id, customer_id, lines, status in orders:
        data.order(store, external_id, customer_id, lines, status=status)
    # Another store sells far more, with the same external ids; none of it may leak.
    data.product(other_store, "p1", "Theirs 1")
    data.product(other_store, "big", "Their best seller")
    data.customer(other_store, "t1")
    data.order(other_store, "1", "t1", [("p1", 1), ("big", 1000)])
    return store


def _titles(products):
    return [p["title"] for p in products]


def test_bought_together_comes_first_then_best_sellers(shop):
    customer = shop.customers.get(external_id="c1")

    assert _titles(recommended_products(shop, customer)) == ["P2", "P3", "P6", "P9"]


def test_a_customer_without_orders_gets_the_best_sellers(shop):
    customer = shop.customers.get(external_id="new")

    assert _titles(recommended_products(shop, customer)) == ["P8", "P6", "P1", "P2"]


def test_the_limit_is_kept(shop):
    customer = shop.customers.get(external_id="c1")

    assert _titles(recommended_products(shop, customer, limit=1)) == ["P2"]
    assert recommended_products(shop, customer, limit=0) == []


def test_each_product_comes_as_plain_variables(shop):
    customer = shop.customers.get(external_id="c1")

    assert recommended_products(shop, customer, limit=1) == [
        {
            "title": "P2",
            "url": "https://shop.example/p/p2",
            "image_url": "https://shop.example/i/p2.jpg",
            "price": "18.00 USD",
        }
    ]


def test_another_stores_customer_never_sees_this_stores_products(shop, other_store):
    theirs = other_store.customers.get(external_id="t1")

    assert recommended_products(other_store, theirs) == []


def test_it_is_one_query_however_many_orders(shop, django_assert_num_queries):
    customer = shop.customers.get(external_id="c1")
    for i in range(30):
        data.order(shop, f"bulk{i}", "c3", [("p1", 1), ("p2", 1)])

    with django_assert_num_queries(1):
        assert _titles(recommended_products(shop, customer)) == ["P2", "P3", "P6", "P9"]
