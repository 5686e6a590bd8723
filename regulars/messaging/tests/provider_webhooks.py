"""Builders for the provider-report tests: a sent e-mail, and providers' webhooks POSTed to
the real anymail URLs with basic auth (and Mailgun's signature) as the providers send them."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

from django.utils import timezone

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.models import Message, MessageStatus

FIXTURES = Path(__file__).parent / "fixtures" / "provider_reports"
# What the installation sets as ANYMAIL_WEBHOOK_SECRET and pastes into the provider's
# webhook URL as https://<user>:<password>@host/...
WEBHOOK_SECRET = "provider:Vd8-sQ3nW1xZ"
MAILGUN_SIGNING_KEY = "mailgun-webhook-signing-key-for-tests"


def use_webhook_settings(settings) -> None:
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }


def make_customer(store, email="ana@example.com", **overrides):
    data = {"external_id": "c1", "email": email, "first_name": "Ana", "email_consent": "subscribed"}
    data.update(overrides)
    return upsert_customer(store, CustomerIn(**data), source="api").obj


def sent_message(store, customer, provider_message_id: str) -> Message:
    """An e-mail the channel handed to the provider, which answered with this id."""
    now = timezone.now()
    return Message.objects.create(
        store=store,
        customer=customer,
        channel="email",
        purpose="marketing",
        to_address=customer.email.lower(),
        subject="New records this week",
        body_text="Twelve new records arrived.",
        status=MessageStatus.SENT,
        send_after=now,
        sent_at=now,
        attempts=1,
        provider_message_id=provider_message_id,
    )


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def basic_auth(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def post_postmark(client, body: dict, *, credentials: str = WEBHOOK_SECRET):
    return client.post(
        "/messaging/anymail/postmark/tracking/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(credentials),
    )


def postmark(name: str, message: Message, **changes) -> dict:
    """A Postmark fixture about `message` (its id and recipient), with `changes` applied."""
    body = fixture(name)
    body["MessageID"] = message.provider_message_id
    body["Email" if "Email" in body else "Recipient"] = message.to_address
    body.update(changes)
    return body


def mailgun(name: str, message: Message, *, signing_key: str = MAILGUN_SIGNING_KEY) -> dict:
    """A Mailgun fixture about `message`, signed as Mailgun signs it: HMAC-SHA256 of
    timestamp + token with the webhook signing key."""
    body = fixture(name)
    data = body["event-data"]
    data["message"]["headers"]["message-id"] = message.provider_message_id.strip("<>")
    data["message"]["headers"]["to"] = message.to_address
    data["recipient"] = message.to_address
    signature = body["signature"]
    signature["signature"] = hmac.new(
        signing_key.encode(),
        f"{signature['timestamp']}{signature['token']}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return body


def post_mailgun(client, body: dict, *, credentials: str = WEBHOOK_SECRET):
    return client.post(
        "/messaging/anymail/mailgun/tracking/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(credentials),
    )


def sparkpost(message: Message, **changes) -> list:
    """SparkPost's bounce fixture about `message` (its transmission id and recipient)."""
    body = fixture("sparkpost_bounce.json")
    event = body[0]["msys"]["message_event"]
    event["transmission_id"] = message.provider_message_id
    event["raw_rcpt_to"] = event["rcpt_to"] = message.to_address
    event.update(changes)
    return body


def post_sparkpost(client, body: list, *, credentials: str = WEBHOOK_SECRET):
    return client.post(
        "/messaging/anymail/sparkpost/tracking/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(credentials),
    )
