"""The coupon webhook: each coupon issued (and redeemed) is POSTed, signed, to the store, so the
store creates the code on its side before a customer types it at checkout.

Every attempt is kept (CouponAnnouncement). Transient failures (no answer, 408, 429, 5xx) are
tried again by the task after growing delays; any other answer is final. Posts go through
core.outbound, which refuses private and internal addresses.
"""

import secrets as random_secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from regulars.core import outbound
from regulars.core.errors import RegularsError
from regulars.core.money import minor_units
from regulars.core.ratelimit import hit
from regulars.core.roles import Permission
from regulars.core.secrets import SecretError, decrypt, encrypt, hint
from regulars.core.services import check_permission
from regulars.promotions.errors import PromotionsErrorCode
from regulars.promotions.models import (
    AnnouncementEvent,
    Coupon,
    CouponAnnouncement,
    CouponKind,
    CouponWebhook,
)

TESTS_PER_HOUR = 10
TEST_EVENT = "coupon.test"
# After attempt n fails transiently, the next comes RETRY_DELAYS[n - 1] later; after the last,
# the announcement stays failed in the log.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


def coupon_webhook(store) -> CouponWebhook | None:
    return CouponWebhook.objects.filter(store=store).first()


# --- set-up --------------------------------------------------------------------------------------


def do_configure_coupon_webhook(
    store, user, *, url: str, enabled: bool, secret: str | None = None
) -> CouponWebhook:
    """Save where coupons are announced. `secret=None` keeps the signing secret (making one if
    there is none yet), `""` makes a new one, text of 16+ characters is used as given.

    A secret Regulars made is on the returned row as `new_secret`, the only time it exists in
    clear; it is empty otherwise.
    """
    check_permission(store, user, Permission.INTEGRATIONS)
    url, secret = outbound.check_webhook_input(url, enabled, secret, what="coupons")
    with transaction.atomic():
        webhook = CouponWebhook.objects.select_for_update().filter(
            store=store
        ).first() or CouponWebhook(store=store)
        generated = ""
        if secret is None and webhook.secret_encrypted:
            pass  # keep the one saved
        elif secret:
            webhook.secret_encrypted, webhook.secret_hint = encrypt(secret), hint(secret)
        else:
            # Coupons are never announced unsigned: none given (or a new one asked) makes one.
            generated = outbound.new_signing_secret()
            webhook.secret_encrypted, webhook.secret_hint = encrypt(generated), hint(generated)
        webhook.url = url
        webhook.enabled = bool(enabled)
        webhook.save()
    webhook.new_secret = generated
    return webhook


# --- the event -----------------------------------------------------------------------------------


def decimal_text(value: Decimal, kind: str, currency: str) -> str:
    """A coupon amount as a JSON string: a percent without trailing zeros ("15", "12.5"), an
    amount in the currency's minor unit ("10.00")."""
    if kind == CouponKind.PERCENT:
        return f"{value.normalize():f}"
    return str(value.quantize(Decimal(1).scaleb(-minor_units(currency))))


def _amount(value: Decimal | None, currency: str) -> str | None:
    return None if value is None else decimal_text(value, CouponKind.FIXED_AMOUNT, currency)


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def event_body(coupon: Coupon, event: str) -> dict:
    """What the receiver gets; money as decimal strings, times ISO 8601 in UTC."""
    customer = coupon.customer
    body = {
        "event": event,
        "store": coupon.store.public_id,
        "coupon": {
            "code": coupon.code,
            "kind": coupon.kind,
            "value": decimal_text(coupon.value, coupon.kind, coupon.currency),
            "currency": coupon.currency,
            "minimum_spend": _amount(coupon.minimum_spend, coupon.currency),
            "expires_at": _iso(coupon.expires_at),
            "issued_at": _iso(coupon.issued_at),
            "customer": {"id": customer.external_id, "email": customer.email},
        },
    }
    if event == AnnouncementEvent.REDEEMED:
        order = coupon.redeemed_order
        body["coupon"]["redeemed_at"] = _iso(coupon.redeemed_at)
        body["coupon"]["order"] = (
            {"id": order.external_id, "name": order.name} if order is not None else None
        )
    return body


def idempotency_key(coupon: Coupon, event: str) -> str:
    """The code for coupon.issued; the code and ":redeemed" for coupon.redeemed, so that a
    receiver that drops repeated keys never drops the redemption as a copy of the issue."""
    return coupon.code if event == AnnouncementEvent.ISSUED else f"{coupon.code}:redeemed"


