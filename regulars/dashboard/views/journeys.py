"""Journeys: the list with a switch and the figures of each, the editor of one journey's
settings with links to its templates, a preview of its messages for a real customer, and who
is in it. Staff may read everything; switching and saving need SETTINGS."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from regulars.commerce.models import Customer
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.journeys_forms import (
    DEFAULT_PERIOD,
    PERIOD_LABELS,
    PERIODS,
    JourneySettingsForm,
)
from regulars.dashboard.views.base import PAGE_SIZE, page, store_view
from regulars.dashboard.views.journey_preview import preview_customer, preview_steps
from regulars.journeys import library
from regulars.journeys.figures import journey_figures
from regulars.journeys.models import Enrollment, EnrollmentStatus, Journey
from regulars.journeys.services import (
    access_journey,
    do_set_journey_enabled,
    do_update_journey_settings,
    ensure_journeys,
)
from regulars.journeys.templates_library import CATALOGUE
from regulars.messaging.models import Channel, Template

# The languages the built-in templates are written in.
TEMPLATE_LANGUAGES = ("en", "th", "hy")
# Enrollment status -> badge modifier of dashboard.css.
STATUS_BADGES = {
    EnrollmentStatus.ACTIVE: "queued",
    EnrollmentStatus.COMPLETED: "delivered",
    EnrollmentStatus.EXITED: "refunded",
    EnrollmentStatus.SKIPPED: "pending",
}


def _journey(store, key: str) -> Journey:
    """The store's journey `key`, or a 404 (a key no built-in journey has)."""
    try:
        return access_journey(store, key)
    except RegularsError as exc:
        if exc.code == CoreErrorCode.NOT_FOUND:
            raise Http404("No such journey.") from exc
        raise


def _period(request) -> tuple[str, object]:
    chosen = request.GET.get("period")
    if chosen not in PERIODS:
        chosen = DEFAULT_PERIOD
    days = PERIODS[chosen]
    return chosen, (timezone.now() - timedelta(days=days) if days else None)


@store_view(Permission.VIEW)
def journey_list(request):
    store = request.store
    period, since = _period(request)
    figures = journey_figures(store, since=since)
    rows = [
        {
            "journey": journey,
            "built": library.LIBRARY.get(journey.key),
            "figures": figures[journey.key],
        }
        for journey in ensure_journeys(store)
        if journey.key in library.LIBRARY
    ]
    return page(
        request,
        "dashboard/journeys/list.html",
        {"section": "journeys", "rows": rows, "period": period, "periods": PERIOD_LABELS},
    )


@store_view(Permission.SETTINGS)
@require_POST
def journey_switch(request, key: str):
    store = request.store
    journey = _journey(store, key)
    choice = request.POST.get("enabled")
    if choice not in ("on", "off"):
        return HttpResponseBadRequest("enabled: on or off is expected.")
    enabled = choice == "on"
    do_set_journey_enabled(store, journey.key, enabled, user=request.user)
    state = "on: it starts with the next customer it is for" if enabled else "off"
    messages.success(request, f"The journey “{journey.name}” is {state}.")
    if request.POST.get("back") == "journey":
        return redirect("dashboard:journey", store.slug, journey.key)
    return redirect("dashboard:journeys", store.slug)


