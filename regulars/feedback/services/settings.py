"""A store's feedback settings (FeedbackSettings): read with defaults, changed from the
dashboard's Feedback settings page. The webhook's URL and secret are changed by webhook.py."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from regulars.core.errors import RegularsError
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.feedback.models import FeedbackSettings

MAX_REPLY_WITHIN_HOURS = 24 * 30
MAX_BLOCKED_WORDS = 500
MAX_ALERT_EMAILS = 20


def settings_of(store) -> FeedbackSettings:
    """The store's settings; an unsaved row with the defaults when none was saved yet."""
    return FeedbackSettings.objects.filter(store=store).first() or FeedbackSettings(store=store)


def check_alert_emails(text: str) -> str:
    """One address per line (commas also separate); lower-cased, duplicates dropped."""
    found: list[str] = []
    for line_number, raw in enumerate((text or "").replace(",", "\n").splitlines(), start=1):
        address = raw.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise RegularsError(
                f"{raw.strip()!r} (entry {line_number}) is not an e-mail address.",
                field="alert_emails",
            ) from None
        if address not in found:
            found.append(address)
    if len(found) > MAX_ALERT_EMAILS:
        raise RegularsError(
            f"At most {MAX_ALERT_EMAILS} alert addresses; use a shared mailbox for more.",
            field="alert_emails",
        )
    return "\n".join(found)


def check_blocked_words(text: str) -> str:
    words: list[str] = []
    for raw in (text or "").splitlines():
        word = " ".join(raw.split()).lower()
        if word and word not in words:
            if len(word) > 60:
                raise RegularsError(
                    f"{word[:20]!r}… is longer than 60 characters; give one word or phrase per "
                    "line.",
                    field="blocked_words",
                )
            words.append(word)
    if len(words) > MAX_BLOCKED_WORDS:
        raise RegularsError(f"At most {MAX_BLOCKED_WORDS} blocked words.", field="blocked_words")
    return "\n".join(words)


def do_update_settings(
    store,
    user,
    *,
    auto_publish_min_rating: int,
    blocked_words: str,
    alert_emails: str,
    reply_within_hours: int,
) -> FeedbackSettings:
    check_permission(store, user, Permission.SETTINGS)
    if not 0 <= auto_publish_min_rating <= 5:
        raise RegularsError(
            "Give a rating from 1 to 5, or 0 to send every review to moderation.",
            field="auto_publish_min_rating",
        )
    if not 1 <= reply_within_hours <= MAX_REPLY_WITHIN_HOURS:
        raise RegularsError(
            f"Give a number of hours from 1 to {MAX_REPLY_WITHIN_HOURS}.",
            field="reply_within_hours",
        )
    blocked = check_blocked_words(blocked_words)
    emails = check_alert_emails(alert_emails)
    with transaction.atomic():
        row, _ = FeedbackSettings.objects.select_for_update().get_or_create(store=store)
        row.auto_publish_min_rating = auto_publish_min_rating
        row.blocked_words = blocked
        row.alert_emails = emails
        row.reply_within_hours = reply_within_hours
        row.save()
    return row
