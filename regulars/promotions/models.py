"""Coupons: single-use codes issued to one customer, redeemed by the order that carries them,
announced to the store through a signed webhook so the store can honour them at checkout.

A coupon's stored status is `issued` or `redeemed`; "expired" is computed (an issued coupon
whose `expires_at` has passed), so no job has to run at each expiry and no row can be
expired and redeemed at once.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from regulars.commerce.models import Customer, Order
from regulars.core.models import Store


class CouponKind(models.TextChoices):
    PERCENT = "percent", "Percentage off"
    FIXED_AMOUNT = "fixed_amount", "Fixed amount off"


class CouponStatus(models.TextChoices):
    """What a coupon is now, as lists and the API show it (`expired` is computed)."""

    ISSUED = "issued", "Issued"
    REDEEMED = "redeemed", "Redeemed"
    EXPIRED = "expired", "Expired"


# The statuses a row stores.
STORED_STATUSES = (CouponStatus.ISSUED, CouponStatus.REDEEMED)


class CouponQuerySet(models.QuerySet):
    def with_status(self, status: str, now=None):
        """Coupons that are `status` now (issued, redeemed or expired)."""
        now = now or timezone.now()
        live = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        if status == CouponStatus.ISSUED:
            return self.filter(live, status=CouponStatus.ISSUED)
        if status == CouponStatus.EXPIRED:
            return self.filter(status=CouponStatus.ISSUED, expires_at__lte=now)
        return self.filter(status=status)


class Coupon(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="coupons")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="coupons")
    # Upper-case; a code typed in any case finds it.
    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=CouponKind.choices)
    # Percent (15 = 15 %) or an amount in `currency`.
    value = models.DecimalField(max_digits=14, decimal_places=3)
    currency = models.CharField(max_length=3)
    minimum_spend = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField()
    # Who issued it, e.g. "journey:anniversary", "api", "dashboard".
    source = models.CharField(max_length=60, blank=True, default="")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(
        max_length=10,
        choices=[(s.value, s.label) for s in STORED_STATUSES],
        default=CouponStatus.ISSUED,
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="redeemed_coupons"
    )
    # When the store's coupon webhook accepted the coupon.issued event.
    announced_at = models.DateTimeField(null=True, blank=True)

    objects = CouponQuerySet.as_manager()

    class Meta:
        constraints = [
            # Also the redemption look-up: (store, code).
            models.UniqueConstraint(fields=["store", "code"], name="coupon_unique_code"),
            models.UniqueConstraint(
                fields=["store", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="coupon_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in STORED_STATUSES]),
                name="coupon_stored_status",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "-issued_at"], name="coupon_store_issued"),
            models.Index(fields=["store", "status", "-issued_at"], name="coupon_store_status"),
            models.Index(fields=["customer", "-issued_at"], name="coupon_customer"),
        ]

    def __str__(self) -> str:
        return self.code

    def current_status(self, now=None) -> str:
        now = now or timezone.now()
        if (
            self.status == CouponStatus.ISSUED
            and self.expires_at is not None
            and self.expires_at <= now
        ):
            return CouponStatus.EXPIRED.value
        return self.status

    @property
    def state(self) -> str:
        """The status now: issued, redeemed or expired."""
        return self.current_status()


class CouponWebhook(models.Model):
    """Where a store wants its coupons announced (one per store), with the last result."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="coupon_webhook")
    url = models.URLField(max_length=1000, blank=True, default="")
    # Fernet-encrypted (core/secrets.py); only `secret_hint` is ever shown again.
    secret_encrypted = models.TextField(blank=True, default="")
    secret_hint = models.CharField(max_length=12, blank=True, default="")
    enabled = models.BooleanField(default=False)
    last_status_code = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"coupon webhook of {self.store}"


class AnnouncementEvent(models.TextChoices):
    ISSUED = "coupon.issued", "Issued"
    REDEEMED = "coupon.redeemed", "Redeemed"


class CouponAnnouncement(models.Model):
    """One attempt to post a coupon event to the store's coupon webhook, kept as a log."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="announcements")
    event = models.CharField(max_length=20, choices=AnnouncementEvent.choices)
    attempt = models.IntegerField()
    # The receiver's HTTP status; null when no answer came (connection failed, refused).
    status_code = models.IntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["coupon", "event", "attempt"], name="announcement_coupon")]

    def __str__(self) -> str:
        return f"{self.event} {self.coupon_id} attempt {self.attempt}"
