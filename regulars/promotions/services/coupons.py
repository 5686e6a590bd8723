"""Issuing coupons, finding them, and their variables for message templates."""

import re
import secrets
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.events import enqueue_on_commit
from regulars.core.money import minor_units
from regulars.promotions.errors import PromotionsErrorCode
from regulars.promotions.formatting import format_money, format_percent, last_day, zone
from regulars.promotions.models import (
    AnnouncementEvent,
    Coupon,
    CouponKind,
    CouponStatus,
    CouponWebhook,
)

# No 0/O, 1/I/L: a code read aloud or copied from paper is typed right. 31 symbols, almost
# 5 bits each: three groups of four give 59 bits, far beyond guessing at a checkout.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4
PREFIX_PATTERN = re.compile(r"[A-Z0-9]{1,12}")
MAX_VALID_DAYS = 3650
MAX_AMOUNT = Decimal("1e12")
_CODE_ATTEMPTS = 5


def new_code(prefix: str = "") -> str:
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)]
    return "-".join([prefix, *groups] if prefix else groups)


def normalise_code(code: object) -> str:
    """A code as stored: trimmed, upper-case (codes are matched whatever their case)."""
    return str(code).strip().upper() if isinstance(code, str) else ""


# --- checks --------------------------------------------------------------------------------------


def _decimal(value, field: str) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise RegularsError(f"{field}: give a number.", field=field, code=CoreErrorCode.REQUIRED)
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise RegularsError(f"{field}: {value!r} is not a number.", field=field) from exc
    if not number.is_finite():
        raise RegularsError(f"{field}: {value!r} is not a finite number.", field=field)
    return number


def _places(number: Decimal, places: int, field: str, unit: str) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise RegularsError(
            f"{field}: {number} has more decimals than {unit} allows ({places}).", field=field
        )
    return number.quantize(quantum)


def check_kind(kind) -> str:
    if kind not in CouponKind.values:
        raise RegularsError(
            f"kind: {kind!r} is not a coupon kind; use percent or fixed_amount.", field="kind"
        )
    return kind


def check_value(kind: str, value, currency: str) -> Decimal:
    number = _decimal(value, "value")
    if number <= 0:
        raise RegularsError("value: a coupon must give more than 0.", field="value")
    if kind == CouponKind.PERCENT:
        if number > 100:
            raise RegularsError("value: a percentage is 100 at most.", field="value")
        return _places(number, 2, "value", "a percentage")
    if number >= MAX_AMOUNT:
        raise RegularsError(f"value: {number} is too large.", field="value")
    return _places(number, minor_units(currency), "value", currency)


