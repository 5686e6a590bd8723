"""Apprise json:// notifications reach a real HTTP server on loopback, one per customer."""

import pytest

from regulars.messaging.channels import apprise_channel
from regulars.messaging.channels.base import ChannelError, ChannelNotConfigured
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.tests.channel_helpers import outgoing


def _sender(store, owner, channel, url):
    config = do_configure_channel(store, owner, channel=channel, enabled=True, secret=url)
    return apprise_channel.open_sender(config)


def test_an_sms_goes_to_the_customers_number(store, owner, http_receiver):
    sender = _sender(
        store, owner, "sms", f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}"
    )

    provider_id = sender.send(outgoing("sms"))

    assert provider_id == ""
    [request] = http_receiver.received
    assert request.method == "POST"
    assert request.path == "/sms"
    assert request.json() == {
        "version": "1.0",
        "title": "Your records are back",
        "message": "สวัสดีค่ะ, your order shipped.",
        "attachments": [],
        "type": "info",
        "to": "+66812345678",
    }


def test_each_message_gets_its_own_recipient(store, owner, http_receiver):
    sender = _sender(
        store, owner, "sms", f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}"
    )

    sender.send(outgoing("sms", to_address="+66812345678"))
    sender.send(outgoing("sms", to_address="+37491234567"))

    assert [r.json()["to"] for r in http_receiver.received] == ["+66812345678", "+37491234567"]


def test_a_whatsapp_message_without_a_subject_has_an_empty_title(store, owner, http_receiver):
    sender = _sender(
        store, owner, "whatsapp", f"json://127.0.0.1:{http_receiver.port}/wa?:to={{phone}}"
    )

    sender.send(outgoing("whatsapp", subject="", body_text="Բարեւ, ձեր պատվերը ճանապարհին է"))

    [request] = http_receiver.received
    assert request.json()["title"] == ""
    assert request.json()["message"] == "Բարեւ, ձեր պատվերը ճանապարհին է"


def test_a_push_address_is_filled_from_the_customers_external_id(store, owner, http_receiver):
    sender = _sender(
        store,
        owner,
        "push",
        f"json://127.0.0.1:{http_receiver.port}/push/{{external_id}}?:user={{customer_id}}",
    )

    sender.send(
        outgoing("push", to_address="", extra={"external_id": "a/b c", "customer_id": "42"})
    )

    [request] = http_receiver.received
    # The value is URL-quoted into the path, so a slash or space cannot change the address.
    assert request.path == "/push/a%2Fb%20c"
    assert request.json()["user"] == "42"


def test_a_customer_without_the_value_the_address_needs_fails_for_good(store, owner, http_receiver):
    sender = _sender(
        store, owner, "push", f"json://127.0.0.1:{http_receiver.port}/push/{{external_id}}"
    )

    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("push", to_address="", extra={"external_id": ""}))

    assert caught.value.transient is False
    assert caught.value.reason == "the customer has no external_id for the push address"
    assert http_receiver.received == []


def test_a_switched_off_channel_gives_no_sender(store, owner, http_receiver):
    config = do_configure_channel(
        store,
        owner,
        channel="sms",
        enabled=False,
        secret=f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}",
    )

    with pytest.raises(ChannelNotConfigured):
        apprise_channel.open_sender(config)
