"""Messages queued on SMS and on the webhook channel go out through the real send pipeline."""

import hashlib
import hmac

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.models import Channel, MessageStatus, Purpose
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.services.sending import dispatch_due, do_queue_message


def _customer(store):
    # SMS needs an explicit opt-in, even for an order update.
    data = CustomerIn(
        external_id="c-77", email="nok@example.com", phone="+66812345678", sms_consent="subscribed"
    )
    return upsert_customer(store, data, source="api").obj


def _queue(store, customer, channel):
    return do_queue_message(
        store,
        customer,
        channel=channel,
        purpose=Purpose.TRANSACTIONAL,
        subject="Order #1001 shipped",
        body_text="ส่งแล้วค่ะ",
    )


def test_an_sms_is_delivered_to_the_customers_phone(store, owner, http_receiver):
    do_configure_channel(
        store,
        owner,
        channel="sms",
        enabled=True,
        secret=f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}",
    )
    message = _queue(store, _customer(store), Channel.SMS)

    dispatch_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [request] = http_receiver.received
    assert request.json()["to"] == "+66812345678"
    assert request.json()["message"] == "ส่งแล้วค่ะ"


def test_a_refused_sms_fails_with_the_reason(store, owner, http_receiver):
    do_configure_channel(
        store,
        owner,
        channel="sms",
        enabled=True,
        secret=f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}",
    )
    http_receiver.answer(400)
    message = _queue(store, _customer(store), Channel.SMS)

    dispatch_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "error=400" in message.status_reason


def test_a_webhook_message_is_delivered_signed(store, owner, http_receiver):
    config = do_configure_channel(
        store, owner, channel="webhook", enabled=True, url=f"{http_receiver.url}/hook"
    )
    message = _queue(store, _customer(store), Channel.WEBHOOK)

    dispatch_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [request] = http_receiver.received
    expected = hmac.new(config.new_secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.header("X-Regulars-Signature") == "sha256=" + expected
    assert request.header("Idempotency-Key") == message.token
    assert request.json()["id"] == message.token
    assert request.json()["customer"]["external_id"] == "c-77"


def test_a_busy_webhook_receiver_gets_the_message_again_later(store, owner, http_receiver):
    do_configure_channel(
        store, owner, channel="webhook", enabled=True, url=f"{http_receiver.url}/hook"
    )
    http_receiver.answer(503)
    message = _queue(store, _customer(store), Channel.WEBHOOK)

    dispatch_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.status_reason.endswith("the webhook receiver at 127.0.0.1 answered HTTP 503")
    assert message.attempts == 1
