"""Coupons: the list of the store's coupons with filters, and the coupon webhook that announces
them to the store (its URL, its signing secret shown once, "send a test", recent attempts).

Everyone on the staff may read both; changing the webhook or sending a test needs
INTEGRATIONS (owners and admins), as the other integrations do.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from regulars.core.errors import RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.coupon_forms import CouponFilterForm, CouponWebhookForm
from regulars.dashboard.forms import apply_service_error, valid_filters
from regulars.dashboard.views.base import PAGE_SIZE, page, store_view
from regulars.promotions.models import Coupon, CouponAnnouncement, CouponStatus
from regulars.promotions.services import (
    access_coupons,
    coupon_webhook,
    describe,
    do_configure_coupon_webhook,
    do_send_test_event,
)

# Badge colours of the shared style sheet, per coupon status.
STATUS_BADGES = {
    CouponStatus.ISSUED: "queued",
    CouponStatus.REDEEMED: "paid",
    CouponStatus.EXPIRED: "pending",
}
RECENT_ATTEMPTS = 20


@store_view(Permission.VIEW)
def coupon_list(request):
    store = request.store
    sources = (
        Coupon.objects.filter(store=store)
        .exclude(source="")
        .order_by("source")
        .values_list("source", flat=True)
        .distinct()
    )
    form = CouponFilterForm(request.GET or None, sources=list(sources))
    filters = valid_filters(form)
    coupons = access_coupons(
        store,
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        search=filters.get("q", ""),
    )
    page_obj = Paginator(coupons, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(coupon) for coupon in page_obj]
    return page(
        request,
        "dashboard/coupons/list.html",
        {
            "section": "coupons",
            "tab": "list",
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "filtered": bool(filters),
        },
    )


def _row(coupon: Coupon) -> dict:
    status = coupon.state
    return {
        "coupon": coupon,
        "status": status,
        "badge": STATUS_BADGES[status],
        "description": describe(coupon),
    }


@store_view(Permission.VIEW, post=Permission.INTEGRATIONS)
def webhook(request):
    hook = coupon_webhook(request.store)
    if request.method != "POST":
        return _webhook_page(request, hook, CouponWebhookForm(initial=_initial(hook)))
    form = CouponWebhookForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hook = do_configure_coupon_webhook(
                request.store,
                request.user,
                url=data["url"],
                enabled=data["enabled"],
                # "" asks for a new secret; None keeps the saved one (or makes the first).
                secret="" if data["new_secret"] else None,
            )
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            if hook.new_secret:
                return _secret_created(request, hook)
            messages.success(request, "The coupon webhook is saved.")
            return redirect(reverse("dashboard:coupon_webhook", args=[request.store.slug]))
    return _webhook_page(request, hook, form, status=400)


@store_view(Permission.INTEGRATIONS)
@require_POST
def webhook_test(request):
    try:
        delivery = do_send_test_event(request.store, request.user)
    except RegularsError as exc:
        messages.error(request, f"Test not sent: {exc.message}")
    else:
        if delivery.ok:
            messages.success(request, f"The test event was accepted: HTTP {delivery.status_code}.")
        else:
            messages.error(request, f"The test event failed: {delivery.error}.")
    return redirect(reverse("dashboard:coupon_webhook", args=[request.store.slug]))


def _initial(hook) -> dict:
    if hook is None:
        return {"enabled": True}
    return {"enabled": hook.enabled, "url": hook.url}


def _webhook_page(request, hook, form, *, status=200):
    attempts = (
        CouponAnnouncement.objects.filter(store=request.store)
        .select_related("coupon")
        .order_by("-at", "-pk")[:RECENT_ATTEMPTS]
    )
    return page(
        request,
        "dashboard/coupons/webhook.html",
        {
            "section": "coupons",
            "tab": "webhook",
            "hook": hook,
            "form": form,
            "attempts": attempts,
        },
        status=status,
    )


def _secret_created(request, hook):
    # Rendered, not redirected: the secret exists in clear only in this one response.
    response = page(
        request,
        "dashboard/coupons/secret_created.html",
        {"section": "coupons", "tab": "webhook", "hook": hook, "secret": hook.new_secret},
    )
    response["Cache-Control"] = "no-store"
    return response
