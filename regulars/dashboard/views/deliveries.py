"""Kept webhook deliveries: the list, one delivery with headers and body, and replay."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from regulars.commerce.models import WebhookDelivery
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.forms import DeliveryFilterForm, valid_filters
from regulars.dashboard.views.base import PAGE_SIZE, not_found_unless, page, store_view


@store_view(Permission.VIEW)
def delivery_list(request):
    form = DeliveryFilterForm(request.GET or None)
    filters = valid_filters(form)
    # Bodies can be large: the list reads only what its columns show.
    deliveries = (
        WebhookDelivery.objects.filter(store=request.store, **filters)
        .defer("headers", "body")
        .order_by("-received_at", "-pk")
    )
    page_obj = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "dashboard/deliveries/list.html",
        {"section": "deliveries", "form": form, "page_obj": page_obj, "filtered": bool(filters)},
    )


@store_view(Permission.VIEW)
def delivery_detail(request, delivery_id: int):
    delivery = not_found_unless(
        WebhookDelivery.objects.filter(store=request.store, pk=delivery_id).first()
    )
    headers = delivery.headers if isinstance(delivery.headers, dict) else {}
    return page(
        request,
        "dashboard/deliveries/detail.html",
        {
            "section": "deliveries",
            "delivery": delivery,
            "headers": sorted(headers.items(), key=lambda item: str(item[0]).lower()),
            "body": pretty_body(delivery.body),
        },
    )


def pretty_body(body: str) -> str:
    """The body indented when it is JSON, as received otherwise. Escaped by the template."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        return body


@store_view(Permission.REPLAY)
@require_POST
def delivery_replay(request, delivery_id: int):
    # Imported here: the delivery services belong to the webhook intake, written beside this.
    from regulars.commerce.services.deliveries import access_delivery, replay_delivery

    try:
        delivery = access_delivery(request.store, delivery_id)
    except RegularsError as exc:
        if exc.code == CoreErrorCode.NOT_FOUND:
            raise Http404("No such delivery.") from exc
        raise
    try:
        replay_delivery(delivery)
    except RegularsError as exc:
        messages.error(request, f"The delivery could not be replayed: {exc.message}")
        return redirect(
            "dashboard:delivery", store_slug=request.store.slug, delivery_id=delivery_id
        )
    delivery.refresh_from_db()
    if delivery.status == "failed":
        messages.error(request, f"Replayed; it failed again: {delivery.error[:300]}")
    else:
        messages.success(
            request, f"Replayed; the delivery is now {delivery.get_status_display().lower()}."
        )
    return redirect("dashboard:delivery", store_slug=request.store.slug, delivery_id=delivery_id)
