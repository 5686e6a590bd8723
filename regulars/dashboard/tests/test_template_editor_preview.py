"""The editor's live preview: the posted text rendered for a real customer of the store, as
JSON; a customer's name is escaped in HTML; an error names the field and line; SMS segments."""

import pytest
from django.test import Client

from regulars.dashboard.tests.shop import customer, order, url
from regulars.messaging.models import Template

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def _preview(client, store, **fields):
    data = {
        "channel": "email",
        "language": "en",
        "purpose": "marketing",
        "subject": "Hi {{ customer.first_name }}",
        "body_html": "<p>Hello {{ customer.first_name }}</p>",
        "body_text": "",
        "preview_as": "",
        **fields,
    }
    return client.post(url("message_template_preview", store), data)


def test_it_renders_for_the_newest_customer_by_default(client, store, owner):
    customer(store, "c1", first_name="Old")
    ana = customer(store, "c2", first_name="Ana", email="ana@example.com")
    client.force_login(owner)

    response = _preview(client, store, body_text="Thanks, {{ customer.first_name }}!")

    assert response.status_code == 200
    data = response.json()
    assert data["subject"] == "Hi Ana"
    assert data["html"] == "<p>Hello Ana</p>"
    assert data["text"] == "Thanks, Ana!"
    assert data["customer"] == {
        "id": ana.pk,
        "name": "Ana",
        "email": "ana@example.com",
        "sample": False,
    }


def test_the_customer_is_picked_by_email_and_their_last_order_fills_the_order(client, store, owner):
    customer(store, "c1", first_name="Bo", email="bo@example.com")
    order(store, "1001", "c1")
    customer(store, "c2", first_name="Ana")
    client.force_login(owner)

    data = _preview(
        client,
        store,
        preview_as="BO@example.com",
        body_html="{% for line in order.lines %}{{ line.quantity }} × {{ line.title }}{% endfor %}",
    ).json()

    assert data["subject"] == "Hi Bo"
    assert data["html"] == "2 × Blue Train LP"


def test_a_customer_named_like_a_script_is_escaped_in_the_html_only(client, store, owner):
    customer(store, "c1", first_name=SCRIPT)
    client.force_login(owner)

    data = _preview(client, store, body_text="Hi {{ customer.first_name }}").json()

    assert data["html"] == "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert data["text"] == f"Hi {SCRIPT}"


def test_an_invalid_template_answers_the_field_and_line(client, store, owner):
    client.force_login(owner)

    response = _preview(client, store, body_html="<p>\n{% if customer.name %}\n")

    assert response.status_code == 200
    assert response.json() == {
        "error": {
            "field": "body_html",
            "message": "body_html, line 2: expected tag endif, but the text ends",
        }
    }


def test_nobody_matching_the_picker_is_an_error_on_the_picker(client, store, owner):
    customer(store, "c1", first_name="Ana")
    client.force_login(owner)

    response = _preview(client, store, preview_as="nobody@example.com")

    assert response.status_code == 200
    assert response.json()["error"] == {
        "field": "preview_as",
        "message": "No customer of this store matches 'nobody@example.com'.",
    }


def test_a_store_without_customers_previews_on_a_sample(client, store, owner):
    client.force_login(owner)

    data = _preview(client, store).json()

    assert data["subject"] == "Hi Ana"
    assert data["customer"]["sample"] is True


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("x" * 160, {"encoding": "GSM-7", "characters": 160, "segments": 1}),
        ("x" * 161, {"encoding": "GSM-7", "characters": 161, "segments": 2}),
        ("สวัสดี" * 12, {"encoding": "UCS-2", "characters": 72, "segments": 2}),
    ],
)
def test_sms_text_comes_with_its_segment_count(client, store, owner, text, segments):
    client.force_login(owner)

    data = _preview(client, store, channel="sms", subject="", body_html="", body_text=text).json()

    assert data["segments"] == segments


def test_a_post_without_a_channel_is_a_bad_request(client, store, owner):
    client.force_login(owner)

    response = _preview(client, store, channel="fax")

    assert response.status_code == 400
    assert response.json() == {"error": {"field": "channel", "message": "Choose a channel."}}


def test_the_preview_saves_nothing_and_a_viewer_may_use_it(client, store, member):
    client.force_login(member)

    response = _preview(client, store)

    assert response.status_code == 200
    assert not Template.objects.exists()


def test_another_store_cannot_preview_on_this_stores_customers(
    client, store, other_store, outsider
):
    customer(store, "c1", first_name="Ana", email="ana@example.com")
    client.force_login(outsider)

    foreign = _preview(client, store)
    own = _preview(client, other_store, preview_as="ana@example.com")

    assert foreign.status_code == 404
    assert own.status_code == 200
    assert own.json()["error"]["field"] == "preview_as"


def test_the_preview_needs_the_csrf_token(store, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert _preview(client, store).status_code == 403
