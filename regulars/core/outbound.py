"""Outbound HTTP to addresses merchants type: signed JSON posts, guarded against SSRF.

Messaging's webhook channel and promotions' coupon webhook post to a URL a merchant gave.
Without a guard such a POST could reach services that only this machine's network can see (a
database on 10.x, the cloud metadata service on 169.254.169.254). So every destination is
checked twice: when the URL is saved (`check_url`) and when the connection is opened, on the
addresses the name resolves to at that moment (a name may resolve elsewhere later: DNS
rebinding), and only a checked address is connected to.

Allowed: public addresses; a loopback host written as such (`localhost`, `127.0.0.1`, `[::1]`,
a receiver beside Regulars); any host the operator lists in REGULARS_OUTBOUND_ALLOWED_HOSTS
(e.g. a receiver on the company network). Refused: private, link-local, reserved, multicast
and unspecified addresses, and a public name that resolves to loopback. Proxies from the
environment are not used: the guard must see the address really connected to.

The receiver checks `X-Regulars-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from regulars.core.errors import CoreErrorCode, RegularsError

SIGNATURE_HEADER = "X-Regulars-Signature"
TIMESTAMP_HEADER = "X-Regulars-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TIMEOUT_SECONDS = 10
_LOOPBACK_NAMES = ("localhost",)
ALLOWED_HOSTS_SETTING = "REGULARS_OUTBOUND_ALLOWED_HOSTS"


def sign(secret: str, body: bytes) -> str:
    """The signature header value for `body`: sha256=<hex HMAC-SHA256 keyed by `secret`>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of a signature header, so timing does not reveal a near-match."""
    return hmac.compare_digest(sign(secret, body).encode(), (header or "").strip().encode())


class OutboundError(Exception):
    """A post that did not get an answer: `transient` when trying again later may help."""

    def __init__(self, reason: str, *, transient: bool):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class AddressRefused(OutboundError):
    """The destination is an address Regulars does not post to; trying again cannot help."""

    def __init__(self, reason: str):
        super().__init__(reason, transient=False)


# --- which addresses -----------------------------------------------------------------------------


def allowed_hosts() -> frozenset[str]:
    hosts = getattr(settings, ALLOWED_HOSTS_SETTING, ()) or ()
    return frozenset(host.strip().lower().strip("[]") for host in hosts if host.strip())


def is_loopback_host(host: str) -> bool:
    """The host is written as this machine (`localhost` or a loopback address)."""
    host = host.lower().strip("[]")
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone ("fe80::1%eth0")
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _refusal(address: str) -> str:
    """Why Regulars does not post to `address` ("" when it may)."""
    ip = _ip(address)
    # Loopback, link-local and reserved are also "private" to the ipaddress module: ask first.
    checks = (
        (ip.is_loopback, "a loopback address (this machine)"),
        (ip.is_link_local, "a link-local address (such as the cloud metadata service)"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private network address"),
        (not ip.is_global, "an address that is not on the public internet"),
    )
    return next((reason for refused, reason in checks if refused), "")


def check_addresses(host: str, addresses: list[str]) -> None:
    """Raise AddressRefused unless every address `host` resolved to may be posted to."""
    host = host.lower().strip("[]")
    if host in allowed_hosts():
        return
    loopback_ok = is_loopback_host(host)
    for address in addresses:
        reason = _refusal(address)
        if reason and not (loopback_ok and _ip(address).is_loopback):
            shown = host if host == address else f"{host} ({address})"
            raise AddressRefused(
                f"{shown} is {reason}; Regulars posts only to public addresses "
                f"(an administrator may allow a host in {ALLOWED_HOSTS_SETTING})"
            )


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))
    except ValueError:
        return None


def _resolve(host: str, port: int | None) -> list[tuple]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


# --- the URL, when it is saved ---------------------------------------------------------------------


def check_url(url: str, *, what: str = "messages") -> str:
    """The receiving URL, trimmed, if `what` may be posted there; else a RegularsError on `url`.

    Plain http would send customers' data and the signature readable by anyone on the way,
    so it is allowed only to this machine (a receiver beside Regulars), to a host the operator
    allowed, or with DEBUG on. A name that does not resolve now is accepted: it is checked
    again, resolved, on every post.
    """
    url = (url or "").strip()
    if not url:
        raise RegularsError(f"Give the URL that receives the {what}.", field="url")
    if len(url) > 1000:
        raise RegularsError("The URL is longer than 1000 characters.", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RegularsError(f"{url!r} is not a URL: {exc}.", field="url") from exc
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RegularsError(f"{url!r} is not an https:// URL.", field="url")
    if parts.username or parts.password:
        raise RegularsError(
            f"Put no user name or password in the URL: the signature authenticates the {what}.",
            field="url",
        )
    host = parts.hostname
    trusted = is_loopback_host(host) or host in allowed_hosts()
    if parts.scheme == "http" and not (trusted or settings.DEBUG):
        raise RegularsError(
            "Use an https:// URL: plain http is accepted only to this machine.", field="url"
        )
    try:
        literal = _literal(host)
        if literal is not None:
            check_addresses(host, [literal])
        else:
            try:
                found = [info[4][0] for info in _resolve(host, port)]
            except OSError:
                found = []
            check_addresses(host, found)
    except AddressRefused as exc:
        raise RegularsError(f"The URL's host {exc.reason}.", field="url") from exc
    return url


# --- the post --------------------------------------------------------------------------------------


def _guarded_connect(address, timeout=None, source_address=None, *args, **kwargs):
    """socket.create_connection, connecting only to addresses `check_addresses` allows."""
    host, port = address[0], address[1]
    found = _resolve(host, port)
    check_addresses(host, [info[4][0] for info in found])
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in found:
        sock = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, int | float):
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"{host} has no address")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connect


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    # TLS is still checked against the host name: only the TCP connection is guarded.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connect


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would lose its body (or be refused by urllib), and a redirect could
    # point past the guard's first look; the answer is reported as the 3xx it is.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        _GuardedHTTPHandler,
        _GuardedHTTPSHandler,
        _NoRedirects,
    )


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    receiver: str = "the receiver",
    timeout: float = TIMEOUT_SECONDS,
) -> int:
    """POST `body` to `url` without following redirects; the HTTP status of the answer.

    Raises AddressRefused for a destination the guard refuses and OutboundError(transient)
    when no answer came (refused connection, timeout, name not found); `receiver` names the
    other end in that reason ("the webhook receiver").
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https"):
        raise OutboundError("the URL does not start with https:// or http://", transient=False)
    # The scheme is checked just above.
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with _opener().open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", None) or str(error) or type(error).__name__
        raise OutboundError(
            f"{receiver} at {host} could not be reached: {reason}", transient=True
        ) from error


