"""An order that arrives carrying a coupon's code (any case) redeems it, once; a code of
another store redeems nothing; a CSV import is history and redeems nothing."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from regulars.commerce.domain_events import ORDER_PAID, ORDER_PLACED, ORDERS_IMPORTED
from regulars.commerce.models import Customer, Order
from regulars.commerce.services import upsert_order
from regulars.commerce.tests.builders import order_in
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.core.events import handlers_for
from regulars.promotions.models import Coupon, CouponStatus
from regulars.promotions.services import do_issue_coupon, redeem_order_coupons

PLACED = datetime(2022, 1, 1, tzinfo=UTC)  # the fixture's processed_at, 2021-12-31T19:00-05:00


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


def _shopify_order(order_id: int, name: str, codes: list[str]) -> bytes:
    data = payload("shopify", "orders_create.json")
    data["id"] = order_id
    data["name"] = name
    data["cancelled_at"], data["financial_status"] = None, "paid"
    data["discount_codes"] = [
        {"code": code, "amount": "10.00", "type": "percentage"} for code in codes
    ]
    return encode(data)


@pytest.fixture
def shopify_customer(store, send):
    """The customer of a first Shopify order, as the store's webhooks make them."""
    connect(store)
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))
    return Customer.objects.get(store=store, external_id="115310627314723954")


def test_a_later_shopify_order_carrying_the_code_redeems_the_coupon(store, send, shopify_customer):
    coupon = do_issue_coupon(store, shopify_customer, kind="percent", value=10, prefix="BACK")

    send.shopify(store, "orders/create", _shopify_order(1002, "#1002", [coupon.code.lower()]))

    order = Order.objects.get(store=store, external_id="1002")
    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.REDEEMED
    assert coupon.redeemed_order == order
    assert coupon.redeemed_at == PLACED


def test_a_second_order_with_the_same_code_does_not_move_it(store, send, shopify_customer):
    coupon = do_issue_coupon(store, shopify_customer, kind="percent", value=10)
    send.shopify(store, "orders/create", _shopify_order(1002, "#1002", [coupon.code]))

    send.shopify(store, "orders/create", _shopify_order(1003, "#1003", [f" {coupon.code} "]))

    coupon.refresh_from_db()
    assert coupon.redeemed_order.external_id == "1002"


def test_the_same_order_seen_again_redeems_nothing_more(store, customer):
    coupon = do_issue_coupon(store, customer, kind="percent", value=10)
    order = upsert_order(store, order_in("2001", coupon_codes=[coupon.code]), source="api").obj

    assert redeem_order_coupons(store_id=store.pk, order_id=order.pk) == [coupon.pk]
    assert redeem_order_coupons(store_id=store.pk, order_id=order.pk) == []


def test_an_api_order_redeems_through_the_domain_event(
    store, customer, django_capture_on_commit_callbacks
):
    coupon = do_issue_coupon(store, customer, kind="fixed_amount", value=5)

    with django_capture_on_commit_callbacks(execute=True):
        upsert_order(store, order_in("2001", coupon_codes=[coupon.code.lower()]), source="api")

    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.REDEEMED
    assert coupon.redeemed_order.external_id == "2001"


def test_a_code_of_another_store_is_not_redeemed(
    store, customer, other_store, other_customer, django_capture_on_commit_callbacks
):
    theirs = do_issue_coupon(other_store, other_customer, kind="percent", value=10)

    with django_capture_on_commit_callbacks(execute=True):
        order = upsert_order(store, order_in("2001", coupon_codes=[theirs.code]), source="api").obj

    theirs.refresh_from_db()
    assert theirs.status == CouponStatus.ISSUED
    assert theirs.redeemed_order is None
    assert redeem_order_coupons(store_id=other_store.pk, order_id=order.pk) == []


def test_an_order_without_codes_redeems_nothing(store, customer):
    coupon = do_issue_coupon(store, customer, kind="percent", value=10)
    order = upsert_order(store, order_in("2001"), source="api").obj

    assert redeem_order_coupons(store_id=store.pk, order_id=order.pk) == []
    coupon.refresh_from_db()
    assert coupon.status == CouponStatus.ISSUED


def test_placement_and_payment_redeem_but_imports_do_not():
    assert redeem_order_coupons in handlers_for(ORDER_PLACED)
    assert redeem_order_coupons in handlers_for(ORDER_PAID)
    assert redeem_order_coupons not in handlers_for(ORDERS_IMPORTED)


@pytest.mark.django_db(transaction=True)
def test_two_workers_redeeming_at_once_redeem_it_once(store, customer):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (tools/with_postgres.py)")
    coupon = do_issue_coupon(store, customer, kind="percent", value=10)
    # Written directly: through upsert_order the first would redeem it at once, on commit.
    orders = [
        Order.objects.create(
            store=store,
            external_id=str(n),
            customer=customer,
            currency="USD",
            coupon_codes=[coupon.code],
            placed_at=PLACED,
        )
        for n in (3001, 3002)
    ]
    start = threading.Barrier(len(orders))
    results: dict[int, list[int]] = {}

    def worker(order):
        try:
            start.wait(5)
            results[order.pk] = redeem_order_coupons(store_id=store.pk, order_id=order.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(len(ids) for ids in results.values()) == [0, 1]
    coupon = Coupon.objects.get(pk=coupon.pk)
    winner = next(pk for pk, ids in results.items() if ids)
    assert coupon.redeemed_order_id == winner
