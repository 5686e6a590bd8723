"""Shared steps of the e-mail delivery tests (test_email_delivery_*.py): customers made through
commerce's own services, messages queued and dispatched through the real pipeline."""

from datetime import datetime

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.models import Channel, Message, Purpose
from regulars.messaging.services.sending import dispatch_due, do_queue_message

# Links in messages must be https for List-Unsubscribe (RFC 8058); tests set this BASE_URL.
BASE_URL = "https://regulars.example"


def make_customer(
    store,
    email: str,
    *,
    consent: str = "subscribed",
    first_name: str = "Ada",
    language: str = "",
    timezone: str = "",
):
    data = CustomerIn(
        email=email,
        first_name=first_name,
        language=language,
        timezone=timezone,
        email_consent=consent,
    )
    return upsert_customer(store, data, source="api").obj


def queue_email(
    store,
    customer,
    *,
    purpose: str = Purpose.MARKETING,
    subject: str = "Our new records",
    body_text: str = "Hello, new records are in.",
    body_html: str = "<p>Hello, new records are in.</p>",
    **options,
) -> Message:
    return do_queue_message(
        store,
        customer,
        channel=Channel.EMAIL,
        purpose=purpose,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        **options,
    )


def dispatch(now: datetime | None = None, limit: int | None = None) -> int:
    """What the worker does: dispatch what is due, as the Tasks API entry point would."""
    options = {"now": now} if now is not None else {}
    if limit is not None:
        options["limit"] = limit
    return dispatch_due(**options)


def history(message: Message) -> list[str]:
    return list(message.events.order_by("at", "pk").values_list("status", flat=True))
