"""Every messaging page opens for the store's owner with what it is about."""

import pytest

from regulars.dashboard.tests.messaging_data import sent_message, suppressed, template
from regulars.dashboard.tests.shop import customer, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(store, owner):
    ana = customer(store, "c1", first_name="Ana", last_name="Silva")
    message = sent_message(store, ana)
    return {
        "customer": ana,
        "message": message,
        "template": template(store, owner),
        "suppression": suppressed(store, message=message),
    }


def test_the_message_log_lists_the_message_with_its_customer_and_status(client, store, owner, rows):
    client.force_login(owner)

    html = client.get(url("messages", store)).content.decode()

    assert f'href="{url("message", store, rows["message"].pk)}">Your order</a>' in html
    assert ">Ana Silva</a>" in html
    assert '<span class="badge badge--sent">Sent</span>' in html
    assert 'aria-current="page"' in html and ">Messages</a>" in html


def test_the_message_page_shows_subject_text_history_and_customer(client, store, owner, rows):
    client.force_login(owner)

    html = client.get(url("message", store, rows["message"].pk)).content.decode()

    assert '<p class="message-subject">Your order</p>' in html
    assert "Hello Ana &amp; friends." in html
    assert '<span class="badge badge--queued">Queued</span>' in html
    assert '<span class="badge badge--sent">Sent</span>' in html
    assert f'href="{url("customer", store, rows["customer"].pk)}">Ana Silva</a>' in html


@pytest.mark.parametrize(
    ("name", "row", "expected"),
    [
        ("message_templates", None, '<code class="h-code">welcome</code>'),
        ("message_template_new", None, "New template"),
        ("message_template", "template", "Save template"),
        ("suppressions", None, "gone@example.com"),
        ("suppression_remove", "suppression", "Remove gone@example.com from the suppression list?"),
        ("messaging_channels", None, "Send me a test"),
        ("customer", "customer", 'id="consent-title">Consent</h2>'),
    ],
)
def test_each_page_opens(client, store, owner, rows, name, row, expected):
    client.force_login(owner)
    args = [rows[row].pk] if row else []

    response = client.get(url(name, store, *args))

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_the_settings_tabs_lead_to_the_messaging_set_up(client, store, member):
    client.force_login(member)

    html = client.get(url("store_settings", store)).content.decode()

    assert f'href="{url("messaging_channels", store)}">Messaging</a>' in html
