"""Inbound SMS: a customer's STOP or START reply changes their SMS consent.

The provider posts each reply to /messaging/inbound/sms/<store public id>/, signed with the
store's inbound key: Twilio's X-Twilio-Signature (keyed by the account's auth token), or for
any other gateway X-Regulars-Signature, the formula of the webhook channel. The keywords are
the ones carriers and Twilio honour, matched on the whole trimmed message, in any case.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from regulars.commerce.models import Consent, Customer
from regulars.commerce.schemas import clean_phone
from regulars.commerce.services import do_set_consent
from regulars.core.errors import RegularsError
from regulars.core.models import Store
from regulars.core.outbound import new_signing_secret
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.messaging import secrets
from regulars.messaging.models import Channel, ChannelConfig
from regulars.messaging.services.channels import MIN_SIGNING_SECRET

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
# Twilio marks a WhatsApp sender as "whatsapp:+E164"; that reply is about WhatsApp consent.
_WHATSAPP_PREFIX = "whatsapp:"


@dataclass(frozen=True)
class InboundResult:
    action: str  # "unsubscribed", "subscribed" or "ignored"
    # Customers whose consent changed (a repeated STOP changes nothing).
    changed: int = 0


def store_for_inbound(public_id: str) -> Store | None:
    return Store.objects.filter(public_id=public_id).first()


def inbound_sms_url(store) -> str:
    """The address the merchant gives their SMS provider for incoming messages."""
    path = reverse("messaging:inbound-sms", kwargs={"public_id": store.public_id})
    return settings.BASE_URL + path


# --- the inbound key ---------------------------------------------------------------------------


def do_set_inbound_sms_secret(store, user, secret: str | None = None) -> str:
    """Set the key inbound SMS are signed with and return it (generated when None is given).

    Paste Twilio's auth token here when Twilio forwards the replies; "" switches inbound
    SMS off (every inbound request is then refused).
    """
    check_permission(store, user, Permission.INTEGRATIONS)
    if secret is None:
        secret = new_signing_secret()
    secret = secret.strip()
    if secret and len(secret) < MIN_SIGNING_SECRET:
        raise RegularsError(
            f"The inbound key needs {MIN_SIGNING_SECRET} characters at least (a Twilio auth "
            "token has 32).",
            field="inbound_secret",
        )
    with transaction.atomic():
        config, _ = ChannelConfig.objects.select_for_update().get_or_create(
            store=store, channel=Channel.SMS, defaults={"enabled": False}
        )
        config.inbound_secret_encrypted = secrets.encrypt(secret) if secret else ""
        config.save(update_fields=["inbound_secret_encrypted", "updated_at"])
    return secret


def inbound_secret(store) -> str:
    """The store's inbound key in clear, "" when none is set."""
    token = (
        ChannelConfig.objects.filter(store=store, channel=Channel.SMS)
        .values_list("inbound_secret_encrypted", flat=True)
        .first()
    )
    return secrets.decrypt(token) if token else ""


def inbound_secret_hint(store) -> str:
    return secrets.hint(inbound_secret(store))


# --- signatures --------------------------------------------------------------------------------


def twilio_signature(auth_token: str, url: str, params: list[tuple[str, str]]) -> str:
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by every POST
    parameter's name and value, sorted by name (and by value within a name)."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _with_and_without_port(url: str) -> set[str]:
    # Twilio signs the URL as it was configured, which may or may not spell out the port.
    parts = urlsplit(url)
    forms = {url}
    if parts.port:
        forms.add(urlunsplit(parts._replace(netloc=parts.hostname or "")))
    elif parts.scheme in ("http", "https") and parts.hostname:
        port = 443 if parts.scheme == "https" else 80
        forms.add(urlunsplit(parts._replace(netloc=f"{parts.hostname}:{port}")))
    return forms


def twilio_signature_matches(
    auth_token: str, urls: list[str], params: list[tuple[str, str]], header: str
) -> bool:
    given = (header or "").strip().encode()
    candidates = {form for url in urls for form in _with_and_without_port(url)}
    return any(
        hmac.compare_digest(twilio_signature(auth_token, url, params).encode(), given)
        for url in sorted(candidates)
    )


# --- the reply itself --------------------------------------------------------------------------


def keyword_action(text: str) -> str:
    word = (text or "").strip().upper()
    if word in STOP_WORDS:
        return Consent.UNSUBSCRIBED
    if word in START_WORDS:
        return Consent.SUBSCRIBED
    return ""


def _sender(value: str) -> tuple[str, str]:
    """(consent channel, E.164 phone) of a sender, ("", "") when it is not a phone number."""
    value = (value or "").strip()
    channel = Channel.SMS
    if value.lower().startswith(_WHATSAPP_PREFIX):
        channel, value = Channel.WHATSAPP, value[len(_WHATSAPP_PREFIX) :]
    try:
        return channel, clean_phone(value)
    except ValueError:
        return "", ""


def do_receive_inbound_sms(store, *, sender: str, text: str) -> InboundResult:
    """Apply STOP or START from `sender` to every customer of `store` with that phone."""
    state = keyword_action(text)
    channel, phone = _sender(sender)
    if not state or not phone:
        return InboundResult("ignored")
    subscribing = state == Consent.SUBSCRIBED
    source = "sms_start" if subscribing else "sms_stop"
    changed = 0
    with transaction.atomic():
        for customer in Customer.objects.filter(store=store, phone=phone).order_by("pk"):
            changed += do_set_consent(
                customer,
                channel=channel,
                state=state,
                source=source,
                text=text.strip() if subscribing else "",
            )
    return InboundResult(str(state), changed)
