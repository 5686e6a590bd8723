"""Settings · Messaging: how the store sends on each channel, "send me a test", and the contact
budget (frequency cap, quiet hours, double opt-in).

Everyone on the staff may read the set-up; changing a channel needs INTEGRATIONS and the
contact budget SETTINGS. An Apprise URL is never shown back (only its last characters); the
webhook channel's signing secret is shown once, on the page answering the save that made it;
so is a generated inbound SMS key (the key STOP/START replies are signed with).
"""

from datetime import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from regulars.core.errors import RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.forms import apply_service_error
from regulars.dashboard.messaging_forms import (
    CHANNEL_FORMS,
    InboundSmsKeyForm,
    MessagingSettingsForm,
    SendTestForm,
)
from regulars.dashboard.views.base import page, store_view
from regulars.messaging.channels.apprise_channel import PLACEHOLDERS
from regulars.messaging.models import APPRISE_CHANNELS, Channel
from regulars.messaging.secrets import SecretError
from regulars.messaging.services.channels import (
    channel_configs,
    do_configure_channel,
    do_save_messaging_settings,
    messaging_settings,
)
from regulars.messaging.services.inbound import (
    do_set_inbound_sms_secret,
    inbound_secret_hint,
    inbound_sms_url,
)
from regulars.messaging.services.testing import do_send_test

APPRISE_SERVICES_URL = "https://appriseit.com/services/"
APPRISE_WIKI_URL = "https://github.com/caronc/apprise/wiki"
_EXAMPLES = {
    Channel.SMS: "twilio://ACCOUNT_SID:AUTH_TOKEN@+15551230000/{phone}",
    Channel.WHATSAPP: "whatsapp://TOKEN@FROM_PHONE_ID/{phone}",
    Channel.PUSH: "ntfy://ntfy.sh/shop-{external_id}",
}
_TEST_PLACEHOLDER = {
    Channel.SMS: "+14155550123",
    Channel.WHATSAPP: "+14155550123",
    Channel.PUSH: "a value for the URL's placeholder",
}


@store_view(Permission.VIEW, post=Permission.INTEGRATIONS)
def channels(request):
    if request.method != "POST":
        return _page(request)
    channel = request.POST.get("channel", "")
    if channel not in CHANNEL_FORMS:
        messages.error(request, "Choose one of the channels.")
        return _page(request, status=400)
    form = CHANNEL_FORMS[channel](request.POST, prefix=channel)
    if form.is_valid():
        try:
            config = do_configure_channel(
                request.store, request.user, channel=channel, **_service_fields(channel, form)
            )
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            if getattr(config, "new_secret", ""):
                return _secret_created(request, config)
            messages.success(request, f"The {Channel(channel).label} set-up is saved.")
            return redirect(_anchor(request.store, channel))
    return _page(request, posted={channel: form}, status=400)


def _service_fields(channel: str, form) -> dict:
    data = form.cleaned_data
    if channel == Channel.EMAIL:
        return {
            "enabled": data["enabled"],
            "sender": data["sender"],
            "sender_name": data["sender_name"],
            "reply_to": data["reply_to"],
        }
    if channel == Channel.WEBHOOK:
        # "" asks the service for a new secret; None keeps the one saved.
        return {
            "enabled": data["enabled"],
            "url": data["url"],
            "secret": "" if data["new_secret"] else None,
        }
    return {"enabled": data["enabled"], "secret": data["secret"] or None}


def _secret_created(request, config):
    # Rendered, not redirected: the secret exists in clear only in this one response.
    response = page(
        request,
        "dashboard/messaging/webhook_secret_created.html",
        {"section": "settings", "tab": "messaging", "config": config, "secret": config.new_secret},
    )
    response["Cache-Control"] = "no-store"
    return response


def _anchor(store, channel: str) -> str:
    return reverse("dashboard:messaging_channels", args=[store.slug]) + f"#channel-{channel}"


@store_view(Permission.SETTINGS)
@require_POST
def budget(request):
    form = MessagingSettingsForm(request.POST)
    if form.is_valid():
        try:
            do_save_messaging_settings(request.store, request.user, **form.cleaned_data)
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "The contact budget is saved.")
            return redirect(_anchor(request.store, "budget"))
    return _page(request, budget_form=form, status=400)


