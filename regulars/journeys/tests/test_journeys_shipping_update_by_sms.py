"""Shipping updates by SMS too, only to a customer who opted in: a Shopify shipment in, an
e-mail at the real SMTP server and a text at the SMS provider (a real loopback HTTP receiver
behind the store's Apprise URL) out."""

from regulars.commerce.models import Customer, Fulfillment
from regulars.commerce.tests.fixtures import raw
from regulars.journeys.models import Enrollment
from regulars.journeys.tests.journey_data import journey_on
from regulars.journeys.tests.journey_steps import worker_round
from regulars.journeys.tests.test_journeys_end_to_end import paid_order
from regulars.messaging.services.channels import do_configure_channel

PHONE = "+14155550123"


def _shipped(shop, send, owner, http_receiver, *, sms_consent: str) -> None:
    do_configure_channel(
        shop,
        owner,
        channel="sms",
        enabled=True,
        secret=f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}",
    )
    journey_on(shop, "shipping_update", sms_too=True)
    send.shopify(shop, "orders/create", paid_order())
    Customer.objects.filter(store=shop).update(phone=PHONE, sms_consent=sms_consent)
    send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    worker_round()


def test_an_opted_in_customer_gets_the_shipping_update_by_email_and_sms(
    shop, send, owner, smtp_server, http_receiver
):
    _shipped(shop, send, owner, http_receiver, sms_consent="subscribed")

    assert len(smtp_server.messages()) == 1
    [text] = http_receiver.received
    assert text.json()["to"] == PHONE
    shipment = Fulfillment.objects.get()
    assert shipment.tracking_number and shipment.tracking_number in text.json()["message"]
    assert Enrollment.objects.get().status == "completed"


def test_without_sms_consent_the_update_goes_by_email_only(
    shop, send, owner, smtp_server, http_receiver
):
    _shipped(shop, send, owner, http_receiver, sms_consent="unknown")

    assert len(smtp_server.messages()) == 1
    assert http_receiver.received == []
    enrollment = Enrollment.objects.get()
    assert enrollment.status == "exited"
