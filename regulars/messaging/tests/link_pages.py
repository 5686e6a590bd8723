"""Builders for the tests of the customer's link pages (unsubscribe, preferences, clicks)."""

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.services.sending import do_queue_message


def make_customer(store, **overrides):
    """A customer of `store` built through the same ingestion service the API uses."""
    data = {
        "external_id": "c1",
        "email": "ana@example.com",
        "phone": "+14155550123",
        "first_name": "Ana",
        "email_consent": "subscribed",
    }
    data.update(overrides)
    return upsert_customer(store, CustomerIn(**data), source="api").obj


def make_message(store, customer, **overrides):
    """A logged transactional e-mail, queued through the send pipeline."""
    data = {
        "channel": "email",
        "purpose": "transactional",
        "subject": "Your order",
        "body_text": "Thanks for your order.",
        "body_html": "<p>Thanks for your order.</p>",
        "source": "test",
    }
    data.update(overrides)
    return do_queue_message(store, customer, **data)


def path_of(url: str) -> str:
    """The path of an absolute link, for the test client."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