def _post(url: str, secret: str, body: dict, key: str) -> outbound.EventDelivery:
    return outbound.post_signed_event(url, secret, body, key, name="coupon")


def _record_result(webhook: CouponWebhook, delivery: outbound.EventDelivery, at) -> None:
    CouponWebhook.objects.filter(pk=webhook.pk).update(
        last_status_code=delivery.status_code, last_error=delivery.error, last_attempt_at=at
    )


# --- announcing (the task's work) ----------------------------------------------------------------


@dataclass
class AnnounceOutcome:
    summary: str
    retry_in: timedelta | None = None


def do_announce(coupon_id: int, event: str) -> AnnounceOutcome:
    """Post `event` for the coupon once; safe to run again (an announced event is not re-sent).

    `retry_in` tells the task when to try again after a transient failure.
    """
    if event not in AnnouncementEvent.values:
        return AnnounceOutcome(f"{event!r} is not a coupon event")
    coupon = (
        Coupon.objects.select_related("store", "customer", "redeemed_order")
        .filter(pk=coupon_id)
        .first()
    )
    if coupon is None:
        return AnnounceOutcome("no such coupon")
    done = CouponAnnouncement.objects.filter(coupon=coupon, event=event, ok=True).exists()
    if done:
        return AnnounceOutcome("already announced")
    webhook = CouponWebhook.objects.filter(store_id=coupon.store_id, enabled=True).first()
    if webhook is None or not webhook.url:
        return AnnounceOutcome("the store's coupon webhook is off")
    attempt = CouponAnnouncement.objects.filter(coupon=coupon, event=event).count() + 1
    try:
        secret = decrypt(webhook.secret_encrypted)
    except SecretError:
        delivery = outbound.EventDelivery(
            None, "the signing secret cannot be decrypted; generate a new one in the set-up"
        )
    else:
        delivery = _post(
            webhook.url, secret, event_body(coupon, event), idempotency_key(coupon, event)
        )
    now = timezone.now()
    with transaction.atomic():
        CouponAnnouncement.objects.create(
            store_id=coupon.store_id,
            coupon=coupon,
            event=event,
            attempt=attempt,
            status_code=delivery.status_code,
            ok=delivery.ok,
            error=delivery.error,
            at=now,
        )
        _record_result(webhook, delivery, now)
        if delivery.ok and event == AnnouncementEvent.ISSUED:
            Coupon.objects.filter(pk=coupon.pk, announced_at__isnull=True).update(announced_at=now)
    if delivery.ok:
        return AnnounceOutcome(f"announced (HTTP {delivery.status_code})")
    if delivery.transient and attempt <= len(RETRY_DELAYS):
        return AnnounceOutcome(
            f"attempt {attempt} failed: {delivery.error}", RETRY_DELAYS[attempt - 1]
        )
    return AnnounceOutcome(f"failed for good after attempt {attempt}: {delivery.error}")


# --- "send a test" -------------------------------------------------------------------------------


def test_body(store) -> dict:
    return {
        "event": TEST_EVENT,
        "store": store.public_id,
        "coupon": {
            # Never a real code: 0 is not in the alphabet codes are drawn from.
            "code": "TEST-0000-0000",
            "kind": CouponKind.PERCENT.value,
            "value": "10",
            "currency": store.currency,
            "minimum_spend": None,
            "expires_at": None,
            "issued_at": _iso(timezone.now()),
            "customer": {"id": "", "email": ""},
        },
    }


def do_send_test_event(store, user) -> outbound.EventDelivery:
    """Post a coupon.test event to the saved URL now (on or off) and keep its result."""
    check_permission(store, user, Permission.INTEGRATIONS)
    webhook = coupon_webhook(store)
    if webhook is None or not webhook.url or not webhook.secret_encrypted:
        raise RegularsError(
            "Save the URL that receives the coupons first.",
            field="url",
            code=PromotionsErrorCode.WEBHOOK_NOT_SET_UP,
        )
    hit(f"coupon-webhook-test:{store.pk}", limit=TESTS_PER_HOUR, window_seconds=3600)
    try:
        secret = decrypt(webhook.secret_encrypted)
    except SecretError as exc:
        raise RegularsError(
            "The signing secret cannot be decrypted; generate a new one.", field="secret"
        ) from exc
    delivery = _post(webhook.url, secret, test_body(store), "test-" + random_secrets.token_hex(8))
    _record_result(webhook, delivery, timezone.now())
    return delivery
