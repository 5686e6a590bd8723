"""Integrations: API keys (the raw key shown once) and the webhook URL and secret per platform."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.models import ApiKey, Platform, WebhookSecret
from regulars.core.roles import Permission
from regulars.core.services import (
    access_api_key,
    do_create_api_key,
    do_revoke_api_key,
    do_set_webhook_secret,
)
from regulars.dashboard.forms import ApiKeyForm, WebhookSecretForm, apply_service_error
from regulars.dashboard.views.base import page, store_view


@store_view(Permission.INTEGRATIONS)
def api_keys(request):
    store = request.store
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, raw_key = do_create_api_key(
                store,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                created_by=request.user,
            )
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            # Rendered, not redirected: the raw key exists only in this one response.
            response = page(
                request,
                "dashboard/settings/api_key_created.html",
                {
                    "section": "settings",
                    "tab": "api_keys",
                    "key": key,
                    "raw_key": raw_key,
                    "api_url": f"{settings.BASE_URL}/api/",
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    keys = ApiKey.objects.filter(store=store).select_related("created_by").order_by("-created_at")
    return page(
        request,
        "dashboard/settings/api_keys.html",
        {
            "section": "settings",
            "tab": "api_keys",
            "form": form,
            "keys": keys,
            "api_url": f"{settings.BASE_URL}/api/",
        },
        status=400 if form.errors else 200,
    )


@store_view(Permission.INTEGRATIONS)
@require_POST
def api_key_revoke(request, key_id: int):
    try:
        key = access_api_key(request.store, key_id)
    except RegularsError as exc:
        if exc.code == CoreErrorCode.NOT_FOUND:
            raise Http404("No such API key.") from exc
        raise
    do_revoke_api_key(key)
    messages.success(request, f"The key “{key.name}” ({key.prefix}…) is revoked.")
    return redirect("dashboard:api_keys", store_slug=request.store.slug)


def webhook_url(store, platform: str) -> str:
    """The address a platform posts to; the routes live in commerce/urls.py."""
    return f"{settings.BASE_URL}/webhooks/{platform}/{store.public_id}"


@store_view(Permission.INTEGRATIONS)
def webhooks(request):
    store = request.store
    posted = WebhookSecretForm(request.POST) if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        platform = posted.cleaned_data["platform"]
        try:
            do_set_webhook_secret(store, platform, posted.cleaned_data["secret"])
        except RegularsError as exc:
            apply_service_error(posted, exc)
        else:
            messages.success(request, f"The {Platform(platform).label} signing secret is saved.")
            return redirect("dashboard:webhooks", store_slug=store.slug)
    if posted is not None and "platform" in posted.errors:
        # No card of the page belongs to this form, so say it above them.
        messages.error(request, "Choose Shopify or WooCommerce for the secret.")
    secrets = {row.platform: row for row in WebhookSecret.objects.filter(store=store)}
    platforms = []
    for platform in Platform:
        is_posted = posted is not None and posted.data.get("platform") == platform.value
        platforms.append(
            {
                "value": platform.value,
                "label": platform.label,
                "url": webhook_url(store, platform.value),
                "secret": secrets.get(platform.value),
                "form": posted if is_posted else WebhookSecretForm(initial={"platform": platform}),
            }
        )
    return page(
        request,
        "dashboard/settings/webhooks.html",
        {"section": "settings", "tab": "webhooks", "platforms": platforms},
        status=400 if posted is not None and posted.errors else 200,
    )
