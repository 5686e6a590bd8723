"""The signed JSON webhook channel: each message POSTed to the store's own HTTPS endpoint.

The receiver checks `X-Regulars-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the
channel's signing secret, and de-duplicates retried deliveries by `Idempotency-Key` (the
message's token, the same on every attempt). docs/messaging-webhook-channel.md shows how.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from regulars.core.errors import RegularsError
from regulars.messaging.channels.base import ChannelError, ChannelNotConfigured, Outgoing
from regulars.messaging.secrets import SecretError, decrypt

SIGNATURE_HEADER = "X-Regulars-Signature"
TIMESTAMP_HEADER = "X-Regulars-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TIMEOUT_SECONDS = 10
_LOOPBACK_NAMES = ("localhost",)


def sign(secret: str, body: bytes) -> str:
    """The signature header value for `body`: sha256=<hex HMAC-SHA256 keyed by `secret`>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of a signature header, so timing does not reveal a near-match."""
    return hmac.compare_digest(sign(secret, body).encode(), (header or "").strip().encode())


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """The receiving URL, trimmed, if messages may be posted there; else a field error.

    Plain http would send customers' data and the signature readable by anyone on the way,
    so it is allowed only to this machine (a receiver beside Regulars) or with DEBUG on.
    """
    url = (url or "").strip()
    if not url:
        raise RegularsError("Give the URL that receives the messages.", field="url")
    if len(url) > 1000:
        raise RegularsError("The URL is longer than 1000 characters.", field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RegularsError(f"{url!r} is not an https:// URL.", field="url")
    if parts.username or parts.password:
        raise RegularsError(
            "Put no user name or password in the URL: the signature authenticates each message.",
            field="url",
        )
    if parts.scheme == "http" and not (_is_loopback(parts.hostname) or settings.DEBUG):
        raise RegularsError(
            "Use an https:// URL: plain http is accepted only to this machine.", field="url"
        )
    return url


def payload(outgoing: Outgoing, store_public_id: str) -> dict:
    extra = outgoing.extra
    return {
        "id": outgoing.token,
        "store": store_public_id,
        "channel": "webhook",
        "purpose": outgoing.purpose,
        "customer": {
            "id": outgoing.customer_id,
            "external_id": extra.get("external_id", ""),
            "email": extra.get("email", ""),
            "phone": extra.get("phone", ""),
        },
        "to": outgoing.to_address,
        "subject": outgoing.subject,
        "text": outgoing.body_text,
        "html": outgoing.body_html,
        "language": outgoing.language,
        "unsubscribe_url": outgoing.unsubscribe_url,
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would lose its body (or be refused by urllib); the merchant should
    # give the final URL instead, so a 3xx is reported as the answer it is.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _classify(status: int, host: str) -> ChannelError:
    reason = f"the webhook receiver at {host} answered HTTP {status}"
    if 300 <= status < 400:
        return ChannelError(f"{reason} (a redirect; give the final URL)", transient=False)
    return ChannelError(reason, transient=status in (408, 429) or status >= 500)


class WebhookSender:
    def __init__(self, url: str, secret: str, store_public_id: str):
        self.url = url
        self.host = urlsplit(url).hostname or ""
        self.secret = secret
        self.store_public_id = store_public_id
        self.opener = urllib.request.build_opener(_NoRedirects)

    def send(self, outgoing: Outgoing) -> str:
        body = json.dumps(
            payload(outgoing, self.store_public_id), ensure_ascii=False, separators=(",", ":")
        ).encode()
        # The scheme was checked to be http(s) when the URL was saved and again in open_sender.
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Regulars webhook channel",
                SIGNATURE_HEADER: sign(self.secret, body),
                TIMESTAMP_HEADER: str(int(timezone.now().timestamp())),
                IDEMPOTENCY_HEADER: outgoing.token,
            },
        )
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            error.close()
            status = error.code
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", None) or str(error) or type(error).__name__
            raise ChannelError(
                f"the webhook receiver at {self.host} could not be reached: {reason}",
                transient=True,
            ) from error
        if 200 <= status < 300:
            return ""
        raise _classify(status, self.host)

    def close(self) -> None:
        """Nothing is held between messages: each send opens its own connection."""


def open_sender(config) -> WebhookSender:
    if not config.enabled or not config.url or not config.secret_encrypted:
        raise ChannelNotConfigured(config.channel)
    if urlsplit(config.url).scheme not in ("http", "https"):
        raise ChannelError(
            "the webhook URL does not start with https:// or http://", transient=False
        )
    try:
        secret = decrypt(config.secret_encrypted)
    except SecretError as exc:
        raise ChannelError(exc.message, transient=False) from exc
    return WebhookSender(config.url, secret, config.store.public_id)
