"""Messages, templates and suppressions for the dashboard's messaging tests, made through the
messaging services the way the product makes them (queue, dispatch, click, suppress)."""

from regulars.messaging.models import Message, SuppressionReason, Template
from regulars.messaging.services.preferences import do_record_click
from regulars.messaging.services.sending import dispatch_due, do_queue_message, do_suppress
from regulars.messaging.services.templates import do_save_template

HTML = '<p>Hello <b>Ana</b> &amp; friends</p><p><a href="https://shop.example/sale">Sale</a></p>'


def sent_message(store, customer, *, subject="Your order", html=HTML, text="") -> Message:
    """A transactional e-mail queued and sent through Django's e-mail backend (locmem in tests),
    so its history reads queued -> sent."""
    message = do_queue_message(
        store,
        customer,
        channel="email",
        purpose="transactional",
        subject=subject,
        body_html=html,
        body_text=text or "Hello Ana & friends. Sale: https://shop.example/sale",
        source="test-suite",
    )
    dispatch_due()
    message.refresh_from_db()
    return message


def queued_message(store, customer, **fields) -> Message:
    data = {
        "channel": "email",
        "purpose": "marketing",
        "subject": "Spring sale",
        "body_text": "Twenty percent off.",
        "source": "journey:7",
        **fields,
    }
    return do_queue_message(store, customer, **data)


def clicked(message: Message, url: str = "https://shop.example/sale") -> None:
    do_record_click(message.token, url)


def template(store, user=None, **fields) -> Template:
    data = {
        "key": "welcome",
        "channel": "email",
        "language": "en",
        "purpose": "marketing",
        "name": "Welcome",
        "subject": "Welcome to {{ store.name }}",
        "body_html": "<p>Hi {{ customer.first_name }}</p>",
        "body_text": "",
        **fields,
    }
    return do_save_template(store, user, **data)


def suppressed(store, address="gone@example.com", channel="email", message=None):
    return do_suppress(
        store,
        channel=channel,
        address=address,
        reason=SuppressionReason.BOUNCED,
        detail="550 5.1.1 no such user",
        message=message,
    )
