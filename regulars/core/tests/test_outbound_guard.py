"""Outbound webhooks never reach private or internal addresses: refused when the URL is saved
and again at connection time, after DNS resolution; loopback only as written, or allowed."""

import socket

import pytest

from regulars.core import outbound
from regulars.core.errors import RegularsError
from regulars.core.tests.http_receiver import http_receiver  # noqa: F401


def _name_for_loopback() -> str:
    """A host name other than `localhost` that this machine resolves to a loopback address
    (its own name usually is, via /etc/hosts: 127.0.1.1 on Debian)."""
    name = socket.gethostname().lower()
    try:
        found = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        found = set()
    if name == "localhost" or not found or not all(a.startswith("127.") for a in found):
        pytest.skip("no name other than localhost resolves to loopback here")
    return name


def _refused_at_save(url: str) -> RegularsError:
    with pytest.raises(RegularsError) as caught:
        outbound.check_url(url)
    assert caught.value.field == "url"
    return caught.value


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://10.0.0.1/hook", "a private network address"),
        ("https://192.168.1.20/hook", "a private network address"),
        ("https://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("https://[fe80::1]/hook", "a link-local address"),
        ("https://0.0.0.0/hook", "an unspecified address"),
        ("https://224.0.0.1/hook", "a multicast address"),
        ("https://240.0.0.1/hook", "a reserved address"),
        ("https://[::ffff:10.0.0.1]/hook", "a private network address"),
        ("https://100.64.0.1/hook", "not on the public internet"),
    ],
)
def test_an_internal_address_is_refused_when_saved(url, reason):
    error = _refused_at_save(url)

    assert reason in error.message
    assert "REGULARS_OUTBOUND_ALLOWED_HOSTS" in error.message


def test_a_name_resolving_to_loopback_is_refused_when_saved():
    name = _name_for_loopback()

    error = _refused_at_save(f"https://{name}/hook")

    assert error.message.startswith(f"The URL's host {name} (127.")
    assert "a loopback address (this machine)" in error.message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8123/hook",
        "http://localhost:8123/hook",
        "http://[::1]:8123/hook",
        "https://hooks.example/regulars",  # does not resolve here: checked again on each post
        "https://93.184.215.14/hook",
    ],
)
def test_loopback_as_written_and_public_addresses_are_accepted(url):
    assert outbound.check_url(f"  {url} ") == url


def test_an_allowed_host_may_be_private(settings):
    settings.REGULARS_OUTBOUND_ALLOWED_HOSTS = ["10.0.0.1"]

    assert outbound.check_url("http://10.0.0.1/hook") == "http://10.0.0.1/hook"


def test_the_cloud_metadata_service_is_refused_at_send_time_without_connecting():
    with pytest.raises(outbound.AddressRefused) as caught:
        outbound.post("http://169.254.169.254/latest/meta-data/", b"{}", {})

    assert caught.value.transient is False
    assert caught.value.reason.startswith("169.254.169.254 is a link-local address")


def test_a_private_address_is_refused_at_send_time():
    with pytest.raises(outbound.AddressRefused) as caught:
        outbound.post("https://10.0.0.1/hook", b"{}", {})

    assert "a private network address" in caught.value.reason


def test_a_name_resolving_to_loopback_is_refused_at_send_time(http_receiver):  # noqa: F811
    name = _name_for_loopback()

    with pytest.raises(outbound.AddressRefused) as caught:
        outbound.post(f"http://{name}:{http_receiver.port}/hook", b"{}", {})

    assert f"{name} (127." in caught.value.reason
    assert http_receiver.received == []


def test_an_allowed_name_resolving_to_loopback_is_posted_to(settings, http_receiver):  # noqa: F811
    name = _name_for_loopback()
    settings.REGULARS_OUTBOUND_ALLOWED_HOSTS = [name.upper()]

    status = outbound.post(f"http://{name}:{http_receiver.port}/hook", b'{"a":1}', {})

    assert status == 200
    [request] = http_receiver.received
    assert request.body == b'{"a":1}'


def test_loopback_written_as_such_is_posted_to(http_receiver):  # noqa: F811
    status = outbound.post(f"{http_receiver.url}/hook", b"{}", {"X-Test": "1"})

    assert status == 200
    assert http_receiver.received[0].header("X-Test") == "1"


def test_a_redirect_is_answered_not_followed(http_receiver):  # noqa: F811
    http_receiver.answer(302)

    assert outbound.post(f"{http_receiver.url}/hook", b"{}", {}) == 302
    assert len(http_receiver.received) == 1


def test_environment_proxies_are_not_used(monkeypatch, http_receiver):  # noqa: F811
    # A proxy would connect on our behalf, past the guard: it must not be used at all.
    monkeypatch.setenv("http_proxy", "http://10.0.0.1:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")

    assert outbound.post(f"{http_receiver.url}/hook", b"{}", {}) == 200


def test_signatures_match_only_for_the_same_secret_and_body():
    header = outbound.sign("whsec_one-secret-123456", b'{"a":1}')

    assert header.startswith("sha256=")
    assert outbound.signature_matches("whsec_one-secret-123456", b'{"a":1}', header)
    assert not outbound.signature_matches("whsec_two-secret-123456", b'{"a":1}', header)
    assert not outbound.signature_matches("whsec_one-secret-123456", b'{"a":2}', header)
