"""The intake endpoints: POST /webhooks/<platform>/<store public id>.

Fast on purpose (store platforms time out after a few seconds and retry): verify the signature
over the raw body, keep one row, enqueue its processing, answer. Nothing else happens here.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from regulars.commerce.services import deliveries
from regulars.commerce.webhooks import shopify as shopify_platform
from regulars.commerce.webhooks import woocommerce as woocommerce_platform
from regulars.commerce.webhooks.base import PlatformSpec


def _receive(request: HttpRequest, public_id: str, spec: PlatformSpec) -> JsonResponse:
    store = deliveries.store_for_webhook(public_id, spec.name)
    if store is None:
        return JsonResponse({"error": "no store has this webhook address"}, status=404)
    headers = request.headers
    topic = headers.get(spec.topic_header, "")
    delivery_id = headers.get(spec.delivery_id_header, "")
    try:
        body = request.body
    except RequestDataTooBig:
        reason = "the body is larger than this installation accepts (REGULARS_MAX_BODY_BYTES)"
        deliveries.do_reject_delivery(
            store,
            spec,
            headers=headers,
            body=b"",
            topic=topic,
            delivery_id=delivery_id,
            reason=reason,
        )
        return JsonResponse({"error": reason}, status=413)
    signature = headers.get(spec.signature_header, "")
    if not signature and spec.ping_note is not None:
        note = spec.ping_note(headers, body)
        if note:
            deliveries.do_keep_ping(store, spec, headers=headers, body=body, note=note)
            return JsonResponse({"status": "ping received"})
    reason = deliveries.check_signature(spec, store.webhook_secret, body, signature)
    if reason:
        deliveries.do_reject_delivery(
            store,
            spec,
            headers=headers,
            body=body,
            topic=topic,
            delivery_id=delivery_id,
            reason=reason,
        )
        return JsonResponse({"error": reason}, status=401)
    delivery = deliveries.do_receive_delivery(
        store, spec, headers=headers, body=body, topic=topic, delivery_id=delivery_id
    )
    return JsonResponse({"status": "duplicate" if delivery is None else delivery.status})


@csrf_exempt
@require_POST
def shopify(request: HttpRequest, public_id: str) -> JsonResponse:
    return _receive(request, public_id, shopify_platform.SPEC)


@csrf_exempt
@require_POST
def woocommerce(request: HttpRequest, public_id: str) -> JsonResponse:
    return _receive(request, public_id, woocommerce_platform.SPEC)
