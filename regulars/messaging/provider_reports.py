"""E-mail providers' tracking webhooks, through django-anymail, into services/reports.py.

anymail's views under /messaging/anymail/<esp>/tracking/ check the basic-auth secret
(ANYMAIL["WEBHOOK_SECRET"]) and the provider's own signature where there is one, turn each
provider's payload into an `AnymailTrackingEvent` and send its `tracking` signal: that signal
is anymail's only interface, so this receiver is connected in MessagingConfig.ready() and does
nothing but translate the event and call the service. An exception here answers 500, and the
provider sends the report again later.

anymail only warns when no basic-auth secret is set and then accepts anyone's reports; a forged
bounce or complaint would suppress addresses and unsubscribe customers, so without the secret
every report is refused (400) instead.
"""

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import tracking
from anymail.utils import get_anymail_setting

from regulars.messaging.services.reports import ProviderReport, do_apply_report

# SparkPost's bounce classes for temporary failures (soft bounce, DNS failure, mailbox full,
# too large, timeout, transient failure), from SparkPost's bounce classification codes.
_SPARKPOST_SOFT_CLASSES = {"20", "21", "22", "23", "24", "70"}


def _sparkpost_soft(esp_event) -> bool:
    events = (esp_event.get("msys") or {}).values()
    return any(str(event.get("bounce_class")) in _SPARKPOST_SOFT_CLASSES for event in events)


# Providers that report a temporary bounce as "bounced" and say so only in their own payload
# (Mailgun's temporary failures already arrive as "deferred").
_SOFT_BOUNCE_MARKS = {
    "Postmark": lambda esp_event: esp_event.get("Type") == "SoftBounce",
    "Amazon SES": lambda esp_event: (
        (esp_event.get("bounce") or {}).get("bounceType") == "Transient"
    ),
    "Brevo": lambda esp_event: esp_event.get("event") == "soft_bounce",
    "SparkPost": _sparkpost_soft,
}


def provider_marks_soft(esp_name: str, esp_event) -> bool:
    mark = _SOFT_BOUNCE_MARKS.get(esp_name)
    if mark is None or esp_event is None:
        return False
    try:
        return bool(mark(esp_event))
    except (AttributeError, TypeError):  # a payload of another shape than documented
        return False


def on_tracking_event(sender, event, esp_name, **kwargs) -> None:
    if not get_anymail_setting("webhook_secret", default=None):
        raise AnymailWebhookValidationFailure(
            f"{esp_name} report refused: set ANYMAIL_WEBHOOK_SECRET (user:password) and put the"
            " same credentials in the provider's webhook URL"
        )
    do_apply_report(
        ProviderReport(
            kind=event.event_type or "",
            message_id=str(event.message_id or ""),
            recipient=event.recipient or "",
            reject_reason=event.reject_reason or "",
            description=event.description or "",
            mta_response=event.mta_response or "",
            at=event.timestamp,
            provider=esp_name or "",
            soft=event.event_type == "bounced" and provider_marks_soft(esp_name, event.esp_event),
        )
    )


def connect() -> None:
    tracking.connect(on_tracking_event, dispatch_uid="regulars.messaging.provider_reports")