@store_view(Permission.INTEGRATIONS)
@require_POST
def inbound_sms_key(request):
    form = InboundSmsKeyForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        # None asks the service for a new key; "" switches inbound SMS off.
        secret = {
            form.GENERATE: None,
            form.USE: form.cleaned_data["inbound_secret"],
            form.OFF: "",
        }[action]
        try:
            key = do_set_inbound_sms_secret(request.store, request.user, secret)
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            if action == form.GENERATE:
                # Rendered, not redirected: the key exists in clear only in this one response.
                response = _page(request, new_inbound_key=key)
                response["Cache-Control"] = "no-store"
                return response
            done = "switched off" if action == form.OFF else "saved"
            messages.success(request, f"The inbound SMS key is {done}.")
            return redirect(_anchor(request.store, "sms-inbound"))
    return _page(request, inbound_form=form, status=400)


@store_view(Permission.INTEGRATIONS)
@require_POST
def send_test(request, channel: str):
    if channel not in Channel.values:
        raise Http404("No such channel.")
    form = SendTestForm(request.POST, prefix=f"test-{channel}")
    if not form.is_valid():
        messages.error(request, "Give the address the test goes to.")
        return redirect(_anchor(request.store, channel))
    try:
        address = do_send_test(
            request.store, request.user, channel=channel, address=form.cleaned_data["address"]
        )
    except RegularsError as exc:
        messages.error(request, f"{Channel(channel).label} test: {exc.message}")
    else:
        messages.success(request, f"Sent to {address}. It is a test, so it is not in the log.")
    return redirect(_anchor(request.store, channel))


def _page(
    request, *, posted=None, budget_form=None, inbound_form=None, new_inbound_key="", status=200
):
    store, user = request.store, request.user
    configs = channel_configs(store)
    posted = posted or {}
    cards = []
    for channel in Channel:
        config = configs.get(channel.value)
        form = posted.get(channel.value) or CHANNEL_FORMS[channel](
            initial=_initial(channel, config), prefix=channel.value
        )
        cards.append(
            {
                "channel": channel.value,
                "label": channel.label,
                "config": config,
                "enabled": _enabled(channel, config),
                "form": form,
                "test_form": SendTestForm(
                    initial={"address": _test_address(channel, user)}, prefix=f"test-{channel}"
                ),
                "test_placeholder": _TEST_PLACEHOLDER.get(channel, ""),
                "is_apprise": channel in APPRISE_CHANNELS,
                "example": _EXAMPLES.get(channel, ""),
            }
        )
    return page(
        request,
        "dashboard/messaging/channels.html",
        {
            "section": "settings",
            "tab": "messaging",
            "cards": cards,
            "budget_form": budget_form or MessagingSettingsForm(initial=_budget_initial(store)),
            "placeholders": PLACEHOLDERS,
            "apprise_services_url": APPRISE_SERVICES_URL,
            "apprise_wiki_url": APPRISE_WIKI_URL,
            "inbound": {
                "url": inbound_sms_url(store),
                "hint": _inbound_hint(store),
                "form": inbound_form or InboundSmsKeyForm(),
                "new_key": new_inbound_key,
            },
        },
        status=status,
    )


def _inbound_hint(store) -> str:
    try:
        return inbound_secret_hint(store)
    except SecretError:
        # Saved under another installation key: it is set, but can no longer be read.
        return "…?"


def _enabled(channel, config) -> bool:
    # E-mail works without a set-up of its own, from the installation's mail settings.
    if config is None:
        return channel == Channel.EMAIL
    return config.enabled


def _initial(channel, config) -> dict:
    if config is None:
        return {"enabled": channel == Channel.EMAIL}
    return {
        "enabled": config.enabled,
        "sender": config.sender,
        "sender_name": config.sender_name,
        "reply_to": config.reply_to,
        "url": config.url,
    }


def _test_address(channel, user) -> str:
    if channel in (Channel.EMAIL, Channel.WEBHOOK):
        return user.email or user.username
    return ""


def _budget_initial(store) -> dict:
    rules = messaging_settings(store)
    initial = {field: getattr(rules, field) for field in MessagingSettingsForm.base_fields}
    for field in ("quiet_start", "quiet_end"):
        # An unsaved default row holds the model's default as text ("21:00").
        if isinstance(initial[field], str):
            initial[field] = time.fromisoformat(initial[field])
    return initial
