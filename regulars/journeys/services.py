"""Giving a store its journeys, switching them on and off, and changing their settings."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.insights.models import Segment
from regulars.journeys import library
from regulars.journeys.conditions import check_conditions
from regulars.journeys.models import Enrollment, EnrollmentStatus, Journey
from regulars.messaging.services.templates import ensure_default_templates

_LOCAL_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
# Numeric settings: (smallest, largest) allowed.
_BOUNDS = {
    "delay_hours": (0, 24 * 60),
    "delay_days": (0, 365),
    "abandoned_minutes": (5, 7 * 24 * 60),
    "second_delay_hours": (1, 24 * 14),
    "max_days_since_last_order": (1, 3650),
    "lapsed_days": (1, 3650),
    "deadline_hours": (1, 24 * 30),
}
_COUPON_KINDS = ("percent", "fixed_amount")
_WHEN = ("churn_risk", "expected_order_missed", "days")


def ensure_journeys(store) -> list[Journey]:
    """The store's journeys, creating the built-in ones it lacks (switched off)."""
    existing = {j.key: j for j in Journey.objects.filter(store=store)}
    missing = [
        Journey(
            store=store,
            key=b.key,
            name=b.name,
            trigger=b.trigger,
            allow_reentry=b.allow_reentry,
            settings={},
            steps=library.build_steps(b.key, {}),
        )
        for b in library.LIBRARY.values()
        if b.key not in existing
    ]
    Journey.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Journey.objects.filter(store=store).order_by("pk"))


def access_journey(store, key: str) -> Journey:
    journey = Journey.objects.filter(store=store, key=key).select_related("store").first()
    if journey is None:
        if key in library.LIBRARY:
            ensure_journeys(store)
            return Journey.objects.select_related("store").get(store=store, key=key)
        raise RegularsError(
            "This store has no such journey.", code=CoreErrorCode.NOT_FOUND, field="key"
        )
    return journey


def do_set_journey_enabled(store, key: str, enabled: bool, *, user=None) -> Journey:
    """Switch a journey on (copying its templates into the store) or off (its enrollments in
    progress end: nothing more is sent)."""
    if user is not None:
        check_permission(store, user, Permission.SETTINGS)
    journey = access_journey(store, key)
    now = timezone.now()
    with transaction.atomic():
        if enabled and not journey.enabled:
            ensure_default_templates(store, keys=set(library.LIBRARY[key].templates))
            journey.enabled_at = now
            journey.evaluated_until = None
        if not enabled and journey.enabled:
            Enrollment.objects.filter(journey=journey, status=EnrollmentStatus.ACTIVE).update(
                status=EnrollmentStatus.EXITED,
                exit_reason="the journey was switched off",
                finished_at=now,
                next_run_at=None,
            )
        journey.enabled = enabled
        journey.save(update_fields=["enabled", "enabled_at", "evaluated_until", "updated_at"])
    return journey


def do_update_journey_settings(store, key: str, changes: dict, *, user=None) -> Journey:
    """Change some of a journey's settings; each checked, a RegularsError names the bad one.
    Enrollments in progress follow the new steps from their next step on."""
    if user is not None:
        check_permission(store, user, Permission.SETTINGS)
    journey = access_journey(store, key)
    if not isinstance(changes, dict):
        raise RegularsError("settings: an object is expected.", field="settings")
    built = library.LIBRARY[key]
    allow_reentry = changes.pop("allow_reentry", None)
    settings = {**journey.settings}
    for name, value in changes.items():
        settings[name] = check_setting(built, name, value, store=store)
    journey.settings = settings
    journey.steps = library.build_steps(key, settings)
    if allow_reentry is not None:
        if not isinstance(allow_reentry, bool):
            raise RegularsError("allow_reentry: true or false is expected.", field="allow_reentry")
        journey.allow_reentry = allow_reentry
    journey.save(update_fields=["settings", "steps", "allow_reentry", "updated_at"])
    return journey


def check_setting(built: library.BuiltIn, name: str, value, *, store=None):
    """One setting's value, checked against what the journey accepts (and, for a setting a
    later app registered, by that app for `store`)."""
    known = set(built.defaults) | {"conditions", "deadline_hours"}
    if built.trigger in (library.Trigger.CHURN_RISK, library.Trigger.LAPSED):
        known |= {"when", "lapsed_days"}
    if name not in known:
        raise RegularsError(
            f"{name}: not a setting of this journey; use one of {', '.join(sorted(known))}.",
            field=name,
        )
    if name == "channel":
        if value not in built.channels:
            raise RegularsError(
                f"channel: {value!r} is not offered here; use one of {', '.join(built.channels)}.",
                field=name,
            )
        return value
    if name in _BOUNDS:
        return _number(name, value, *_BOUNDS[name])
    if name == "local_time":
        if value in ("", None):
            return ""
        if not isinstance(value, str) or not _LOCAL_TIME.fullmatch(value):
            raise RegularsError("local_time: a time of day such as 10:00 is expected.", field=name)
        return value
    if name in ("sms_too", "second_reminder"):
        if not isinstance(value, bool):
            raise RegularsError(f"{name}: true or false is expected.", field=name)
        return value
    if name == "coupon":
        return check_coupon(value)
    if name == "threshold":
        if value in (None, ""):
            return None
        return float(_number(name, value, 0.01, 0.99))
    if name == "segment":
        if value not in Segment.values:
            raise RegularsError(
                f"segment: {value!r} is not a segment; use one of {', '.join(Segment.values)}.",
                field=name,
            )
        return value
    if name == "when":
        if value not in _WHEN:
            raise RegularsError(f"when: use one of {', '.join(_WHEN)}.", field=name)
        return value
    if name == "conditions":
        return check_conditions(value)
    if name in library.SETTING_CHECKS:
        return library.SETTING_CHECKS[name](store, value)
    return value


def _number(name: str, value, smallest, largest):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RegularsError(f"{name}: {value!r} is not a number.", field=name) from None
    if not number.is_finite() or not (smallest <= number <= largest):
        raise RegularsError(f"{name}: must be between {smallest} and {largest}.", field=name)
    return int(number) if number == number.to_integral_value() else float(number)


def check_coupon(value) -> dict | None:
    """The coupon a journey issues (None: no coupon)."""
    if value in (None, "", False):
        return None
    if not isinstance(value, dict):
        raise RegularsError(
            "coupon: an object with kind, value, minimum_spend, valid_days.", field="coupon"
        )
    kind = value.get("kind", "percent")
    if kind not in _COUPON_KINDS:
        raise RegularsError(
            f"coupon.kind: use one of {', '.join(_COUPON_KINDS)}.", field="coupon.kind"
        )
    amount = _number(
        "coupon.value",
        value.get("value"),
        Decimal("0.01"),
        Decimal(100 if kind == "percent" else 1_000_000),
    )
    minimum = value.get("minimum_spend")
    if minimum not in (None, ""):
        minimum = str(_number("coupon.minimum_spend", minimum, 0, 1_000_000))
    else:
        minimum = None
    days = _number("coupon.valid_days", value.get("valid_days", 30), 1, 365)
    return {"kind": kind, "value": str(amount), "minimum_spend": minimum, "valid_days": int(days)}
