"""The built-in journeys' message templates, in English, Thai and Armenian.

Messaging keeps the built-ins a store can be given (messaging/rendering/defaults.py) but cannot
import journeys, so journeys' `AppConfig.ready()` calls `register()`; switching a journey on
then copies its templates with `ensure_default_templates(store, keys=...)`, never overwriting
a merchant's edit. The words live in one module per language (en.py, th.py, hy.py), the markup
they share in blocks.py. E-mails leave `body_text` empty: it is derived from the HTML.
"""

from regulars.journeys.templates_library import en, hy, th
from regulars.journeys.templates_library.blocks import Email, Sms
from regulars.messaging.models import Channel, Purpose
from regulars.messaging.rendering.defaults import DefaultTemplate, register_default_templates

_T, _M = Purpose.TRANSACTIONAL.value, Purpose.MARKETING.value
_EMAIL, _SMS = Channel.EMAIL.value, Channel.SMS.value

# Each template key: its purpose and the channels it has a text for.
CATALOGUE: dict[str, tuple[str, tuple[str, ...]]] = {
    "order_confirmation": (_T, (_EMAIL, _SMS)),
    "shipping_update": (_T, (_EMAIL, _SMS)),
    "delivery_followup": (_T, (_EMAIL,)),
    "review_request": (_M, (_EMAIL,)),
    "first_order_thanks": (_M, (_EMAIL,)),
    "first_order_anniversary": (_M, (_EMAIL,)),
    "birthday_coupon": (_M, (_EMAIL, _SMS)),
    "winback": (_M, (_EMAIL, _SMS)),
    "cart_reminder": (_M, (_EMAIL, _SMS)),
    "cart_reminder_second": (_M, (_EMAIL,)),
    "champions_surprise": (_M, (_EMAIL,)),
}

TEXTS: dict[str, dict[str, dict[str, Email | Sms]]] = {
    "en": en.TEXTS,
    "th": th.TEXTS,
    "hy": hy.TEXTS,
}


def _template(key: str, channel: str, language: str, purpose: str) -> DefaultTemplate:
    text = TEXTS[language][key][channel]  # a missing translation fails at import, loudly
    common = {"key": key, "channel": channel, "language": language, "purpose": purpose}
    if isinstance(text, Email):
        return DefaultTemplate(
            **common, name=text.name, subject=text.subject, body_html=text.body_html
        )
    return DefaultTemplate(**common, name=text.name, body_text=text.text)


JOURNEY_TEMPLATES: list[DefaultTemplate] = [
    _template(key, channel, language, purpose)
    for key, (purpose, channels) in CATALOGUE.items()
    for channel in channels
    for language in TEXTS
]


def register() -> None:
    """Make the journey templates available to `ensure_default_templates` (idempotent)."""
    register_default_templates(JOURNEY_TEMPLATES)
