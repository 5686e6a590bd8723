"""A store's channel set-up and contact-budget settings: validated, secrets encrypted.

A secret (an Apprise URL with the provider's tokens, the webhook channel's signing key, the
token inbound SMS are signed with) is stored encrypted and only its last characters are ever
shown again; the webhook key Regulars generates is handed back once, to be shown once.
"""

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from regulars.commerce.models import CONSENT_CHANNELS
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.outbound import new_signing_secret
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.messaging import secrets
from regulars.messaging.channels import apprise_channel, webhook
from regulars.messaging.models import APPRISE_CHANNELS, Channel, ChannelConfig, MessagingSettings

MIN_SIGNING_SECRET = 16
FREQUENCY_CAP_RANGE = (1, 720)
SETTINGS_FIELDS = (
    "frequency_cap_hours",
    "quiet_start",
    "quiet_end",
    "quiet_hours_for_email",
    "double_opt_in",
    "webhook_consent_channel",
)


def channel_config(store, channel: str) -> ChannelConfig | None:
    return ChannelConfig.objects.filter(store=store, channel=channel).first()


def channel_configs(store) -> dict[str, ChannelConfig]:
    return {c.channel: c for c in ChannelConfig.objects.filter(store=store)}


@dataclass
class _Setup:
    sender: str = ""
    sender_name: str = ""
    reply_to: str = ""
    url: str = ""
    # None keeps the stored secret, "" clears it.
    secret: str | None = None
    # A secret Regulars made up, to hand back once.
    generated: str = ""


