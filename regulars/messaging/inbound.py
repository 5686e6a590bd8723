"""POST /messaging/inbound/sms/<store public id>/: replies to the store's SMS (STOP, START).

Two forms are accepted, both signed with the store's inbound key (nothing changes without a
valid signature): Twilio's form post (From, Body) with X-Twilio-Signature, answered with an
empty TwiML document so Twilio sends no reply of its own; and a JSON body
{"from": "+E164", "text": "STOP"} with X-Regulars-Signature, for any other gateway.
The endpoint is exempt from CSRF because the signature is what authenticates it.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from regulars.core.errors import RateLimited
from regulars.core.ratelimit import hit
from regulars.messaging.channels.webhook import SIGNATURE_HEADER, signature_matches
from regulars.messaging.secrets import SecretError
from regulars.messaging.services import inbound as service

TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Requests per minute from one address to one store: far above any real reply rate.
DEFAULT_RATE_LIMIT = 120


def _error(message: str, status: int, field: str | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "field": field}, status=status)


def _twilio(request: HttpRequest, store, secret: str) -> HttpResponse:
    params = [(name, value) for name, values in request.POST.lists() for value in values]
    urls = [settings.BASE_URL + request.get_full_path(), request.build_absolute_uri()]
    signature = request.headers.get(TWILIO_SIGNATURE_HEADER, "")
    if not service.twilio_signature_matches(secret, urls, params, signature):
        return _error("the X-Twilio-Signature does not match this store's inbound key", 403)
    service.do_receive_inbound_sms(
        store, sender=request.POST.get("From", ""), text=request.POST.get("Body", "")
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml; charset=utf-8")


def _signed_json(request: HttpRequest, store, secret: str, body: bytes) -> JsonResponse:
    if not signature_matches(secret, body, request.headers.get(SIGNATURE_HEADER, "")):
        return _error(f"the {SIGNATURE_HEADER} does not match this store's inbound key", 403)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error("the body is not JSON", 400)
    if not isinstance(data, dict):
        return _error('the body must be a JSON object {"from": ..., "text": ...}', 400)
    for field in ("from", "text"):
        if not isinstance(data.get(field), str):
            return _error(f"{field!r} must be a string", 400, field)
    result = service.do_receive_inbound_sms(store, sender=data["from"], text=data["text"])
    return JsonResponse({"status": result.action, "changed": result.changed})


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest, public_id: str) -> HttpResponse:
    store = service.store_for_inbound(public_id)
    if store is None:
        return _error("no store has this inbound address", 404)
    try:
        hit(
            f"inbound-sms:{store.pk}:{request.META.get('REMOTE_ADDR', '')}",
            limit=getattr(settings, "REGULARS_INBOUND_SMS_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        )
    except RateLimited as exc:
        response = _error(exc.message, 429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    try:
        body = request.body
    except RequestDataTooBig:
        return _error("the body is larger than this installation accepts", 413)
    try:
        secret = service.inbound_secret(store)
    except SecretError as exc:
        return _error(exc.message, 403)
    if not secret:
        return _error("inbound SMS is not set up for this store", 403)
    if TWILIO_SIGNATURE_HEADER in request.headers:
        return _twilio(request, store, secret)
    return _signed_json(request, store, secret, body)
