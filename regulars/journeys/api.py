"""The journeys part of the JSON API (/api/v1/journeys): the store's built-in journeys with
their settings and figures, switching one on or off, changing its settings, and who is in it."""

from decimal import Decimal

from django.db import transaction
from ninja import Path, Query, Router

from regulars.commerce.api import page_of
from regulars.commerce.schemas import ErrorsOut
from regulars.commerce.services.common import aware
from regulars.core.errors import RegularsError
from regulars.journeys import library
from regulars.journeys.figures import Figures, journey_figures
from regulars.journeys.models import Enrollment, Journey
from regulars.journeys.schemas import (
    EnrollmentFilters,
    EnrollmentPage,
    FiguresQuery,
    JourneyList,
    JourneyOut,
    JourneyPatchIn,
)
from regulars.journeys.services import (
    access_journey,
    do_set_journey_enabled,
    do_update_journey_settings,
    ensure_journeys,
)

router = Router(tags=["journeys"])

_READ_ERRORS = dict.fromkeys((400, 401, 404, 422, 429), ErrorsOut)
_WRITE_ERRORS = dict.fromkeys((400, 401, 403, 404, 413, 422, 429), ErrorsOut)
_CENTS = Decimal("0.001")
KeyPath = Path(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")


def journey_out(journey: Journey, figures: Figures, since) -> dict:
    built = library.LIBRARY.get(journey.key)
    return {
        "key": journey.key,
        "name": journey.name,
        "description": built.description if built else "",
        "trigger": journey.trigger,
        "enabled": journey.enabled,
        "enabled_at": journey.enabled_at,
        "allow_reentry": journey.allow_reentry,
        "channels": list(built.channels) if built else [],
        "templates": list(built.templates) if built else [],
        "settings": {**(built.defaults if built else {}), **journey.settings},
        "steps": journey.steps or [],
        "figures": {**figures.__dict__, "revenue": figures.revenue.quantize(_CENTS)},
        "figures_since": since,
    }


@router.get(
    "/journeys",
    response={200: JourneyList, **_READ_ERRORS},
    summary="The store's journeys, with their settings and figures",
    description="Every built-in journey, switched on or off. Figures count from `since` "
    "(default: since the beginning).",
)
def list_journeys(request, query: Query[FiguresQuery]):
    store = request.auth.store
    since = aware(query.since, store)
    figures = journey_figures(store, since=since)
    items = [journey_out(j, figures[j.key], since) for j in ensure_journeys(store)]
    return 200, {"items": items}


@router.get(
    "/journeys/{key}",
    response={200: JourneyOut, **_READ_ERRORS},
    summary="One journey, with its settings, steps and figures",
)
def get_journey(request, query: Query[FiguresQuery], key: str = KeyPath):
    store = request.auth.store
    journey = access_journey(store, key)
    since = aware(query.since, store)
    return 200, journey_out(journey, journey_figures(store, since=since)[key], since)


@router.patch(
    "/journeys/{key}",
    response={200: JourneyOut, **_WRITE_ERRORS},
    summary="Switch a journey on or off, or change its settings",
    description=(
        "`settings` lists only what changes. Switching a journey on copies its message "
        "templates into the store (an edited one is kept); switching it off ends the "
        "enrollments in progress. A bad value is refused with the setting named, and nothing "
        "changes."
    ),
)
def patch_journey(request, payload: JourneyPatchIn, key: str = KeyPath):
    store = request.auth.store
    changes = payload.settings.model_dump(exclude_unset=True) if payload.settings else {}
    if payload.enabled is None and not changes:
        raise RegularsError('Give "enabled", "settings" or both.', field="enabled")
    with transaction.atomic():
        journey = access_journey(store, key)
        if changes:
            try:
                journey = do_update_journey_settings(store, key, changes)
            except RegularsError as error:
                error.field = f"settings.{error.field}" if error.field else "settings"
                raise
        if payload.enabled is not None:
            journey = do_set_journey_enabled(store, key, payload.enabled)
    return 200, journey_out(journey, journey_figures(store)[key], None)


@router.get(
    "/journeys/{key}/enrollments",
    response={200: EnrollmentPage, **_READ_ERRORS},
    summary="Who entered the journey, newest first",
    description="`status` is active, completed, exited or skipped.",
)
def list_enrollments(request, filters: Query[EnrollmentFilters], key: str = KeyPath):
    store = request.auth.store
    journey = access_journey(store, key)
    enrollments = (
        Enrollment.objects.filter(store=store, journey=journey)
        .select_related("customer", "journey")
        .order_by("-entered_at", "-pk")
    )
    if filters.status:
        enrollments = enrollments.filter(status=filters.status)
    if filters.customer_id:
        enrollments = enrollments.filter(customer_id=filters.customer_id)
    if filters.customer_external_id:
        enrollments = enrollments.filter(customer__external_id=filters.customer_external_id)
    if filters.entered_since:
        enrollments = enrollments.filter(entered_at__gte=aware(filters.entered_since, store))
    return 200, page_of(enrollments, filters)
