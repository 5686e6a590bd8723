"""The customer's pages, reached from links in messages: no login, the signed token decides.

Nothing happens on GET: mail scanners and link previews fetch every link in a message, so
unsubscribing and confirming wait for a POST (the page's button, or a mail client's RFC 8058
one-click POST). Each page speaks the customer's language; a bad token gets a plain 404 that
does not say why.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from regulars.commerce.models import CONSENT_CHANNELS, Consent
from regulars.core.errors import RateLimited
from regulars.core.ratelimit import hit
from regulars.messaging import links
from regulars.messaging.services import preferences

# Requests per minute from one IP address to one kind of page (settings may lower or raise it).
PUBLIC_PAGE_RATE_LIMIT = 120

CHANNEL_NAMES = {
    "email": gettext_lazy("E-mail"),
    "sms": gettext_lazy("Text messages (SMS)"),
    "whatsapp": gettext_lazy("WhatsApp"),
    "push": gettext_lazy("Push notifications"),
}

# One whole sentence per channel, so that each language can word it naturally.
UNSUBSCRIBE_QUESTIONS = {
    "email": gettext_lazy("Unsubscribe %(address)s from marketing e-mails from %(store)s?"),
    "sms": gettext_lazy("Unsubscribe %(address)s from marketing text messages from %(store)s?"),
    "whatsapp": gettext_lazy(
        "Unsubscribe %(address)s from marketing WhatsApp messages from %(store)s?"
    ),
    "push": gettext_lazy("Stop marketing notifications from %(store)s?"),
}
UNSUBSCRIBED_NOTES = {
    "email": gettext_lazy("%(address)s will no longer receive marketing e-mails from %(store)s."),
    "sms": gettext_lazy(
        "%(address)s will no longer receive marketing text messages from %(store)s."
    ),
    "whatsapp": gettext_lazy(
        "%(address)s will no longer receive marketing WhatsApp messages from %(store)s."
    ),
    "push": gettext_lazy("You will no longer receive marketing notifications from %(store)s."),
}


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _public_page(kind: str):
    """Rate-limit the page per IP, and answer a bad token with the same bare 404 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, token: str) -> HttpResponse:
            limit = getattr(settings, "REGULARS_PUBLIC_PAGE_RATE_LIMIT", PUBLIC_PAGE_RATE_LIMIT)
            try:
                hit(f"messaging:{kind}:{_client_address(request)}", limit=limit)
            except RateLimited as exc:
                return _rate_limited(request, exc.retry_after)
            try:
                return view(request, token)
            except links.BadLink:
                return _not_found(request)

        return wrapped

    return decorator


def _page(request, template: str, context: dict, *, language: str, status: int = 200):
    with translation.override(language):
        response = render(request, f"messaging/{template}", context, status=status)
    # Set here, or LocaleMiddleware would label the page with the browser's language.
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _page(request, "not_found.html", {}, language="en", status=404)


def _rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = _page(
        request, "rate_limited.html", {"retry_after": retry_after}, language="en", status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


def _address(customer, channel: str) -> str:
    if channel == "email":
        return customer.email
    if channel in ("sms", "whatsapp"):
        return customer.phone
    return ""


def _addressee(customer, channel: str) -> str:
    # Without the channel's address, the sentence names the customer instead.
    return _address(customer, channel) or str(customer)


# --- unsubscribe ------------------------------------------------------------------------------


# The signed token is the authentication: a mail client's one-click POST carries no cookie
# and no CSRF token (RFC 8058), and must still work.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_public_page("unsubscribe")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    link = links.read_unsubscribe(token)
    customer = preferences.access_linked_customer(link)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        source = "one_click" if one_click else "unsubscribe_page"
        preferences.do_unsubscribe(customer, link.channel, source=source)
    done = getattr(customer, f"{link.channel}_consent") == Consent.UNSUBSCRIBED
    language = preferences.customer_language(customer)
    with translation.override(language):
        words = {"address": _addressee(customer, link.channel), "store": customer.store.name}
        sentences = UNSUBSCRIBED_NOTES if done else UNSUBSCRIBE_QUESTIONS
        context = {
            "store": customer.store,
            "done": done,
            "sentence": str(sentences[link.channel]) % words,
            "preferences_url": links.preferences_url(customer),
        }
    return _page(request, "unsubscribe.html", context, language=language)


# --- preferences ------------------------------------------------------------------------------


def _channel_rows(customer, texts: dict[str, str]) -> list[dict]:
    return [
        {
            "channel": channel,
            "name": CHANNEL_NAMES[channel],
            "address": _address(customer, channel),
            "checked": getattr(customer, f"{channel}_consent") in preferences.OPTED_IN,
            "wording": texts[channel],
        }
        for channel in CONSENT_CHANNELS
    ]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_public_page("preferences")
def preferences_page(request: HttpRequest, token: str) -> HttpResponse:
    customer = preferences.access_linked_customer(links.read_preferences(token))
    language = preferences.customer_language(customer)
    saved = request.method == "POST"
    with translation.override(language):
        texts = preferences.consent_texts(customer.store)
        if saved:
            # Only a ticked box subscribes: an absent box is False, never a default yes.
            ticked = set(request.POST.getlist("channel"))
            choices = {channel: channel in ticked for channel in CONSENT_CHANNELS}
            preferences.do_save_preferences(
                customer, choices, source="preference_page", texts=texts
            )
        context = {
            "store": customer.store,
            "customer": customer,
            "rows": _channel_rows(customer, texts),
            "saved": saved,
            "email_pending": customer.email_consent == Consent.PENDING,
        }
    return _page(request, "preferences.html", context, language=language)


# --- double opt-in ----------------------------------------------------------------------------


# Like unsubscribe, the signed token authenticates; a browser that blocks cookies must still
# be able to confirm.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_public_page("confirm")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    customer = preferences.access_linked_customer(links.read_confirm(token))
    language = preferences.customer_language(customer)
    with translation.override(language):
        wording = preferences.consent_texts(customer.store)["email"]
        if request.method == "POST":
            preferences.do_confirm_subscription(customer, text=wording)
        context = {
            "store": customer.store,
            "customer": customer,
            "wording": wording,
            "state": customer.email_consent,
            "preferences_url": links.preferences_url(customer),
        }
    return _page(request, "confirm.html", context, language=language)


# --- click tracking ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
@_public_page("click")
def click(request: HttpRequest, token: str) -> HttpResponse:
    # The destination comes from the signed token only; the query string is never read.
    link = links.read_tracked(token)
    if request.method == "GET":
        preferences.do_record_click(link.message_token, link.url)
    return HttpResponseRedirect(link.url)
