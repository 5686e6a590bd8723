import pytest

from regulars.commerce.errors import OrderNotFound
from regulars.commerce.models import Cart, Customer, Event, Fulfillment
from regulars.commerce.schemas import EventIn
from regulars.commerce.services import (
    do_set_consent,
    record_event,
    upsert_cart,
    upsert_customer,
    upsert_fulfillment,
    upsert_order,
)
from regulars.commerce.tests.builders import cart_in, customer_in, fulfillment_in, order_in


def test_a_fulfillment_needs_its_order_first(store):
    with pytest.raises(OrderNotFound) as caught:
        upsert_fulfillment(store, fulfillment_in(), source="api")
    assert caught.value.field == "order_external_id"
    assert not Fulfillment.objects.exists()


def test_delivery_is_recorded_once_and_never_undone_by_a_late_copy(store):
    upsert_order(store, order_in(), source="api")
    upsert_fulfillment(store, fulfillment_in(), source="api")
    delivered = upsert_fulfillment(
        store,
        fulfillment_in(status="delivered", updated_at="2026-03-04T10:00:00Z"),
        source="api",
    )
    assert delivered.updated
    assert delivered.obj.delivered_at.isoformat() == "2026-03-04T10:00:00+00:00"
    late = upsert_fulfillment(store, fulfillment_in(status="in_transit"), source="api")
    assert late.stale
    assert Fulfillment.objects.get().status == "delivered"


def test_an_order_recovers_the_cart_it_completed(store):
    upsert_cart(store, cart_in(), source="api")
    upsert_order(store, order_in(cart_token="cart-1"), source="api")
    cart = Cart.objects.get()
    assert cart.recovered_order.external_id == "1001"
    assert str(cart.value) == "15.000"


def test_an_order_recovers_the_same_customers_recent_open_cart(store):
    upsert_cart(store, cart_in(token="c-old", updated_at="2026-02-01T09:00:00Z"), source="api")
    upsert_cart(store, cart_in(token="c-new"), source="api")
    upsert_order(store, order_in(), source="api")
    assert Cart.objects.get(token="c-new").recovered_order is not None
    assert Cart.objects.get(token="c-old").recovered_order is None


def test_consent_keeps_time_and_source(store):
    customer = upsert_customer(
        store,
        customer_in(email_consent="subscribed", email_consent_at="2026-01-01T08:00:00Z"),
        source="shopify",
    ).obj
    assert (customer.email_consent, customer.email_consent_source) == ("subscribed", "shopify")
    assert customer.email_consent_at.isoformat() == "2026-01-01T08:00:00+00:00"
    assert do_set_consent(customer, channel="sms", state="unsubscribed", source="sms-stop")
    assert not do_set_consent(customer, channel="sms", state="unsubscribed", source="sms-stop")
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.sms_consent_source) == ("unsubscribed", "sms-stop")


def test_empty_values_do_not_erase_what_is_known(store):
    upsert_customer(store, customer_in(phone="+66 81 234 5678", last_name="Silva"), source="api")
    upsert_customer(store, customer_in(first_name="Ana Maria"), source="api")
    customer = Customer.objects.get()
    assert (customer.first_name, customer.last_name, customer.phone) == (
        "Ana Maria",
        "Silva",
        "+66812345678",
    )


def test_events_are_idempotent_on_their_external_id(store):
    data = EventIn(
        external_id="e1",
        email="ana@example.com",
        kind="product_viewed",
        properties={"product_id": "p1"},
        occurred_at="2026-03-01T10:00:00Z",
    )
    assert record_event(store, data, source="api").created
    assert not record_event(store, data, source="api").created
    assert Event.objects.count() == 1
    assert Event.objects.get().customer.email == "ana@example.com"
