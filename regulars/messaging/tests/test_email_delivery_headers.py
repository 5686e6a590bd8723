"""A marketing e-mail reaches a real SMTP server with every header a mailbox provider asks of
a bulk sender (RFC 8058 one-click unsubscribe) and both parts; a transactional one has no
unsubscribe header."""

from datetime import UTC, datetime

import pytest

from regulars.messaging import links
from regulars.messaging.models import Channel, MessageStatus, Purpose
from regulars.messaging.services.sending import do_queue_message
from regulars.messaging.services.templates import do_save_template
from regulars.messaging.tests.email_delivery import (
    BASE_URL,
    dispatch,
    history,
    make_customer,
    queue_email,
)

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock_and_https_links(settings, time_machine):
    settings.BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "shop@vinylcorner.example"
    time_machine.move_to(NOW, tick=False)


def _new_arrivals_template(store, owner):
    return do_save_template(
        store,
        owner,
        key="new_arrivals",
        channel=Channel.EMAIL,
        language="en",
        purpose=Purpose.MARKETING,
        name="New arrivals",
        subject="{{ customer.first_name }}, new records are in",
        body_html=(
            "<p>Hi {{ customer.first_name }}, the records you asked about are in.</p>"
            '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>'
        ),
        body_text=(
            "Hi {{ customer.first_name }}, the records you asked about are in.\n"
            "Unsubscribe: {{ unsubscribe_url }}"
        ),
    )


def test_a_marketing_email_arrives_with_one_click_unsubscribe_and_both_parts(
    store, owner, smtp_server
):
    customer = make_customer(store, "ada@example.com", first_name="Ada")
    _new_arrivals_template(store, owner)
    message = do_queue_message(
        store,
        customer,
        channel=Channel.EMAIL,
        purpose=Purpose.MARKETING,
        template_key="new_arrivals",
    )

    assert dispatch() == 1

    unsubscribe = links.unsubscribe_url(customer, "email")
    assert unsubscribe.startswith("https://regulars.example/messaging/u/")
    [received] = smtp_server.received
    assert received.mail_from == "shop@vinylcorner.example"
    assert received.rcpt_tos == ("ada@example.com",)
    email = received.parsed()
    [sender] = email["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Vinyl Corner", "shop@vinylcorner.example")
    assert email["To"] == "ada@example.com"
    assert email["Subject"] == "Ada, new records are in"
    assert email["Message-ID"] == f"<{message.token}@vinylcorner.example>"
    # The value is too long for one 78-character line, so it is folded onto the next one; the
    # folding white space (RFC 5322 3.2.2) is kept by the parser and is not part of the URL.
    assert email["List-Unsubscribe"].lstrip() == f"<{unsubscribe}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.get_content_type() == "multipart/alternative"
    plain, html = email.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert plain.get_content() == (
        f"Hi Ada, the records you asked about are in.\nUnsubscribe: {unsubscribe}"
    )
    assert html.get_content_type() == "text/html"
    assert html.get_content() == (
        "<p>Hi Ada, the records you asked about are in.</p>"
        f'<p><a href="{unsubscribe}">Unsubscribe</a></p>'
    )

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at == NOW
    assert message.attempts == 1
    assert message.provider_message_id == f"<{message.token}@vinylcorner.example>"
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.SENT]


def test_a_transactional_email_has_no_unsubscribe_header(store, smtp_server):
    customer = make_customer(store, "ada@example.com")
    message = queue_email(
        store,
        customer,
        purpose=Purpose.TRANSACTIONAL,
        subject="Your order #1001",
        body_text="Thank you for your order.",
        body_html="<p>Thank you for your order.</p>",
    )

    assert dispatch() == 1

    [email] = smtp_server.messages()
    assert email["Subject"] == "Your order #1001"
    assert email["List-Unsubscribe"] is None
    assert email["List-Unsubscribe-Post"] is None
    assert email.get_body(preferencelist=("plain",)).get_content() == "Thank you for your order."
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert history(message) == [MessageStatus.QUEUED, MessageStatus.SENT]
