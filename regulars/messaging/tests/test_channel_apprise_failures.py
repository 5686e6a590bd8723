"""A failed Apprise notification becomes a ChannelError: retried, failed, or a dead address;
and the URL's secrets never appear in the reason."""

import socket

import pytest

from regulars.messaging.channels import apprise_channel
from regulars.messaging.channels.base import ChannelError
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.tests.channel_helpers import outgoing

SECRETS = ("s3cr3t-pass", "hdr-t0ken-xyz", "path-k3y-123")


def _secret_url(port: int) -> str:
    return (
        f"json://apiuser:{SECRETS[0]}@127.0.0.1:{port}/{SECRETS[2]}/send"
        f"?:to={{phone}}&+X-Api-Key={SECRETS[1]}"
    )


def _failure(store, owner, url) -> ChannelError:
    config = do_configure_channel(store, owner, channel="sms", enabled=True, secret=url)
    sender = apprise_channel.open_sender(config)
    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("sms"))
    return caught.value


def _assert_no_secret(error: ChannelError) -> None:
    for secret in SECRETS:
        assert secret not in error.reason
        assert secret not in str(error)


def test_a_503_is_transient(store, owner, http_receiver):
    http_receiver.answer(503)

    error = _failure(store, owner, _secret_url(http_receiver.port))

    assert error.transient is True
    assert error.dead_address is False
    assert "error=503" in error.reason
    _assert_no_secret(error)
    assert len(http_receiver.received) == 1


def test_a_429_is_transient(store, owner, http_receiver):
    http_receiver.answer(429)

    error = _failure(store, owner, _secret_url(http_receiver.port))

    assert error.transient is True
    assert "error=429" in error.reason


def test_a_400_is_permanent(store, owner, http_receiver):
    http_receiver.answer(400)

    error = _failure(store, owner, _secret_url(http_receiver.port))

    assert error.transient is False
    assert error.dead_address is False
    assert "error=400" in error.reason
    _assert_no_secret(error)


def test_a_refused_connection_is_transient(store, owner):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    error = _failure(store, owner, _secret_url(closed_port))

    assert error.transient is True
    assert "A Connection error occurred" in error.reason
    _assert_no_secret(error)


def test_a_number_the_service_calls_invalid_is_a_dead_address(store, owner):
    # Twilio's plugin drops a malformed number while the URL is loaded (and would then text
    # the store's own number instead), so nothing may be sent: no request leaves the machine.
    url = "twilio://AC0123456789abcdef0123456789abcdef:0123456789abcdef0123456789abcdef@+15551230000/{phone}"
    config = do_configure_channel(store, owner, channel="sms", enabled=True, secret=url)
    sender = apprise_channel.open_sender(config)

    with pytest.raises(ChannelError) as caught:
        sender.send(outgoing("sms", to_address="+12"))

    assert caught.value.transient is False
    assert caught.value.dead_address is True
    assert caught.value.reason == "Dropped invalid phone # (+12) specified."
    assert "0123456789abcdef0123456789abcdef" not in caught.value.reason


def test_a_providers_invalid_number_code_is_a_dead_address():
    # The warning Apprise's Twilio plugin logs for Twilio's error 21211.
    error = apprise_channel.classify(
        [
            "Failed to send Twilio notification to +15550000000: "
            "The 'To' number +15550000000 is not a valid phone number., error=21211."
        ]
    )

    assert error.transient is False
    assert error.dead_address is True


def test_a_providers_other_refusal_is_permanent_but_not_a_dead_address():
    # Twilio 21610: the recipient replied STOP to the sending number.
    error = apprise_channel.classify(
        [
            "Failed to send Twilio notification to +15550000000: Attempt to send to unsubscribed "
            "recipient, error=21610."
        ]
    )

    assert error.transient is False
    assert error.dead_address is False


def test_a_timeout_is_transient():
    error = apprise_channel.classify([], timed_out=True)

    assert error.transient is True
    assert error.reason == "timed out: the service reported a failure without a reason"


def test_redaction_keeps_the_host_and_removes_every_token():
    url = "tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-100123456/?format=text"

    text = apprise_channel.redact(
        "Failed for 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw chat -100123456 at api.telegram.org",
        url,
    )

    assert text == "Failed for …:… chat … at api.telegram.org"


def test_redaction_removes_a_dotted_token_in_the_path_and_keeps_plain_words():
    url = "json://hooks.example.com/send/eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl?:to={phone}"

    text = apprise_channel.redact(
        "Failed to send to hooks.example.com with eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl", url
    )

    assert text == "Failed to send to hooks.example.com with …"
