"""Stores (tenants), staff membership with a role, API keys (hashed), webhook secrets."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from regulars.core.money import ISO_4217
from regulars.core.roles import Role, role_allows
from regulars.core.timeutil import TimeError, check_timezone


def _public_id() -> str:
    return secrets.token_urlsafe(12)


def validate_timezone(value: str) -> None:
    try:
        check_timezone(value)
    except TimeError as exc:
        raise ValidationError(str(exc)) from exc


def validate_currency(value: str) -> None:
    if value not in ISO_4217:
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code")


class Store(models.Model):
    """A merchant's shop: the tenant every other row belongs to."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    # Unguessable id used in webhook URLs, so a URL alone does not reveal the store's slug.
    public_id = models.CharField(max_length=24, unique=True, default=_public_id, editable=False)
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    default_language = models.CharField(max_length=12, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff user's role in one store."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "user"], name="one_membership_per_user_store")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.store}"

    def allows(self, permission) -> bool:
        return role_allows(self.role, permission)


class ApiKeyScope(models.TextChoices):
    WRITE = "write", "Read and write"
    READ = "read", "Read only"


class ApiKey(models.Model):
    """A store's key for the JSON API. Only a SHA-256 of the key is kept; it is shown once."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    # The first characters of the key, kept in clear to find the row and to show in lists.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=5, choices=ApiKeyScope.choices, default=ApiKeyScope.WRITE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Platform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"


class WebhookSecret(models.Model):
    """The signing secret a store platform uses for its webhooks to this store."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_secrets")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    secret = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "platform"], name="one_secret_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.platform} secret"

    @property
    def masked(self) -> str:
        return "•" * 8 + self.secret[-4:]


class RateLimitCounter(models.Model):
    """Requests counted per key and fixed window; shared by every web process through the DB."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]
