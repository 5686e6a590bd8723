"""End to end: the List-Unsubscribe URL of an e-mail received over SMTP unsubscribes in one
POST, and its tracked link counts the click and leads to the store."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from regulars.commerce.models import ConsentChange
from regulars.messaging.models import Click, MessageStatus, Purpose
from regulars.messaging.tests.email_delivery import BASE_URL, dispatch, queue_email
from regulars.messaging.tests.link_pages import make_customer, path_of

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
SALE = "https://vinylcorner.example/sale?a=1&b=2"


@pytest.fixture(autouse=True)
def _frozen_clock_and_https_links(settings, time_machine):
    settings.BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "shop@vinylcorner.example"
    time_machine.move_to(NOW, tick=False)


def _received_email(smtp_server, store, customer):
    message = queue_email(
        store,
        customer,
        purpose=Purpose.MARKETING,
        body_html='<p><a href="https://vinylcorner.example/sale?a=1&amp;b=2">Sale</a></p>',
        body_text=f"Sale: {SALE}",
    )
    assert dispatch() == 1
    [email] = smtp_server.messages()
    return message, email


def test_the_list_unsubscribe_url_unsubscribes_in_one_post(store, smtp_server):
    customer = make_customer(store)
    _message, email = _received_email(smtp_server, store, customer)
    url = re.fullmatch(r"\s*<(https://[^>]+)>", email["List-Unsubscribe"]).group(1)
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    response = Client(enforce_csrf_checks=True).post(
        path_of(url),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.email_consent == "unsubscribed"
    assert ConsentChange.objects.get(customer=customer, state="unsubscribed").source == "one_click"
    # The next marketing e-mail is held back by the pipeline's consent check.
    later = queue_email(store, customer, purpose=Purpose.MARKETING)
    dispatch()
    later.refresh_from_db()
    assert later.status == MessageStatus.SUPPRESSED
    assert len(smtp_server.messages()) == 1


def test_the_tracked_link_in_the_received_email_counts_and_redirects(client, store, smtp_server):
    customer = make_customer(store)
    message, email = _received_email(smtp_server, store, customer)
    html = email.get_body(preferencelist=("html",)).get_content()
    tracked = re.search(r'href="(https://regulars\.example/messaging/c/[^"]+)"', html).group(1)

    response = client.get(path_of(tracked))

    assert response.status_code == 302
    assert response["Location"] == SALE
    message.refresh_from_db()
    assert (message.clicks, message.first_clicked_at) == (1, NOW)
    assert list(Click.objects.values_list("url", flat=True)) == [SALE]