@store_view(Permission.VIEW, post=Permission.SETTINGS)
def journey_edit(request, key: str):
    store = request.store
    journey = _journey(store, key)
    form = JourneySettingsForm(journey, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_journey_settings(store, journey.key, form.changes(), user=request.user)
        except RegularsError as exc:
            form.add_error(form.field_for(exc.field), exc.message)
        else:
            messages.success(request, f"The settings of “{journey.name}” are saved.")
            return redirect("dashboard:journey", store.slug, journey.key)
    period, since = _period(request)
    return page(
        request,
        "dashboard/journeys/edit.html",
        {
            **_journey_context(journey, "settings"),
            "form": form,
            "figures": journey_figures(store, since=since)[journey.key],
            "period": period,
            "periods": PERIOD_LABELS,
            "steps": [describe_step(step) for step in journey.steps or []],
            "templates": template_links(store, journey),
        },
        status=400 if form.errors else 200,
    )


@store_view(Permission.VIEW)
def journey_preview(request, key: str):
    store = request.store
    journey = _journey(store, key)
    query = request.GET.get("customer", "").strip()[:200]
    customer, picker_error = preview_customer(store, query)
    return page(
        request,
        "dashboard/journeys/preview.html",
        {
            **_journey_context(journey, "preview"),
            "customer": customer,
            "query": query,
            "picker_error": picker_error,
            "previews": preview_steps(store, journey, customer),
        },
    )


@store_view(Permission.VIEW)
def journey_enrollments(request, key: str):
    store = request.store
    journey = _journey(store, key)
    status = request.GET.get("status", "")
    rows = Enrollment.objects.filter(store=store, journey=journey)
    customer = _customer_filter(store, request.GET.get("customer", ""))
    if customer is not None:
        rows = rows.filter(customer=customer)
    if status in EnrollmentStatus.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    rows = rows.select_related("customer").order_by("-entered_at", "-pk")
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    steps = journey.steps or []
    for enrollment in page_obj:
        enrollment.badge = STATUS_BADGES.get(enrollment.status, "pending")
        at_step = enrollment.status == EnrollmentStatus.ACTIVE and enrollment.step_index < len(
            steps
        )
        enrollment.step_text = describe_step(steps[enrollment.step_index]) if at_step else ""
    return page(
        request,
        "dashboard/journeys/enrollments.html",
        {
            **_journey_context(journey, "enrollments"),
            "page_obj": page_obj,
            "status": status,
            "statuses": EnrollmentStatus.choices,
            "step_count": len(steps),
            "customer": customer,
        },
    )


def _customer_filter(store, value: str):
    if not value.isdigit():
        return None
    return Customer.objects.filter(store=store, pk=int(value)).first()


@store_view(Permission.VIEW)
def enrollment(request, enrollment_id: int):
    """From a customer's timeline: the journey's list of that customer's enrollments."""
    found = get_object_or_404(
        Enrollment.objects.select_related("journey"), store=request.store, pk=enrollment_id
    )
    url = reverse("dashboard:journey_enrollments", args=[request.store.slug, found.journey.key])
    return redirect(f"{url}?customer={found.customer_id}")


def _journey_context(journey: Journey, tab: str) -> dict:
    return {
        "section": "journeys",
        "tab": tab,
        "journey": journey,
        "built": library.LIBRARY[journey.key],
    }


def describe_step(step: dict) -> str:
    """A step in words, e.g. "Wait 24 hours, then until 10:00 (customer's time)"."""
    kind = step.get("type")
    if kind == "wait":
        minutes = float(step.get("minutes") or 0)
        text = f"Wait {_duration(minutes)}" if minutes else ""
        if step.get("local_time"):
            until = f"until {step['local_time']} (customer's time)"
            if step.get("on_the_day"):
                until = f"until {step['local_time']} on the day (customer's time; at once if later)"
            text = f"{text}, then {until}" if text else f"Wait {until}"
        return text or "Go on at once"
    if kind == "send":
        channel = Channel(step["channel"]).label if step.get("channel") in Channel.values else ""
        return f"Send {channel} “{step.get('template', '')}” ({step.get('purpose', '')})"
    if kind == "coupon":
        unit = "%" if step.get("kind") == "percent" else " off"
        return f"Issue a coupon: {step.get('value')}{unit}, valid {step.get('valid_days')} days"
    if kind == "condition":
        fields = ", ".join(str(c.get("field")) for c in step.get("all") or [])
        otherwise = "skip the next step" if step.get("otherwise") == "skip" else "end"
        return f"Check {fields}; if not met, {otherwise}"
    if kind == "exit":
        return "End"
    return str(kind)


def _duration(minutes: float) -> str:
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size and minutes % size == 0:
            count = int(minutes // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes:g} minutes"


def template_links(store, journey: Journey) -> list[dict]:
    """Each template of the journey per channel and language: an edit link for the store's
    own, a "write it" link (copying a sibling) for a missing language. One query."""
    built = library.LIBRARY[journey.key]
    languages = list(dict.fromkeys([*TEMPLATE_LANGUAGES, store.default_language]))
    own = {
        (t.key, t.channel, t.language): t.pk
        for t in Template.objects.filter(store=store, key__in=built.templates).only(
            "pk", "key", "channel", "language"
        )
    }
    links = []
    for key in built.templates:
        for channel in CATALOGUE.get(key, (None, (Channel.EMAIL,)))[1]:
            sibling = next(
                (own[(key, channel, lang)] for lang in languages if (key, channel, lang) in own),
                None,
            )
            entries = []
            for language in languages:
                pk = own.get((key, channel, language))
                if pk:
                    url = reverse("dashboard:message_template", args=[store.slug, pk])
                else:
                    query = {"key": key, "channel": channel, "language": language}
                    if sibling:
                        query["copy"] = sibling
                    url = reverse("dashboard:message_template_new", args=[store.slug])
                    url += "?" + urlencode(query)
                entries.append({"language": language, "url": url, "exists": bool(pk)})
            links.append(
                {
                    "key": key,
                    "channel": channel,
                    "channel_label": Channel(channel).label,
                    "languages": entries,
                }
            )
    return links
