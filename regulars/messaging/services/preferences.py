"""A customer's own choices: unsubscribe, the preference page, double opt-in, link clicks.

Consent itself is commerce's (Customer.*_consent with the ConsentChange audit trail, written
by `do_set_consent`); this module decides what a customer's click means and keeps the exact
words they agreed to, in their language.
"""

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from regulars.commerce.models import CONSENT_CHANNELS, Consent, ConsentChange, Customer
from regulars.commerce.services import do_set_consent
from regulars.core.errors import RegularsError
from regulars.messaging import links
from regulars.messaging.models import Click, Message
from regulars.messaging.services.sending import do_queue_message, messaging_settings

# What the customer agrees to, shown beside each box and kept word for word on subscription.
CONSENT_WORDING = {
    "email": gettext_lazy(
        "I want to receive marketing e-mails from %(store)s: offers, news and recommendations. "
        "I can unsubscribe at any time with the link in every e-mail."
    ),
    "sms": gettext_lazy(
        "I agree to receive marketing text messages from %(store)s at my phone number. "
        "Message frequency varies. Message and data rates may apply. Reply STOP to opt out."
    ),
    "whatsapp": gettext_lazy(
        "I agree to receive marketing messages from %(store)s on WhatsApp at my phone number. "
        "Message frequency varies. Reply STOP to opt out."
    ),
    "push": gettext_lazy(
        "I want to receive marketing notifications from %(store)s. I can turn them off at any time."
    ),
}

# A box left unticked changes nothing for these states, a ticked one nothing for the others.
OPTED_IN = (Consent.SUBSCRIBED, Consent.PENDING)


def customer_language(customer: Customer) -> str:
    """The customer's language, its base language, the store's default, else English."""
    for code in (customer.language, customer.store.default_language):
        if not code:
            continue
        try:
            return translation.get_supported_language_variant(
                code.replace("_", "-").lower(), strict=True
            )
        except LookupError:
            continue
    return "en"


def consent_texts(store) -> dict[str, str]:
    """Each channel's consent wording in the active language, with the store's name in it."""
    return {
        channel: str(CONSENT_WORDING[channel]) % {"store": store.name}
        for channel in CONSENT_CHANNELS
    }


def access_linked_customer(link: links.CustomerLink) -> Customer:
    """The customer a signed link names, looked up inside the store the link names."""
    customer = (
        Customer.objects.select_related("store")
        .filter(store_id=link.store_id, pk=link.customer_id)
        .first()
    )
    if customer is None:
        raise links.BadLink()
    return customer


def double_opt_in_enabled(store) -> bool:
    return messaging_settings(store).double_opt_in


def _check_channel(channel: str) -> None:
    if channel not in CONSENT_CHANNELS:
        raise RegularsError(
            f"{channel!r} is not a consent channel (one of {', '.join(CONSENT_CHANNELS)})",
            field="channel",
        )


# --- unsubscribe and the preference page ------------------------------------------------------


def do_unsubscribe(customer: Customer, channel: str, *, source: str) -> bool:
    """Withdraw marketing consent on one channel; False when it was already withdrawn."""
    _check_channel(channel)
    return do_set_consent(customer, channel=channel, state=Consent.UNSUBSCRIBED, source=source)


def _check_choices(choices: dict, texts: dict) -> None:
    for channel, wanted in choices.items():
        _check_channel(channel)
        if not isinstance(wanted, bool):
            raise RegularsError(f"{channel}: the choice must be true or false", field=channel)
        if wanted and not (texts.get(channel) or "").strip():
            # A subscription without the words the customer agreed to could not be proven.
            raise RegularsError(
                f"{channel}: a subscription needs the consent text the customer was shown",
                field=channel,
            )


def do_save_preferences(
    customer: Customer, choices: dict[str, bool], *, source: str, texts: dict[str, str]
) -> dict[str, str]:
    """Apply the customer's ticks; the channels that changed, with their new state.

    Only an explicit True subscribes (a channel left out of `choices` is not touched), so SMS
    and WhatsApp are never opted in by default. With the store's double opt-in on, a new
    e-mail subscription waits ("pending") for the link in a confirmation e-mail.
    """
    _check_choices(choices, texts)
    double_opt_in = double_opt_in_enabled(customer.store)
    changed = {}
    with transaction.atomic():
        for channel in CONSENT_CHANNELS:
            if channel not in choices:
                continue
            wanted = choices[channel]
            if wanted == (getattr(customer, f"{channel}_consent") in OPTED_IN):
                continue
            if not wanted:
                state = Consent.UNSUBSCRIBED
            elif channel == "email" and double_opt_in:
                state = Consent.PENDING
            else:
                state = Consent.SUBSCRIBED
            text = texts[channel] if wanted else ""
            do_set_consent(customer, channel=channel, state=state, source=source, text=text)
            if state == Consent.PENDING:
                _queue_confirmation(customer)
            changed[channel] = str(state)
    return changed


# --- double opt-in ----------------------------------------------------------------------------


def _queue_confirmation(customer: Customer) -> None:
    store = customer.store
    context = {
        "store": store.name,
        "name": customer.first_name,
        "url": links.confirm_url(customer),
        "days": links.CONFIRM_MAX_AGE.days,
    }
    language = customer_language(customer)
    with translation.override(language):
        subject = translation.gettext("Confirm your subscription to %(store)s") % context
        body_text = render_to_string("messaging/email/confirm_subscription.txt", context)
        body_html = render_to_string(
            "messaging/email/confirm_subscription.html", {**context, "language": language}
        )
    # One confirmation per pending subscription: a second save of the same choice sends none.
    moment = customer.email_consent_at.isoformat()
    do_queue_message(
        store,
        customer,
        channel="email",
        purpose="transactional",
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        source="double_opt_in",
        idempotency_key=f"double_opt_in:{customer.pk}:{moment}",
    )


def pending_consent_text(customer: Customer) -> str:
    """The words the customer agreed to when the pending e-mail subscription was asked for."""
    change = (
        ConsentChange.objects.filter(
            store_id=customer.store_id, customer=customer, channel="email", state=Consent.PENDING
        )
        .order_by("-at", "-pk")
        .first()
    )
    return change.text if change else ""


def do_confirm_subscription(customer: Customer, *, text: str | None = None) -> bool:
    """Turn a pending e-mail subscription into a subscription; False if none was pending.

    `text` is what the confirmation page showed; by default the words agreed to when the
    subscription was asked for.
    """
    if customer.email_consent != Consent.PENDING:
        return False
    return do_set_consent(
        customer,
        channel="email",
        state=Consent.SUBSCRIBED,
        source="double_opt_in",
        text=pending_consent_text(customer) if text is None else text,
    )


# --- click tracking ---------------------------------------------------------------------------


def do_record_click(message_token: str, url: str, *, at=None) -> Click | None:
    """Count one click on a tracked link of a message; None (nothing kept) for an unknown one."""
    at = at or timezone.now()
    with transaction.atomic():
        # The message token is unguessable and unique across stores, like a store's public id.
        message_id = (
            Message.objects.filter(token=message_token).values_list("pk", flat=True).first()
        )
        if message_id is None:
            return None
        Message.objects.filter(pk=message_id).update(
            clicks=F("clicks") + 1,
            first_clicked_at=Coalesce(
                F("first_clicked_at"), Value(at, output_field=DateTimeField())
            ),
        )
        return Click.objects.create(message_id=message_id, url=url[:2000], at=at)
