"""The webhook channel posts signed JSON to a real HTTP server on loopback."""

import hashlib
import hmac
import socket

import pytest
import time_machine

from regulars.messaging.channels import webhook
from regulars.messaging.channels.base import ChannelError
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.tests.channel_helpers import outgoing

SECRET = "whsec_merchant-chosen-secret-123"


def _verify(secret: str, raw_body: bytes, signature_header: str) -> bool:
    """The check docs/messaging-webhook-channel.md gives merchants, as written there."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


def _sender(store, owner, url, secret=SECRET):
    config = do_configure_channel(
        store, owner, channel="webhook", enabled=True, url=url, secret=secret
    )
    return webhook.open_sender(config)


def test_a_message_arrives_signed_with_the_stores_secret(store, owner, http_receiver):
    sender = _sender(store, owner, f"{http_receiver.url}/hooks/regulars")

    with time_machine.travel("2026-03-01 12:00:00 +00:00", tick=False):
        provider_id = sender.send(outgoing("webhook", to_address="nok@example.com"))

    assert provider_id == ""
    [request] = http_receiver.received
    assert request.method == "POST"
    assert request.path == "/hooks/regulars"
    assert _verify(SECRET, request.body, request.header("X-Regulars-Signature"))
    assert request.header("X-Regulars-Timestamp") == "1772366400"
    assert request.header("Idempotency-Key") == "tok-abc123"
    assert request.header("Content-Type") == "application/json; charset=utf-8"
    assert request.json() == {
        "id": "tok-abc123",
        "store": store.public_id,
        "channel": "webhook",
        "purpose": "marketing",
        "customer": {
            "id": 42,
            "external_id": "cust-9",
            "email": "nok@example.com",
            "phone": "+66812345678",
        },
        "to": "nok@example.com",
        "subject": "Your records are back",
        "text": "สวัสดีค่ะ, your order shipped.",
        "html": "",
        "language": "th",
        "unsubscribe_url": "https://regulars.example/messaging/u/signed/",
    }


def test_a_signature_made_with_another_secret_does_not_verify(store, owner, http_receiver):
    sender = _sender(store, owner, f"{http_receiver.url}/hook")

    sender.send(outgoing("webhook"))

    [request] = http_receiver.received
    assert not _verify(
        "whsec_some-other-secret-1234", request.body, request.header("X-Regulars-Signature")
    )


def test_a_retry_carries_the_same_idempotency_key(store, owner, http_receiver):
    sender = _sender(store, owner, f"{http_receiver.url}/hook")
    http_receiver.answer(503)

    with pytest.raises(ChannelError):
        sender.send(outgoing("webhook"))
    http_receiver.answer(200)
    sender.send(outgoing("webhook"))

    keys = [r.header("Idempotency-Key") for r in http_receiver.received]
    assert keys == ["tok-abc123", "tok-abc123"]
    assert http_receiver.received[0].body == http_receiver.received[1].body


@pytest.mark.parametrize("status", [503, 500, 429, 408])
def test_a_busy_or_broken_receiver_is_transient(store, owner, http_receiver, status):
    sender = _sender(store, owner, f"{http_receiver.url}/hook")
    http_receiver.answer(status)

    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("webhook"))

    assert caught.value.transient is True
    assert caught.value.reason == f"the webhook receiver at 127.0.0.1 answered HTTP {status}"


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_a_refusing_receiver_is_permanent(store, owner, http_receiver, status):
    sender = _sender(store, owner, f"{http_receiver.url}/hook")
    http_receiver.answer(status)

    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("webhook"))

    assert caught.value.transient is False
    assert caught.value.dead_address is False
    assert caught.value.reason == f"the webhook receiver at 127.0.0.1 answered HTTP {status}"


def test_a_redirect_is_not_followed_and_is_permanent(store, owner, http_receiver):
    sender = _sender(store, owner, f"{http_receiver.url}/hook")
    http_receiver.answer(302)

    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("webhook"))

    assert caught.value.transient is False
    assert "answered HTTP 302 (a redirect; give the final URL)" in caught.value.reason
    assert len(http_receiver.received) == 1


def test_an_unreachable_receiver_is_transient_and_the_secret_stays_out(store, owner):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sender = _sender(store, owner, f"http://127.0.0.1:{closed_port}/hook?token=url-t0ken")

    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("webhook"))

    assert caught.value.transient is True
    assert caught.value.reason.startswith("the webhook receiver at 127.0.0.1 could not be reached")
    assert SECRET not in caught.value.reason
    assert "url-t0ken" not in caught.value.reason
