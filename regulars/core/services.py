"""The only code in `core` that writes: stores, staff, API keys, webhook secrets.

Verbs: `access_*` fetch with store scope and permission, `check_*` validate raw input,
`do_*` write and trust their arguments.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from regulars.core.errors import CoreErrorCode, RegularsError, StorePermissionDenied
from regulars.core.models import (
    ApiKey,
    ApiKeyScope,
    Membership,
    Platform,
    Store,
    WebhookSecret,
)
from regulars.core.money import MoneyError, check_currency
from regulars.core.roles import Permission, Role
from regulars.core.timeutil import TimeError, check_timezone

API_KEY_PREFIX = "rg_"
# last_used_at is written at most this often per key, so a busy key does not write per request.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


# --- stores and staff -------------------------------------------------------------------------


def check_store_fields(*, name: str, currency: str, timezone_name: str, language: str) -> dict:
    name = (name or "").strip()
    if not name:
        raise RegularsError("A store needs a name.", field="name", code=CoreErrorCode.REQUIRED)
    try:
        currency = check_currency(currency)
    except MoneyError as exc:
        raise RegularsError(str(exc), field="currency") from exc
    try:
        timezone_name = check_timezone(timezone_name)
    except TimeError as exc:
        raise RegularsError(str(exc), field="timezone") from exc
    language = (language or "").strip().lower()
    if not language or len(language) > 12:
        raise RegularsError("A language code such as en, th or hy is needed.", field="language")
    return {"name": name, "currency": currency, "timezone": timezone_name, "language": language}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "store"
    slug, n = base, 2
    while Store.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def do_create_store(
    *, name: str, currency: str, timezone_name: str, language: str, owner=None, slug: str = ""
) -> Store:
    fields = check_store_fields(
        name=name, currency=currency, timezone_name=timezone_name, language=language
    )
    store = Store.objects.create(
        name=fields["name"],
        slug=slug or _unique_slug(fields["name"]),
        currency=fields["currency"],
        timezone=fields["timezone"],
        default_language=fields["language"],
    )
    if owner is not None:
        Membership.objects.create(store=store, user=owner, role=Role.OWNER)
    return store


def do_update_store(store: Store, *, name: str, currency: str, timezone_name: str, language: str):
    fields = check_store_fields(
        name=name, currency=currency, timezone_name=timezone_name, language=language
    )
    store.name = fields["name"]
    store.currency = fields["currency"]
    store.timezone = fields["timezone"]
    store.default_language = fields["language"]
    store.save(update_fields=["name", "currency", "timezone", "default_language"])
    return store


def stores_for_user(user) -> list[Store]:
    if not user.is_authenticated:
        return []
    return list(Store.objects.filter(memberships__user=user).order_by("name"))


def membership_for(user, store: Store) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, store=store).first()


def check_permission(store: Store, user, permission: Permission) -> None:
    """Refuse (StorePermissionDenied) unless `user`'s role in `store` allows `permission`: the
    staff check of every service that a person, not the API, calls."""
    membership = membership_for(user, store)
    if membership is None or not membership.allows(permission):
        raise StorePermissionDenied()


def access_store(user, slug: str, permission: Permission) -> tuple[Store, Membership]:
    """The store `slug` if `user` is staff there with a role that allows `permission`.

    A store the user is not staff of is reported as not found, so its existence is not leaked.
    """
    membership = (
        Membership.objects.select_related("store").filter(user=user, store__slug=slug).first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise RegularsError("No such store.", code=CoreErrorCode.NOT_FOUND)
    if not membership.allows(permission):
        raise StorePermissionDenied()
    return membership.store, membership


def check_role(role: str) -> str:
    if role not in Role.values:
        raise RegularsError(
            f"{role!r} is not a role; use one of {', '.join(Role.values)}.", field="role"
        )
    return role


@transaction.atomic
def do_set_member(store: Store, *, email: str, role: str, password: str | None = None):
    """Give the user with this e-mail a role in the store, creating the user if needed."""
    role = check_role(role)
    email = (email or "").strip().lower()
    if "@" not in email:
        raise RegularsError(f"{email!r} is not an e-mail address.", field="email")
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User.objects.create_user(username=email, email=email, password=password)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    membership, _ = Membership.objects.update_or_create(
        store=store, user=user, defaults={"role": role}
    )
    _check_store_keeps_an_owner(store)
    return membership


def do_remove_member(store: Store, membership: Membership) -> None:
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk, store=store).delete()
        _check_store_keeps_an_owner(store)


def _check_store_keeps_an_owner(store: Store) -> None:
    if not Membership.objects.filter(store=store, role=Role.OWNER).exists():
        raise RegularsError("A store must keep at least one owner.", field="role")


# --- API keys ---------------------------------------------------------------------------------


def _hash_key(raw_key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def do_create_api_key(
    store: Store, *, name: str, scope: str = ApiKeyScope.WRITE, created_by=None
) -> tuple[ApiKey, str]:
    """Create a key and return it with its raw value, which is never stored nor shown again."""
    name = (name or "").strip()
    if not name:
        raise RegularsError("Give the key a name.", field="name", code=CoreErrorCode.REQUIRED)
    if scope not in ApiKeyScope.values:
        raise RegularsError(f"{scope!r} is not a key scope.", field="scope")
    prefix = API_KEY_PREFIX + secrets.token_hex(5)
    raw_key = f"{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        store=store,
        name=name[:100],
        prefix=prefix,
        key_hash=_hash_key(raw_key),
        scope=scope,
        created_by=created_by,
    )
    return key, raw_key


def authenticate_api_key(raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key`, with its last use recorded; None if unknown or revoked."""
    if not raw_key or not raw_key.startswith(API_KEY_PREFIX) or "_" not in raw_key[3:]:
        return None
    prefix = raw_key[: raw_key.index("_", len(API_KEY_PREFIX))]
    key = ApiKey.objects.select_related("store").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash_key(raw_key)):
        return None
    if key.revoked_at is not None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def access_api_key(store: Store, key_id: int) -> ApiKey:
    key = ApiKey.objects.filter(store=store, pk=key_id).first()
    if key is None:
        raise RegularsError("No such API key.", code=CoreErrorCode.NOT_FOUND)
    return key


def do_revoke_api_key(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- webhook secrets --------------------------------------------------------------------------


def check_platform(platform: str) -> str:
    if platform not in Platform.values:
        raise RegularsError(f"{platform!r} is not a supported platform.", field="platform")
    return platform


def do_set_webhook_secret(store: Store, platform: str, secret: str) -> WebhookSecret:
    platform = check_platform(platform)
    secret = (secret or "").strip()
    if len(secret) < 8:
        raise RegularsError(
            "Paste the whole signing secret shown by your store platform (8 characters at least).",
            field="secret",
        )
    row, _ = WebhookSecret.objects.update_or_create(
        store=store, platform=platform, defaults={"secret": secret}
    )
    return row


def webhook_secret_for(store: Store, platform: str) -> str | None:
    return (
        WebhookSecret.objects.filter(store=store, platform=platform)
        .values_list("secret", flat=True)
        .first()
    )
