"""Customers with a phone, and requests signed the way Twilio and other gateways sign them."""

import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import do_set_consent, upsert_customer

TWILIO_TOKEN = "0123456789abcdef0123456789abcdef"


def customer_with_phone(store, phone: str, *, sms: str = "subscribed", external_id: str = "c1"):
    customer = upsert_customer(
        store, CustomerIn(external_id=external_id, phone=phone), source="api"
    ).obj
    do_set_consent(customer, channel="sms", state=sms, source="checkout", text="Texts, please")
    return customer


def inbound_path(store) -> str:
    return reverse("messaging:inbound-sms", kwargs={"public_id": store.public_id})


def twilio_signature(store, params: dict, token: str = TWILIO_TOKEN) -> str:
    """Twilio's signature over the configured URL and the sorted params
    (https://www.twilio.com/docs/usage/security#validating-requests), written out here
    independently of the code under test."""
    url = settings.BASE_URL + inbound_path(store)
    data = url + "".join(k + params[k] for k in sorted(params))
    digest = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_post(client, store, params: dict, *, token: str = TWILIO_TOKEN, signature=None):
    """POST as Twilio does: a form body with X-Twilio-Signature."""
    if signature is None:
        signature = twilio_signature(store, params, token)
    return client.post(
        inbound_path(store),
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )


def twilio_sms(sender: str, text: str) -> dict:
    return {
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "MessageSid": "SM0123456789abcdef0123456789abcdef",
        "From": sender,
        "To": "+15557654321",
        "Body": text,
        "NumMedia": "0",
    }


def signed_json_post(client, store, payload: dict, secret: str, *, signature=None):
    body = json.dumps(payload).encode()
    if signature is None:
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        inbound_path(store),
        data=body,
        content_type="application/json",
        HTTP_X_REGULARS_SIGNATURE=signature,
    )
