"""The signed JSON webhook channel: each message POSTed to the store's own HTTPS endpoint.

The receiver checks `X-Regulars-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the
channel's signing secret, and de-duplicates retried deliveries by `Idempotency-Key` (the
message's token, the same on every attempt). docs/messaging-webhook-channel.md shows how.
"""

import json
from urllib.parse import urlsplit

from django.utils import timezone

from regulars.core import outbound
from regulars.core.outbound import (  # noqa: F401  (messaging's inbound checks signatures too)
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMEOUT_SECONDS,
    TIMESTAMP_HEADER,
    sign,
    signature_matches,
)
from regulars.messaging.channels.base import ChannelError, ChannelNotConfigured, Outgoing
from regulars.messaging.secrets import SecretError, decrypt


def check_url(url: str) -> str:
    """The receiving URL, trimmed, if messages may be posted there (core.outbound decides)."""
    return outbound.check_url(url, what="messages")


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


def _classify(status: int, host: str) -> ChannelError:
    reason = f"the webhook receiver at {host} answered HTTP {status}"
    if 300 <= status < 400:
        return ChannelError(f"{reason} (a redirect; give the final URL)", transient=False)
    return ChannelError(reason, transient=outbound.is_transient_status(status))


class WebhookSender:
    def __init__(self, url: str, secret: str, store_public_id: str):
        self.url = url
        self.host = urlsplit(url).hostname or ""
        self.secret = secret
        self.store_public_id = store_public_id

    def send(self, outgoing: Outgoing) -> str:
        body = json.dumps(
            payload(outgoing, self.store_public_id), ensure_ascii=False, separators=(",", ":")
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Regulars webhook channel",
            SIGNATURE_HEADER: sign(self.secret, body),
            TIMESTAMP_HEADER: str(int(timezone.now().timestamp())),
            IDEMPOTENCY_HEADER: outgoing.token,
        }
        try:
            status = outbound.post(
                self.url, body, headers, receiver="the webhook receiver", timeout=TIMEOUT_SECONDS
            )
        except outbound.OutboundError as error:
            raise ChannelError(error.reason, transient=error.transient) from error
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