def is_transient_status(status: int) -> bool:
    """An answer worth trying again later: busy (429), timed out (408) or broken (5xx)."""
    return status in (408, 429) or status >= 500


# --- a merchant's webhook: its settings -----------------------------------------------------------

MIN_SECRET = 16


def new_signing_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def check_webhook_input(
    url: str, enabled: bool, secret: str | None, *, what: str
) -> tuple[str, str | None]:
    """A merchant webhook's URL and signing secret as given in its set-up, checked: a URL is
    needed to switch it on and must pass the guard; a secret given must be 16+ characters
    (None keeps the saved one, "" asks for a new one). `what` names what it receives."""
    url = (url or "").strip()
    if enabled and not url:
        raise RegularsError(
            f"Give the URL that receives the {what}.", field="url", code=CoreErrorCode.REQUIRED
        )
    if url:
        url = check_url(url, what=what)
    if secret:
        secret = secret.strip()
        if len(secret) < MIN_SECRET:
            raise RegularsError(
                f"A signing secret needs {MIN_SECRET} characters at least; leave it empty and "
                "one is generated.",
                field="secret",
            )
    return url, secret


# --- a signed event ------------------------------------------------------------------------------


@dataclass
class EventDelivery:
    """How posting one event went: `error` is empty when the receiver took it (2xx)."""

    status_code: int | None
    error: str
    transient: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


