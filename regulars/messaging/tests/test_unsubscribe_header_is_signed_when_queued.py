"""The List-Unsubscribe header carries the URL the message's body was rendered with, signed once
when the message was queued: the worker does not sign it again (a secret key rotated in between
changes neither), and a message queued before messages kept their URL still gets one."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from regulars.messaging import links
from regulars.messaging.models import Channel, Message, Purpose
from regulars.messaging.services.sending import do_queue_message
from regulars.messaging.services.templates import do_save_template
from regulars.messaging.tests.email_delivery import BASE_URL, dispatch, queue_email
from regulars.messaging.tests.link_pages import make_customer, path_of

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock_and_https_links(settings, time_machine):
    settings.BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "shop@vinylcorner.example"
    time_machine.move_to(NOW, tick=False)


def _header_url(email) -> str:
    return re.fullmatch(r"\s*<(https://[^>]+)>", email["List-Unsubscribe"]).group(1)


def test_the_header_is_the_url_the_body_links_to_even_after_the_key_is_rotated(
    store, owner, smtp_server, settings
):
    customer = make_customer(store)
    do_save_template(
        store,
        owner,
        key="news",
        channel=Channel.EMAIL,
        language="en",
        purpose=Purpose.MARKETING,
        name="News",
        subject="New records",
        body_html='<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
        body_text="",
    )
    message = do_queue_message(
        store, customer, channel=Channel.EMAIL, purpose=Purpose.MARKETING, template_key="news"
    )
    signed_when_queued = links.unsubscribe_url(customer, "email")
    assert Message.objects.get(pk=message.pk).unsubscribe_url == signed_when_queued
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    assert links.unsubscribe_url(customer, "email") != signed_when_queued

    assert dispatch() == 1

    [email] = smtp_server.messages()
    assert _header_url(email) == signed_when_queued
    html = email.get_body(preferencelist=("html",)).get_content()
    assert f'href="{signed_when_queued}"' in html
    # Still good after the rotation: the old key is a fallback.
    response = Client().post(
        path_of(signed_when_queued),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.email_consent == "unsubscribed"


def test_a_message_queued_before_messages_kept_their_url_is_signed_when_sent(store, smtp_server):
    customer = make_customer(store)
    message = queue_email(store, customer, purpose=Purpose.MARKETING)
    Message.objects.filter(pk=message.pk).update(unsubscribe_url="")

    assert dispatch() == 1

    [email] = smtp_server.messages()
    assert _header_url(email) == links.unsubscribe_url(customer, "email")


def test_a_transactional_message_keeps_no_unsubscribe_url(store, smtp_server):
    message = queue_email(store, make_customer(store), purpose=Purpose.TRANSACTIONAL)

    assert dispatch() == 1

    assert Message.objects.get(pk=message.pk).unsubscribe_url == ""
    [email] = smtp_server.messages()
    assert email["List-Unsubscribe"] is None
