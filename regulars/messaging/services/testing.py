""" "Send me a test": a store's test message sent at once to a staff member's own address.

A test is not a customer message: it goes to the address the staff member typed, synchronously
through the channel's sender (the merchant wants the answer now, not after the queue), and is
not logged as a `Message`. It is rendered for a real customer of the store, so the merchant sees
what customers get; the customer's own addresses are never used as the recipient, and no link in
it can act for that customer (unsubscribe and preference links are left empty).

`example_customer` and `example_context` also feed the template editor's live preview.
"""

import logging
import re
import secrets as random_secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from regulars.commerce.models import Customer, Fulfillment, Order
from regulars.core.errors import CoreErrorCode, RateLimited, RegularsError
from regulars.core.ratelimit import hit
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.messaging.channels import open_sender
from regulars.messaging.channels.base import ChannelError, Outgoing
from regulars.messaging.models import Channel, Purpose
from regulars.messaging.rendering import (
    Rendered,
    TemplateMissing,
    build_context,
    render_message,
)
from regulars.messaging.rendering.defaults import TEST_MESSAGE
from regulars.messaging.services.channels import channel_config
from regulars.messaging.services.templates import ensure_default_templates

logger = logging.getLogger(__name__)

TESTS_PER_HOUR = 10
# A channel without a test template of its own borrows one written for a close channel.
_BORROWED_TEMPLATE = {
    Channel.WHATSAPP: Channel.SMS,
    Channel.PUSH: Channel.SMS,
    Channel.WEBHOOK: Channel.EMAIL,
}
_PHONE = re.compile(r"\+[1-9]\d{6,14}")
# Shown in place of a coupon, so a template that offers one renders in full.
SAMPLE_COUPON = {
    "code": "SAMPLE10",
    "description": "10% off your next order (a sample coupon)",
    "expires_at": "",
}


def example_customer(store, query: str = "") -> Customer:
    """The store's newest customer matching `query` (an e-mail, or part of an e-mail or name),
    the newest customer when `query` is empty, or an unsaved sample when the store has none.

    A query that matches nobody is an error naming the field `preview_as`.
    """
    customers = Customer.objects.filter(store=store).order_by("-created_at", "-pk")
    query = (query or "").strip()
    if query:
        found = customers.filter(email__iexact=query).first()
        if found is None:
            for term in query.split():
                customers = customers.filter(
                    Q(email__icontains=term)
                    | Q(first_name__icontains=term)
                    | Q(last_name__icontains=term)
                )
            found = customers.first()
        if found is None:
            raise RegularsError(
                f"No customer of this store matches {query!r}.",
                code=CoreErrorCode.NOT_FOUND,
                field="preview_as",
            )
        return found
    return customers.first() or sample_customer(store)


def sample_customer(store) -> Customer:
    """A customer that is not saved: previews and tests of a store without customers yet."""
    return Customer(
        store=store,
        first_name="Ana",
        last_name="Sample",
        email="ana.sample@example.com",
        phone="+14155550123",
        language=store.default_language,
    )


def example_context(store, customer: Customer) -> dict:
    """The variables of a message for `customer`, with their latest order and shipment (so an
    order or shipping template previews with real lines) and a sample coupon."""
    if customer.pk is None:
        return build_context(store, customer, coupon=SAMPLE_COUPON, recommendations=False)
    order = (
        Order.objects.filter(store=store, customer=customer).order_by("-placed_at", "-pk").first()
    )
    fulfillment = None
    if order is not None:
        fulfillment = Fulfillment.objects.filter(store=store, order=order).order_by("-pk").first()
    return build_context(
        store, customer, order=order, fulfillment=fulfillment, coupon=SAMPLE_COUPON
    )


def check_test_address(channel: str, address: str) -> str:
    """The address a test goes to, normalised; a RegularsError on field `address` if it cannot
    be one for `channel`."""
    address = (address or "").strip()
    if not address:
        raise RegularsError(
            "Give the address the test goes to.", code=CoreErrorCode.REQUIRED, field="address"
        )
    if len(address) > 320:
        raise RegularsError("The address is longer than 320 characters.", field="address")
    if channel == Channel.EMAIL:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise RegularsError(f"{address!r} is not an e-mail address.", field="address") from exc
        return address.lower()
    if channel in (Channel.SMS, Channel.WHATSAPP):
        phone = re.sub(r"[\s().-]", "", address)
        if not _PHONE.fullmatch(phone):
            raise RegularsError(
                f"{address!r} is not a phone number in international form, such as +14155550123.",
                field="address",
            )
        return phone
    if any(ch.isspace() for ch in address):
        raise RegularsError("The address may not contain spaces.", field="address")
    return address


def do_send_test(store, user, *, channel: str, address: str) -> str:
    """Send the store's "test_message" on `channel` to `address` now; the address it went to.

    Raises RegularsError with the channel's reason when it is not sent (code `channel_error`),
    and when the store sent more than TESTS_PER_HOUR tests in the hour (code `rate_limited`).
    """
    check_permission(store, user, Permission.INTEGRATIONS)
    if channel not in Channel.values:
        raise RegularsError(
            f"{channel!r} is not a channel; use one of {', '.join(Channel.values)}.",
            field="channel",
        )
    address = check_test_address(channel, address)
    try:
        hit(f"messaging-test:{store.pk}", limit=TESTS_PER_HOUR, window_seconds=3600)
    except RateLimited as exc:
        minutes = max(1, round(exc.retry_after / 60))
        raise RegularsError(
            f"A store may send {TESTS_PER_HOUR} test messages an hour; try again in {minutes} min.",
            code=CoreErrorCode.RATE_LIMITED,
        ) from exc
    ensure_default_templates(store)
    rendered = _render_test(store, channel)
    _deliver(store, channel, _outgoing(store, channel, address, rendered))
    return address


def _render_test(store, channel: str) -> Rendered:
    customer = example_customer(store)
    context = example_context(store, customer)
    language = store.default_language
    try:
        return render_message(
            store, key=TEST_MESSAGE, channel=channel, language=language, context=context
        )
    except TemplateMissing:
        borrowed = _BORROWED_TEMPLATE.get(channel)
        if borrowed is None:
            raise
    return render_message(
        store, key=TEST_MESSAGE, channel=borrowed, language=language, context=context
    )


def _outgoing(store, channel: str, address: str, rendered: Rendered) -> Outgoing:
    # The recipient fields hold the test address only: a push URL's {external_id} or {email}
    # must not lead to a real customer.
    extra = {"external_id": "", "email": "", "phone": "", "customer_id": ""}
    if channel == Channel.PUSH:
        extra = dict.fromkeys(extra, address)
    return Outgoing(
        message_id=0,
        token="test-" + random_secrets.token_hex(8),
        store_id=store.pk,
        customer_id=0,
        channel=channel,
        purpose=Purpose.TRANSACTIONAL,
        to_address=address,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        language=rendered.language,
        extra=extra,
    )


def _deliver(store, channel: str, outgoing: Outgoing) -> None:
    sender = None
    try:
        sender = open_sender(channel, channel_config(store, channel), store)
        sender.send(outgoing)
    except ChannelError as error:
        raise RegularsError(f"Not sent: {error.reason}", code="channel_error") from error
    except Exception as error:  # a channel's bug is reported to the merchant, not a 500
        logger.exception("the %s test message of store %s failed", channel, store.pk)
        raise RegularsError(
            f"Not sent: unexpected error ({type(error).__name__})", code="channel_error"
        ) from error
    finally:
        if sender is not None:
            sender.close()
