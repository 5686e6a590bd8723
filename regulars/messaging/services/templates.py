"""Saving and deleting a store's message templates, and giving a store the built-in ones."""

import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.messaging.models import Channel, Purpose, Template
from regulars.messaging.rendering import check_template
from regulars.messaging.rendering.defaults import default_templates

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


def _check_fields(*, key, channel, language, purpose, name) -> None:
    if not _KEY.fullmatch(key or ""):
        raise RegularsError(
            f"key: {key!r} is not a template key (lower-case letters, digits, - and _, "
            "at most 60, such as order_confirmation)",
            field="key",
        )
    if channel not in Channel.values:
        raise RegularsError(
            f"channel: {channel!r} is not a channel; use one of {', '.join(Channel.values)}",
            field="channel",
        )
    languages = [code for code, _ in settings.LANGUAGES]
    if language not in languages:
        raise RegularsError(
            f"language: {language!r} is not a language of this site; use one of "
            f"{', '.join(languages)}",
            field="language",
        )
    if purpose not in Purpose.values:
        raise RegularsError(
            f"purpose: {purpose!r} is not a purpose; use one of {', '.join(Purpose.values)}",
            field="purpose",
        )
    if len(name or "") > 200:
        raise RegularsError("name: longer than 200 characters", field="name")


def do_save_template(
    store,
    user,
    *,
    key: str,
    channel: str,
    language: str,
    purpose: str,
    name: str,
    subject: str,
    body_html: str,
    body_text: str,
) -> Template:
    """Create or update the store's template for (key, channel, language); nothing is saved
    unless every field and every part of the text is valid (RegularsError names the field)."""
    _check_fields(key=key, channel=channel, language=language, purpose=purpose, name=name)
    subject = (subject or "").strip()
    check_template(channel=channel, subject=subject, body_html=body_html, body_text=body_text)
    with transaction.atomic():
        template, _ = Template.objects.update_or_create(
            store=store,
            key=key,
            channel=channel,
            language=language,
            defaults={
                "purpose": purpose,
                "name": (name or "").strip(),
                "subject": subject,
                "body_html": body_html or "",
                "body_text": body_text or "",
                "updated_by": user,
            },
        )
    return template


def do_delete_template(store, template_id) -> None:
    try:
        pk = int(template_id)
    except (TypeError, ValueError):
        pk = None
    deleted = Template.objects.filter(store=store, pk=pk).delete()[0] if pk else 0
    if not deleted:
        raise RegularsError(
            "This store has no such template.", code=CoreErrorCode.NOT_FOUND, field="template_id"
        )


def ensure_default_templates(store, keys: Iterable[str] | None = None) -> int:
    """Give `store` the built-in templates it lacks (only those with `keys` when given, e.g.
    a journey's as it is switched on); the number added. A template the store already has
    for the same (key, channel, language) is left exactly as it is."""
    defaults = default_templates(keys)
    existing = set(
        Template.objects.filter(store=store, key__in={d.key for d in defaults}).values_list(
            "key", "channel", "language"
        )
    )
    missing = [
        Template(
            store=store,
            key=d.key,
            channel=d.channel,
            language=d.language,
            purpose=d.purpose,
            name=d.name,
            subject=d.subject,
            body_html=d.body_html,
            body_text=d.body_text,
        )
        for d in defaults
        if (d.key, d.channel, d.language) not in existing
    ]
    # ignore_conflicts: a concurrent call that added the same ones first wins, harmlessly.
    Template.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
