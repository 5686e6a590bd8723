"""The customer's journeys on their timeline: entered a journey, and how it ended (completed,
or left with the reason: the order was cancelled, the customer unsubscribed ...)."""

from django.db.models import CharField, F, IntegerField, Value

from regulars.commerce.timeline import TimelineEntry, register_timeline_provider
from regulars.journeys.models import Enrollment, EnrollmentStatus

_COLUMNS = ["pk", "journey__name", "status", "exit_reason"]
# How each moment of an enrollment looks: (title, icon, tone).
_LOOKS = {
    "entered": ("Entered the journey “{name}”", "journey", "info"),
    "skipped": ("Not taken into the journey “{name}”", "journey", "neutral"),
    EnrollmentStatus.COMPLETED: ("Completed the journey “{name}”", "journey", "good"),
    EnrollmentStatus.EXITED: ("Left the journey “{name}”", "journey", "warn"),
}


@register_timeline_provider
def journey_entries(customer, *, before, limit: int) -> list[TimelineEntry]:
    """One entry when the customer entered a journey and one when it ended, in one query."""
    enrollments = Enrollment.objects.filter(
        store_id=customer.store_id, customer=customer
    ).order_by()
    parts = [
        _stamped(enrollments, "entered_at", "start", 0),
        _stamped(
            enrollments.filter(finished_at__isnull=False).exclude(status=EnrollmentStatus.SKIPPED),
            "finished_at",
            "end",
            1,
        ),
    ]
    if before is not None:
        parts = [part.filter(at__lt=before) for part in parts]
    rows = parts[0].union(parts[1], all=True).order_by("-at", "-moment_rank")[:limit]
    return [_entry(*row) for row in rows]


def _stamped(queryset, field: str, moment: str, rank: int):
    return queryset.annotate(
        at=F(field),
        moment=Value(moment, output_field=CharField()),
        moment_rank=Value(rank, output_field=IntegerField()),
    ).values_list(*_COLUMNS, "at", "moment", "moment_rank")


def _entry(pk, name, status, reason, at, moment, rank) -> TimelineEntry:
    if moment == "start":
        look = "skipped" if status == EnrollmentStatus.SKIPPED else "entered"
        detail = reason if status == EnrollmentStatus.SKIPPED else ""
    else:
        look = status if status in _LOOKS else EnrollmentStatus.EXITED
        detail = reason if status == EnrollmentStatus.EXITED else ""
    title, icon, tone = _LOOKS[look]
    return TimelineEntry(
        at=at,
        kind=f"journey.{look}",
        title=title.format(name=name),
        detail=detail,
        icon=icon,
        tone=tone,
        ref_kind="enrollment",
        ref_id=pk,
        rank=rank,
    )
