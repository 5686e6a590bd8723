"""Feedback: the inbox (reviews and survey comments, unhappy customers first, answered in place;
the open follow-ups; the time to first reply; the most frequent terms and the NPS trend), and
the feedback settings with the outgoing webhook.

Everyone on the staff reads; replying, moderating and closing follow-ups need SUPPORT (agents
and above), the settings SETTINGS, the webhook INTEGRATIONS. Every form posts to a service and
comes back to the inbox at the item it acted on, so the page works without JavaScript.
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.roles import Permission
from regulars.dashboard import charts
from regulars.dashboard.feedback_forms import (
    FeedbackSettingsForm,
    FeedbackWebhookForm,
    InboxFilterForm,
    ModerationForm,
    ReplyForm,
)
from regulars.dashboard.forms import apply_service_error, valid_filters
from regulars.dashboard.views.base import page, store_view
from regulars.feedback.services import inbox as inbox_service
from regulars.feedback.services.reviews import (
    access_review,
    do_moderate_review,
    do_reply_to_review,
)
from regulars.feedback.services.settings import do_update_settings, settings_of
from regulars.feedback.services.surveys import access_answer, do_reply_to_answer
from regulars.feedback.services.terms import top_terms
from regulars.feedback.services.webhook import (
    do_configure_feedback_webhook,
    do_send_test_event,
    recent_deliveries,
)
from regulars.insights import surveys as insight_surveys

INBOX_PAGE_SIZE = 25
TREND_MONTHS = 6
# The inbox filters a form posts back, so that the merchant returns to the list they were on.
_FILTER_KEYS = ("kind", "rating", "state", "language", "page")
LANGUAGE_NAMES = {"en": "English", "th": "Thai", "hy": "Armenian"}
MODERATION_DONE = {
    "approve": "The review is published.",
    "reject": "The review is rejected.",
    "hide": "The review is hidden.",
}


# --- the inbox ------------------------------------------------------------------------------------


@store_view(Permission.VIEW)
def inbox(request):
    store = request.store
    now = timezone.now()
    within = inbox_service.reply_within_hours(store)
    form = InboxFilterForm(request.GET or None, languages=inbox_service.inbox_languages(store))
    chosen = valid_filters(form)
    filters = inbox_service.InboxFilters(
        kind=chosen.get("kind", ""),
        rating=chosen.get("rating", ""),
        state=chosen.get("state", "unanswered"),
        language=chosen.get("language", ""),
    )
    page_obj = Paginator(inbox_service.inbox_rows(store, filters), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = inbox_service.inbox_items(store, list(page_obj), now=now, within_hours=within)
    trend = _nps_trend(store, now)
    figure = charts.survey_trend({"nps": {"trend": trend}}, "month")
    if figure:
        # A narrow column: months as categories (not dates), no legend for the one line.
        figure["layout"].update(
            height=240,
            showlegend=False,
            xaxis={"type": "category"},
            margin={"l": 44, "r": 8, "t": 8, "b": 40},
        )
    return page(
        request,
        "dashboard/feedback/inbox.html",
        {
            "section": "feedback",
            "tab": "inbox",
            "form": form,
            "filtered": bool({k: v for k, v in chosen.items() if k != "state"})
            or filters.state != "unanswered",
            "filters": filters,
            "page_obj": page_obj,
            "items": items,
            "query": _query(request.GET),
            "within_hours": within,
            "counts": inbox_service.unanswered_counts(store, now=now, within_hours=within),
            "reply_times": inbox_service.reply_times(store, now=now),
            "followups": list(inbox_service.open_followups(store)[:50]),
            "now": now,
            "terms": [
                {"code": code, "name": LANGUAGE_NAMES.get(code, code), "terms": pairs}
                for code, pairs in top_terms(store, now=now).items()
            ],
            "trend": [point for point in trend if point["n"]],
            "figure_specs": {"nps-chart": figure} if figure else {},
        },
    )


def _nps_trend(store, now) -> list[dict]:
    today = timezone.localdate(now)
    # The first day of the month TREND_MONTHS - 1 months before this one.
    months = today.year * 12 + today.month - 1 - (TREND_MONTHS - 1)
    start = date(months // 12, months % 12 + 1, 1)
    points = insight_surveys.trend(store, "nps", period="month", start=start, end=today)
    return [{"period": p.period_start.strftime("%Y-%m"), **p.summary.as_dict()} for p in points]


def _query(data: QueryDict) -> str:
    """The inbox's filters from `data`, as a query string (only the inbox's own keys)."""
    kept = QueryDict(mutable=True)
    for key in _FILTER_KEYS:
        value = data.get(key, "")
        if value and len(value) <= 40:
            kept[key] = value
    return kept.urlencode()


def _back(request, anchor: str = ""):
    """Back to the inbox with the filters the form was posted from, at `anchor`."""
    url = reverse("dashboard:feedback", args=[request.store.slug])
    query = _query(QueryDict(request.POST.get("query", "")))
    return redirect(url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else ""))


def _review_or_404(store, review_id: int):
    try:
        return access_review(store, review_id)
    except RegularsError as exc:
        if exc.code == CoreErrorCode.NOT_FOUND:
            raise Http404("No such review.") from exc
        raise


@store_view(Permission.SUPPORT)
@require_POST
def review_reply(request, review_id: int):
    review = _review_or_404(request.store, review_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reply not saved: it is longer than 5,000 characters.")
        return _back(request, f"review-{review.pk}")
    body = form.cleaned_data["body"].strip()
    had_reply = bool(review.reply)
    if not body and not had_reply:
        # Nothing to remove: no write, and the widget's cached figures stay valid.
        messages.error(request, "Write a reply first.")
        return _back(request, f"review-{review.pk}")
    try:
        do_reply_to_review(review, body, request.user)
    except RegularsError as exc:
        messages.error(request, f"Reply not saved: {exc.message}")
    else:
        if body:
            messages.success(request, "Your reply is public under the review.")
        else:
            messages.success(request, "The reply is removed.")
    return _back(request, f"review-{review.pk}")


@store_view(Permission.SUPPORT)
@require_POST
def review_moderate(request, review_id: int):
    review = _review_or_404(request.store, review_id)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve, reject or hide.")
        return _back(request, f"review-{review.pk}")
    action = form.cleaned_data["action"]
    try:
        do_moderate_review(review, action, form.cleaned_data["reason"], request.user)
    except RegularsError as exc:
        messages.error(request, f"Not done: {exc.message}")
    else:
        messages.success(request, MODERATION_DONE[action])
    return _back(request, f"review-{review.pk}")


@store_view(Permission.SUPPORT)
@require_POST
def answer_reply(request, answer_id: int):
    try:
        answer = access_answer(request.store, answer_id)
    except RegularsError as exc:
        raise Http404("No such answer.") from exc
    form = ReplyForm(request.POST)
    body = form.cleaned_data["body"].strip() if form.is_valid() else ""
    if not body:
        messages.error(request, "Reply not sent: write a reply of at most 5,000 characters.")
        return _back(request, f"survey-{answer.pk}")
    try:
        do_reply_to_answer(answer, body, request.user)
    except RegularsError as exc:
        messages.error(request, f"Reply not sent: {exc.message}")
    else:
        messages.success(request, f"Your reply is on its way to {answer.customer.display_name}.")
    return _back(request, f"survey-{answer.pk}")


@store_view(Permission.SUPPORT)
@require_POST
def followup_done(request, followup_id: int):
    try:
        followup = inbox_service.access_followup(request.store, followup_id)
    except RegularsError as exc:
        raise Http404("No such follow-up.") from exc
    inbox_service.do_close_followup(followup, request.user, note=request.POST.get("note", ""))
    messages.success(request, "The follow-up is done.")
    return _back(request, "followups")


# --- settings -------------------------------------------------------------------------------------


def _settings_initial(row) -> dict:
    return {
        "auto_publish_min_rating": row.auto_publish_min_rating,
        "reply_within_hours": row.reply_within_hours,
        "blocked_words": row.blocked_words,
        "alert_emails": row.alert_emails,
    }


def _webhook_initial(row) -> dict:
    if not row.pk:
        return {"enabled": True}
    return {"enabled": row.webhook_enabled, "url": row.webhook_url}


def _settings_page(request, row, *, form=None, webhook_form=None, status=200):
    return page(
        request,
        "dashboard/feedback/settings.html",
        {
            "section": "feedback",
            "tab": "settings",
            "row": row,
            "form": form or FeedbackSettingsForm(initial=_settings_initial(row)),
            "webhook_form": webhook_form or FeedbackWebhookForm(initial=_webhook_initial(row)),
            "deliveries": recent_deliveries(request.store),
            "widget_script": settings.BASE_URL + static("feedback/widget.js"),
            "widget_frame": settings.BASE_URL
            + reverse("feedback:widget", args=[request.store.public_id, "PRODUCT-ID"]),
        },
        status=status,
    )


@store_view(Permission.VIEW, post=Permission.SETTINGS)
def feedback_settings(request):
    row = settings_of(request.store)
    if request.method != "POST":
        return _settings_page(request, row)
    form = FeedbackSettingsForm(request.POST)
    if form.is_valid():
        try:
            do_update_settings(request.store, request.user, **form.cleaned_data)
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "The feedback settings are saved.")
            return redirect(reverse("dashboard:feedback_settings", args=[request.store.slug]))
    return _settings_page(request, row, form=form, status=400)


@store_view(Permission.INTEGRATIONS)
@require_POST
def webhook(request):
    row = settings_of(request.store)
    form = FeedbackWebhookForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = do_configure_feedback_webhook(
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
            if row.new_secret:
                return _secret_created(request, row)
            messages.success(request, "The feedback webhook is saved.")
            return redirect(
                reverse("dashboard:feedback_settings", args=[request.store.slug]) + "#webhook"
            )
    return _settings_page(request, row, webhook_form=form, status=400)


def _secret_created(request, row):
    # Rendered, not redirected: the secret exists in clear only in this one response.
    response = page(
        request,
        "dashboard/feedback/secret_created.html",
        {"section": "feedback", "tab": "settings", "row": row, "secret": row.new_secret},
    )
    response["Cache-Control"] = "no-store"
    return response


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
    return redirect(reverse("dashboard:feedback_settings", args=[request.store.slug]) + "#webhook")
