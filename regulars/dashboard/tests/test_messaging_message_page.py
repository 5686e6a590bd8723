"""One message as the customer got it: the HTML inside a sandboxed frame that runs no script,
the text, the status history and the clicks."""

import re
from html import unescape

import pytest

from regulars.dashboard.tests.messaging_data import clicked, sent_message
from regulars.dashboard.tests.shop import customer, url

pytestmark = pytest.mark.django_db

EVIL = '<p>Hi</p><script>alert("x")</script><img src=x onerror="alert(1)">'


def _frame(html: str) -> re.Match:
    found = re.search(r'<iframe class="message-frame"([^>]*)>', html)
    assert found is not None
    return found


def test_the_html_is_escaped_into_the_srcdoc_of_a_sandboxed_frame(client, store, owner):
    ana = customer(store, "c1", first_name="Ana")
    message = sent_message(store, ana, html=EVIL)
    client.force_login(owner)

    html = client.get(url("message", store, message.pk)).content.decode()

    attributes = _frame(html).group(1)
    assert " sandbox " in attributes
    assert "allow-scripts" not in attributes and "allow-same-origin" not in attributes
    srcdoc = re.search(r'srcdoc="([^"]*)"', attributes).group(1)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in srcdoc
    assert "<script>" not in srcdoc
    assert unescape(srcdoc) == '<base target="_blank">' + message.body_html
    assert "<script>alert" not in html


def test_a_message_without_html_has_no_frame(client, store, owner):
    ana = customer(store, "c1", first_name="Ana")
    message = sent_message(store, ana, html="", text="Plain words only.")
    client.force_login(owner)

    html = client.get(url("message", store, message.pk)).content.decode()

    assert "<iframe" not in html
    assert '<pre class="pre pre--text">Plain words only.</pre>' in html


def test_the_clicks_and_their_count_are_listed(client, store, owner):
    ana = customer(store, "c1", first_name="Ana")
    message = sent_message(store, ana)
    clicked(message)
    clicked(message, "https://shop.example/blue-train")
    client.force_login(owner)

    html = client.get(url("message", store, message.pk)).content.decode()

    assert 'id="clicks-title">Clicks <span class="muted small">2</span>' in html
    assert html.index("https://shop.example/blue-train") < html.index(
        '<span class="sub">https://shop.example/sale</span>'
    )


def test_the_template_is_linked_when_the_message_used_one(client, store, owner):
    from regulars.dashboard.tests.messaging_data import template
    from regulars.messaging.services.sending import do_queue_message

    ana = customer(store, "c1", first_name="Ana")
    welcome = template(store, owner, purpose="transactional")
    message = do_queue_message(
        store, ana, channel="email", purpose="transactional", template_key="welcome"
    )
    client.force_login(owner)

    html = client.get(url("message", store, message.pk)).content.decode()

    assert f'href="{url("message_template", store, welcome.pk)}">welcome</a>' in html
    assert "<h1>Welcome to Vinyl Corner" in html