def post_signed_event(url: str, secret: str, body: dict, key: str, *, name: str) -> EventDelivery:
    """POST `body` as JSON to a merchant's webhook `url`, signed with `secret`, with the
    idempotency `key`; `name` says which webhook ("coupon", "feedback") in the User-Agent and in
    the reasons. Never raises: a refused address or a failed answer is the delivery's error."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"Regulars {name} webhook",
        SIGNATURE_HEADER: sign(secret, raw),
        TIMESTAMP_HEADER: str(int(timezone.now().timestamp())),
        IDEMPOTENCY_HEADER: key,
    }
    receiver = f"the {name} webhook receiver"
    try:
        status = post(url, raw, headers, receiver=receiver)
    except OutboundError as exc:
        return EventDelivery(None, exc.reason, transient=exc.transient)
    if 200 <= status < 300:
        return EventDelivery(status, "")
    reason = f"{receiver} answered HTTP {status}"
    if 300 <= status < 400:
        return EventDelivery(status, f"{reason} (a redirect; give the final URL)")
    return EventDelivery(status, reason, transient=is_transient_status(status))


# --- a fetch ---------------------------------------------------------------------------------------


class ResponseTooLarge(OutboundError):
    """The answer's body is longer than the caller takes; fetching it again cannot help."""

    def __init__(self, reason: str):
        super().__init__(reason, transient=False)


class HTTPStatusError(OutboundError):
    """The server answered, with a status other than 200; `transient` for 408, 429 and 5xx."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason, transient=is_transient_status(status))
        self.status = status


def check_destination(url: str) -> None:
    """Raise OutboundError (AddressRefused for an internal address) unless `url` is an http(s)
    address whose host resolves only to addresses Regulars may connect to, before any
    connection is opened; the connection checks again what the name resolves to then."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundError(f"not a URL: {exc}", transient=False) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("the URL does not start with https:// or http://", transient=False)
    if parts.username or parts.password:
        raise OutboundError("the URL holds a user name or password", transient=False)
    host = parts.hostname
    literal = _literal(host)
    if literal is not None:
        check_addresses(host, [literal])
        return
    try:
        found = [info[4][0] for info in _resolve(host, port)]
    except OSError as exc:
        raise OutboundError(f"{host} could not be found: {exc}", transient=True) from exc
    check_addresses(host, found)


def fetch(url: str, *, max_bytes: int, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """GET `url` through the guard and return the body of its 200 answer.

    Redirects are not followed (a 3xx is a permanent failure naming where it pointed), and at
    most `max_bytes` are read: a longer body (announced or not) raises ResponseTooLarge.
    Raises AddressRefused for a destination the guard refuses (no connection is opened),
    HTTPStatusError for another status, OutboundError(transient) when no answer came.
    """
    check_destination(url)
    host = urlsplit(url).hostname or ""
    # The scheme is checked by check_destination.
    request = urllib.request.Request(url, method="GET", headers={"Accept": "image/*"})  # noqa: S310
    try:
        with _opener().open(request, timeout=timeout) as response:
            if response.status != 200:
                raise HTTPStatusError(response.status, f"{host} answered HTTP {response.status}")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise ResponseTooLarge(f"{int(length):,} bytes; at most {max_bytes:,} are read")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise ResponseTooLarge(f"more than {max_bytes:,} bytes; at most that are read")
            return body
    except urllib.error.HTTPError as error:
        error.close()
        where = error.headers.get("Location", "") if error.headers else ""
        if 300 <= error.code < 400:
            moved = f" to {where[:200]}" if where else ""
            reason = f"{host} redirected (HTTP {error.code}){moved}; redirects are not followed"
            raise HTTPStatusError(error.code, reason) from None
        raise HTTPStatusError(error.code, f"{host} answered HTTP {error.code}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", None) or str(error) or type(error).__name__
        raise OutboundError(f"{host} could not be reached: {reason}", transient=True) from error
