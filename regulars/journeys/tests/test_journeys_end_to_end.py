"""Built-in journeys end to end: a Shopify webhook or the clock in, an e-mail received by the
real SMTP server out, the worker's rounds run with the clock moved by time-machine."""

from datetime import UTC, datetime, timedelta

import time_machine

from regulars.commerce.models import Customer, Fulfillment
from regulars.commerce.tests.fixtures import encode, payload, raw
from regulars.journeys.enroll import enroll
from regulars.journeys.models import Conversion, Enrollment, EnrollmentStatus, StepRun
from regulars.journeys.tests.journey_data import journey_on, ordered, subscriber
from regulars.journeys.tests.journey_steps import html_of, worker_round
from regulars.promotions.models import Coupon


def paid_order() -> bytes:
    """Shopify's published orders/create sample (a voided order), as a paid one."""
    body = payload("shopify", "orders_create.json")
    body.update(financial_status="paid", cancelled_at=None, cancel_reason=None)
    return encode(body)


def test_a_cancelled_order_gets_no_confirmation(shop, send, smtp_server):
    journey_on(shop, "order_confirmation")
    send.shopify(shop, "orders/create", raw("shopify", "orders_create.json"))  # voided
    worker_round()
    assert smtp_server.messages() == []
    assert Enrollment.objects.get().exit_reason == "the order was cancelled or refunded"


def test_a_shopify_order_gets_its_confirmation_once(shop, send, smtp_server):
    journey_on(shop, "order_confirmation")

    send.shopify(shop, "orders/create", paid_order(), webhook_id="w1")
    send.shopify(shop, "orders/create", paid_order(), webhook_id="w1")
    send.shopify(shop, "orders/updated", paid_order(), webhook_id="w2")
    worker_round()

    mails = smtp_server.messages()
    assert len(mails) == 1
    assert "#9999" in mails[0]["Subject"] + html_of(mails[0])
    assert Enrollment.objects.get(journey__key="order_confirmation").status == "completed"


def test_a_switched_off_journey_sends_nothing(shop, send, smtp_server):
    send.shopify(shop, "orders/create", paid_order())
    worker_round()
    assert smtp_server.messages() == []


def test_delivery_follow_up_comes_a_day_after_delivery(shop, send, smtp_server):
    journey_on(shop, "delivery_followup")
    send.shopify(shop, "orders/create", paid_order())
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at="2022-01-04T15:20:00-05:00")
    delivered_at = datetime.now(UTC)
    send.shopify(shop, "fulfillments/update", encode(body))

    with time_machine.travel(delivered_at + timedelta(hours=23), tick=False):
        worker_round()
    assert smtp_server.messages() == []
    with time_machine.travel(delivered_at + timedelta(hours=24, minutes=1), tick=False):
        worker_round()
    assert len(smtp_server.messages()) == 1


def test_a_shipping_update_that_is_no_longer_true_is_skipped(shop, send, smtp_server):
    send.shopify(shop, "orders/create", paid_order())
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    journey = journey_on(shop, "shipping_update")
    # The "in transit" update was enrolled while the worker was down ...
    shipment = Fulfillment.objects.get()
    enroll(
        journey,
        shipment.order.customer_id,
        occurrence=f"f{shipment.pk}:in_transit",
        now=datetime.now(UTC),
        order_id=shipment.order_id,
        fulfillment_id=shipment.pk,
        context={"fulfillment_status": "in_transit"},
    )
    # ... and the parcel was delivered before it came back.
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at="2022-01-04T15:20:00-05:00")
    send.shopify(shop, "fulfillments/update", encode(body))
    worker_round()

    mails = smtp_server.messages()
    assert len(mails) == 1  # "delivered", not "on its way" after the fact
    skipped = StepRun.objects.get(outcome="skipped")
    assert "no longer in_transit" in skipped.detail


def test_anniversary_coupon_is_sent_redeemed_and_attributed(shop, smtp_server):
    now = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    customer = subscriber(shop, "ana")
    Customer.objects.filter(pk=customer.pk).update(
        first_order_at=datetime(2025, 6, 10, 9, 0, tzinfo=UTC), orders_count=1
    )
    journey_on(shop, "first_order_anniversary", local_time="")

    with time_machine.travel(now, tick=False):
        worker_round(now)
        worker_round(now)  # the same day again enrolls no one twice

    coupon = Coupon.objects.get(store=shop, customer=customer)
    mails = smtp_server.messages()
    assert len(mails) == 1
    assert coupon.code in html_of(mails[0])

    order = ordered(shop, customer, "5001", now + timedelta(days=1), coupon_codes=[coupon.code])
    coupon.refresh_from_db()
    assert coupon.redeemed_order_id == order.pk
    conversion = Conversion.objects.get(order=order)
    assert conversion.journey.key == "first_order_anniversary"
    assert conversion.revenue == order.total


def test_an_order_ends_the_abandoned_cart_journey(shop, send, smtp_server):
    customer = subscriber(shop, "bo")
    journey_on(shop, "abandoned_cart")
    from regulars.commerce.schemas import CartIn
    from regulars.commerce.services import upsert_cart

    left = datetime.now(UTC)
    with time_machine.travel(left, tick=False):
        upsert_cart(
            shop,
            CartIn(
                token="k1",
                customer_external_id=customer.external_id,
                currency="USD",
                checkout_url="https://shop.example/checkout/k1",
                updated_at=left.isoformat(),
                lines=[{"title": "Kind of Blue LP", "quantity": 1, "unit_price": "25.00"}],
            ),
            source="api",
        )
    with time_machine.travel(left + timedelta(minutes=30), tick=False):
        worker_round()
    assert smtp_server.messages() == []
    with time_machine.travel(left + timedelta(minutes=61), tick=False):
        worker_round()
    first = smtp_server.messages()
    assert len(first) == 1 and "Kind of Blue LP" in html_of(first[0])

    ordered(shop, customer, "6001", left + timedelta(hours=2))
    with time_machine.travel(left + timedelta(hours=25), tick=False):
        worker_round()
    assert len(smtp_server.messages()) == 1
    enrollment = Enrollment.objects.get(journey__key="abandoned_cart")
    assert enrollment.status == EnrollmentStatus.EXITED
    assert enrollment.exit_reason in ("the cart was bought", "the customer ordered")