def _check_address(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise RegularsError(
                "Give the address messages are sent from.",
                field=field,
                code=CoreErrorCode.REQUIRED,
            )
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise RegularsError(f"{value!r} is not an e-mail address.", field=field) from exc
    return value


def _check_email(config, enabled, sender, sender_name, reply_to, url, secret) -> _Setup:
    sender_name = (sender_name or "").strip()
    # A line break in a header value would let it add headers of its own.
    if "\r" in sender_name or "\n" in sender_name:
        raise RegularsError("The sender name must be on one line.", field="sender_name")
    if len(sender_name) > 100:
        raise RegularsError("The sender name is longer than 100 characters.", field="sender_name")
    return _Setup(
        sender=_check_address(sender, "sender", required=enabled),
        sender_name=sender_name,
        reply_to=_check_address(reply_to, "reply_to", required=False),
    )


def _check_apprise(config, enabled, sender, sender_name, reply_to, url, secret) -> _Setup:
    if secret:
        secret = apprise_channel.check_url(config.channel, secret)
    kept = config.secret_encrypted if secret is None else secret
    if enabled and not kept:
        raise RegularsError(
            "Paste the Apprise URL of the service that sends these messages.",
            field="secret",
            code=CoreErrorCode.REQUIRED,
        )
    return _Setup(secret=secret)


def _check_webhook(config, enabled, sender, sender_name, reply_to, url, secret) -> _Setup:
    url = webhook.check_url(url) if (enabled or (url or "").strip()) else ""
    if secret is not None and secret != "":
        secret = secret.strip()
        if len(secret) < MIN_SIGNING_SECRET:
            raise RegularsError(
                f"A signing secret needs {MIN_SIGNING_SECRET} characters at least; leave it "
                "empty and one is generated.",
                field="secret",
            )
        return _Setup(url=url, secret=secret)
    if secret is None and config.secret_encrypted:
        return _Setup(url=url)
    # Messages are never sent unsigned: no secret given (or one cleared) means a new one.
    generated = new_signing_secret()
    return _Setup(url=url, secret=generated, generated=generated)


_CHECKS = {
    Channel.EMAIL: _check_email,
    **dict.fromkeys(APPRISE_CHANNELS, _check_apprise),
    Channel.WEBHOOK: _check_webhook,
}


def _store_secret(config: ChannelConfig, secret: str | None) -> None:
    if secret is None:
        return
    config.secret_encrypted = secrets.encrypt(secret) if secret else ""
    config.secret_hint = secrets.hint(secret)


def do_configure_channel(
    store,
    user,
    *,
    channel: str,
    enabled: bool,
    sender: str = "",
    sender_name: str = "",
    reply_to: str = "",
    url: str = "",
    secret: str | None = None,
) -> ChannelConfig:
    """Create or update how the store sends on `channel`.

    `secret=None` keeps the stored secret and `""` clears it, except on the webhook channel,
    which never sends unsigned: there no secret (or `""`) generates a new signing secret, and
    the returned config carries it in `new_secret` (empty otherwise), the only time it is
    available in clear. For SMS, WhatsApp and push the secret is the Apprise URL.
    """
    check_permission(store, user, Permission.INTEGRATIONS)
    if channel not in _CHECKS:
        raise RegularsError(
            f"{channel!r} is not a channel; use one of {', '.join(Channel.values)}.",
            field="channel",
        )
    with transaction.atomic():
        config = ChannelConfig.objects.select_for_update().filter(
            store=store, channel=channel
        ).first() or ChannelConfig(store=store, channel=channel)
        setup = _CHECKS[channel](config, bool(enabled), sender, sender_name, reply_to, url, secret)
        config.enabled = bool(enabled)
        config.sender = setup.sender
        config.sender_name = setup.sender_name
        config.reply_to = setup.reply_to
        config.url = setup.url
        _store_secret(config, setup.secret)
        config.save()
    config.new_secret = setup.generated
    return config


# --- contact budget and consent options --------------------------------------------------------


def messaging_settings(store) -> MessagingSettings:
    """The store's saved settings, or the defaults (unsaved) until it saves its own."""
    return MessagingSettings.objects.filter(store=store).first() or MessagingSettings(store=store)


def _check_cap(value) -> int:
    low, high = FREQUENCY_CAP_RANGE
    try:
        hours = int(value)
    except (TypeError, ValueError):
        hours = None
    if hours is None or isinstance(value, bool) or not low <= hours <= high:
        raise RegularsError(
            f"The frequency cap is a whole number of hours from {low} to {high}, not {value!r}.",
            field="frequency_cap_hours",
        )
    return hours


def _check_time(value, field: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise RegularsError(f"{value!r} is not a time of day such as 21:00.", field=field) from exc


_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"0", "false", "off", "no", ""}


def _check_bool(value, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise RegularsError(f"{value!r} is not yes or no.", field=field)


def _check_consent_channel(value) -> str:
    if value not in CONSENT_CHANNELS:
        raise RegularsError(
            f"{value!r} is not a consent channel; use one of {', '.join(CONSENT_CHANNELS)}.",
            field="webhook_consent_channel",
        )
    return value


_FIELD_CHECKS = {
    "frequency_cap_hours": _check_cap,
    "quiet_start": lambda v: _check_time(v, "quiet_start"),
    "quiet_end": lambda v: _check_time(v, "quiet_end"),
    "quiet_hours_for_email": lambda v: _check_bool(v, "quiet_hours_for_email"),
    "double_opt_in": lambda v: _check_bool(v, "double_opt_in"),
    "webhook_consent_channel": _check_consent_channel,
}


def do_save_messaging_settings(store, user, **fields) -> MessagingSettings:
    """Save the fields given (the others keep their value) after checking each."""
    check_permission(store, user, Permission.SETTINGS)
    unknown = sorted(set(fields) - set(_FIELD_CHECKS))
    if unknown:
        raise RegularsError(f"{unknown[0]!r} is not a messaging setting.", field=unknown[0])
    checked = {name: _FIELD_CHECKS[name](value) for name, value in fields.items()}
    with transaction.atomic():
        row = MessagingSettings.objects.select_for_update().filter(
            store=store
        ).first() or MessagingSettings(store=store)
        for name, value in checked.items():
            setattr(row, name, value)
        if _as_time(row.quiet_start) == _as_time(row.quiet_end):
            raise RegularsError(
                "Quiet hours must start and end at different times.", field="quiet_end"
            )
        row.save()
    return row


def _as_time(value) -> time:
    # An unsaved default row holds its times as the model's "21:00" strings.
    return value if isinstance(value, time) else time.fromisoformat(value)
