"""Who may change what on the messaging pages: viewers change nothing; agents act for customers
(consent, suppressions) but not on channels, the contact budget or templates; every refusal is
the 403 page and leaves everything as it was."""

import pytest

from regulars.commerce.models import ConsentChange, Customer
from regulars.dashboard.tests.messaging_data import suppressed, template
from regulars.dashboard.tests.shop import customer, url
from regulars.messaging.models import ChannelConfig, MessagingSettings, Suppression, Template

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(store, owner):
    return {
        "customer": customer(store, "c1", first_name="Ana"),
        "template": template(store, owner),
        "suppression": suppressed(store),
    }


def _snapshot(store) -> dict:
    return {
        "configs": list(ChannelConfig.objects.filter(store=store).values_list("channel", "sender")),
        "settings": MessagingSettings.objects.filter(store=store).count(),
        "templates": list(Template.objects.filter(store=store).values_list("key", "subject")),
        "suppressions": list(Suppression.objects.filter(store=store).values_list("address")),
        "consents": list(
            Customer.objects.filter(store=store).values_list("email_consent", "sms_consent")
        ),
        "consent_changes": ConsentChange.objects.filter(store=store).count(),
    }


def _admin_posts(store, rows) -> list[tuple[str, dict]]:
    tpl = rows["template"].pk
    return [
        (
            url("messaging_channels", store),
            {"channel": "email", "email-enabled": "on", "email-sender": "x@example.com"},
        ),
        (
            url("messaging_budget", store),
            {"frequency_cap_hours": "1", "quiet_start": "01:00", "quiet_end": "02:00"},
        ),
        (url("messaging_test", store, "email"), {"test-email-address": "x@example.com"}),
        (
            url("message_template_new", store),
            {
                "key": "new",
                "channel": "sms",
                "language": "en",
                "purpose": "marketing",
                "body_text": "Hi",
                "action": "save",
            },
        ),
        (
            url("message_template", store, tpl),
            {
                "purpose": "marketing",
                "subject": "Changed",
                "body_html": "<p>x</p>",
                "action": "save",
            },
        ),
        (url("message_template_delete", store, tpl), {}),
    ]


def _support_posts(store, rows) -> list[tuple[str, dict]]:
    return [
        (
            url("customer_consent", store, rows["customer"].pk),
            {"channel": "sms", "state": "subscribed", "text": "I agree."},
        ),
        (url("suppressions", store), {"channel": "email", "address": "new@example.com"}),
        (url("suppression_remove", store, rows["suppression"].pk), {}),
    ]


def test_a_viewer_is_refused_every_change(client, store, member, rows):
    client.force_login(member)
    before = _snapshot(store)
    posts = _admin_posts(store, rows) + _support_posts(store, rows)

    responses = [client.post(path, data) for path, data in posts]

    assert [r.status_code for r in responses] == [403] * len(posts)
    assert "Your role in this store does not allow this." in responses[0].content.decode()
    assert _snapshot(store) == before
    assert before["templates"] == [("welcome", "Welcome to {{ store.name }}")]


def test_an_agent_is_refused_channels_budget_tests_and_templates(client, store, agent, rows):
    client.force_login(agent)
    before = _snapshot(store)
    posts = _admin_posts(store, rows)

    responses = [client.post(path, data) for path, data in posts]

    assert [r.status_code for r in responses] == [403] * len(posts)
    assert _snapshot(store) == before


def test_an_agent_may_change_consent_and_suppressions(client, store, agent, rows):
    client.force_login(agent)

    responses = [client.post(path, data) for path, data in _support_posts(store, rows)]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert ConsentChange.objects.filter(store=store, actor=agent).count() == 1
    assert list(Suppression.objects.filter(store=store).values_list("address", flat=True)) == [
        "new@example.com"
    ]


def test_a_viewer_sees_the_editor_without_save_or_delete(client, store, member, rows):
    client.force_login(member)

    html = client.get(url("message_template", store, rows["template"].pk)).content.decode()
    new = client.get(url("message_template_new", store))

    assert "Save template" not in html and "Delete template" not in html
    assert "Admins and owners can change templates" in html
    assert new.status_code == 403