def check_minimum_spend(value, currency: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = _decimal(value, "minimum_spend")
    if number < 0:
        raise RegularsError("minimum_spend: it cannot be negative.", field="minimum_spend")
    if number >= MAX_AMOUNT:
        raise RegularsError(f"minimum_spend: {number} is too large.", field="minimum_spend")
    # 0 is "no minimum": stored as none, so the description does not say "orders of 0.00".
    return _places(number, minor_units(currency), "minimum_spend", currency) or None


def check_expiry(
    expires_at, valid_days, *, zone_name: str, now: datetime | None = None
) -> datetime | None:
    """The first moment the coupon no longer works (None: it never expires).

    `valid_days` counts whole days in the customer's zone: 14 on 1 March gives 15 March as the
    last day, usable until midnight there.
    """
    now = now or timezone.now()
    if expires_at is not None and valid_days is not None:
        raise RegularsError(
            "valid_days: give either expires_at or valid_days, not both.", field="valid_days"
        )
    if valid_days is not None:
        if isinstance(valid_days, bool) or not isinstance(valid_days, int):
            raise RegularsError("valid_days: give a whole number of days.", field="valid_days")
        if not 1 <= valid_days <= MAX_VALID_DAYS:
            raise RegularsError(
                f"valid_days: from 1 to {MAX_VALID_DAYS} days, not {valid_days}.",
                field="valid_days",
            )
        tz = zone(zone_name)
        day_after = now.astimezone(tz).date() + timedelta(days=valid_days + 1)
        return datetime.combine(day_after, time(0), tzinfo=tz).astimezone(UTC)
    if expires_at is None:
        return None
    if not isinstance(expires_at, datetime):
        raise RegularsError("expires_at: give a date and time.", field="expires_at")
    if timezone.is_naive(expires_at):
        raise RegularsError(
            "expires_at: give the time with its offset (e.g. 2026-04-01T00:00:00Z).",
            field="expires_at",
        )
    if expires_at <= now:
        raise RegularsError("expires_at: the expiry must be in the future.", field="expires_at")
    return expires_at.astimezone(UTC)


def check_prefix(prefix) -> str:
    prefix = "" if prefix is None else prefix
    if isinstance(prefix, str):
        prefix = prefix.strip().upper()
    if not isinstance(prefix, str) or (prefix and not PREFIX_PATTERN.fullmatch(prefix)):
        raise RegularsError(
            "prefix: up to 12 letters A-Z and digits, e.g. WELCOME.", field="prefix"
        )
    return prefix


def _check_text(value, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise RegularsError(f"{field}: give a text.", field=field)
    value = value.strip()
    if len(value) > limit:
        raise RegularsError(f"{field}: {limit} characters at most.", field=field)
    return value


# --- issue ---------------------------------------------------------------------------------------


def do_issue_coupon(
    store,
    customer,
    *,
    kind: str,
    value,
    minimum_spend=None,
    expires_at: datetime | None = None,
    valid_days: int | None = None,
    prefix: str = "",
    source: str = "",
    idempotency_key: str | None = None,
    currency: str | None = None,
) -> Coupon:
    """Issue `customer` a single-use coupon with a new unguessable code, and announce it to
    the store's coupon webhook once the transaction commits.

    Amounts are in the store's currency (`currency`, if given, must be it). The same
    `idempotency_key` again returns the first coupon, whatever the other arguments.
    """
    if customer is None or customer.store_id != store.pk:
        raise RegularsError("customer: no such customer in this store.", field="customer")
    key = _check_text(idempotency_key, "idempotency_key", 200) if idempotency_key else None
    if key:
        found = Coupon.objects.filter(store=store, idempotency_key=key).first()
        if found is not None:
            return found
    if currency not in (None, "", store.currency):
        raise RegularsError(
            f"currency: coupons of this store are in {store.currency}, not {currency!r}.",
            field="currency",
        )
    kind = check_kind(kind)
    now = timezone.now()
    coupon = Coupon(
        store=store,
        customer=customer,
        kind=kind,
        value=check_value(kind, value, store.currency),
        currency=store.currency,
        minimum_spend=check_minimum_spend(minimum_spend, store.currency),
        expires_at=check_expiry(
            expires_at, valid_days, zone_name=customer.timezone or store.timezone, now=now
        ),
        issued_at=now,
        source=_check_text(source or "", "source", 60),
        idempotency_key=key,
    )
    prefix = check_prefix(prefix)
    for _ in range(_CODE_ATTEMPTS):
        coupon.code = new_code(prefix)
        try:
            with transaction.atomic():
                coupon.save(force_insert=True)
                if announcing(store.pk):
                    from regulars.promotions.tasks import announce_coupon

                    enqueue_on_commit(announce_coupon, coupon.pk, AnnouncementEvent.ISSUED.value)
            return coupon
        except IntegrityError:
            coupon.pk = None
            if key:  # issued by a concurrent call with the same key a moment ago
                found = Coupon.objects.filter(store=store, idempotency_key=key).first()
                if found is not None:
                    return found
    # Five collisions in a row mean something other than chance; say so rather than loop.
    raise RegularsError(
        "No unused code could be drawn; try again.", code=PromotionsErrorCode.CODE_UNAVAILABLE
    )


def announcing(store_id: int) -> bool:
    """The store has its coupon webhook switched on (else nothing is queued to announce)."""
    return CouponWebhook.objects.filter(store_id=store_id, enabled=True).exclude(url="").exists()


# --- read ----------------------------------------------------------------------------------------


def access_coupons(
    store,
    *,
    customer_external_id: str = "",
    customer_id: int | None = None,
    status: str = "",
    source: str = "",
    search: str = "",
) -> QuerySet[Coupon]:
    """The store's coupons, newest first, narrowed by each filter given."""
    coupons = Coupon.objects.filter(store=store).select_related("customer", "redeemed_order")
    if customer_id:
        coupons = coupons.filter(customer_id=customer_id)
    if customer_external_id:
        coupons = coupons.filter(customer__external_id=customer_external_id)
    if status:
        if status not in CouponStatus.values:
            raise RegularsError(
                f"status: use one of {', '.join(CouponStatus.values)}.", field="status"
            )
        coupons = coupons.with_status(status)
    if source:
        coupons = coupons.filter(source=source)
    if search:
        term = search.strip()
        coupons = coupons.filter(
            Q(code__startswith=normalise_code(term)) | Q(customer__email__iexact=term)
        )
    return coupons.order_by("-issued_at", "-pk")


def access_coupon(store, code: str) -> Coupon:
    coupon = (
        Coupon.objects.filter(store=store, code=normalise_code(code))
        .select_related("customer", "redeemed_order")
        .first()
    )
    if coupon is None:
        raise RegularsError(
            f"No coupon with the code {code!r} in this store.", code=CoreErrorCode.NOT_FOUND
        )
    return coupon


# --- message variables ---------------------------------------------------------------------------


def describe(coupon: Coupon) -> str:
    """e.g. "15% off an order of 50.00 USD or more", "10.00 USD off your next order"."""
    if coupon.kind == CouponKind.PERCENT:
        amount = format_percent(coupon.value)
    else:
        amount = format_money(coupon.value, coupon.currency)
    if coupon.minimum_spend:
        spend = format_money(coupon.minimum_spend, coupon.currency)
        return f"{amount} off an order of {spend} or more"
    return f"{amount} off your next order"


def coupon_variables(coupon: Coupon) -> dict:
    """The coupon as plain text for message templates (`{{ coupon.code }}` ...).

    `expires_at` is the last day it can be used (YYYY-MM-DD) in the customer's time zone, the
    store's when the customer's is unknown; empty when it never expires.
    """
    zone_name = coupon.customer.timezone or coupon.store.timezone
    percent = coupon.kind == CouponKind.PERCENT
    return {
        "code": coupon.code,
        "description": describe(coupon),
        "expires_at": last_day(coupon.expires_at, zone_name),
        "kind": coupon.kind,
        "value": (
            format_percent(coupon.value) if percent else format_money(coupon.value, coupon.currency)
        ),
        "minimum_spend": (
            format_money(coupon.minimum_spend, coupon.currency) if coupon.minimum_spend else ""
        ),
    }
