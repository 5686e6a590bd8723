"""Another store's messages, templates, suppressions and customers are unknown through one's own
store: a 404 for every page and action, and nothing changes."""

import pytest

from regulars.commerce.models import ConsentChange
from regulars.dashboard.tests.messaging_data import queued_message, suppressed, template
from regulars.dashboard.tests.shop import customer, url
from regulars.messaging.models import Suppression, Template

pytestmark = pytest.mark.django_db

PAGES = [
    "messages",
    "message_templates",
    "message_template_new",
    "suppressions",
    "messaging_channels",
]


@pytest.fixture
def rows(store, owner):
    ana = customer(store, "c1", first_name="Ana")
    return {
        "customer": ana.pk,
        "message": queued_message(store, ana).pk,
        "template": template(store, owner).pk,
        "suppression": suppressed(store).pk,
    }


@pytest.mark.parametrize("name", PAGES)
def test_an_outsider_gets_404_on_every_messaging_page(client, store, outsider, name):
    client.force_login(outsider)

    assert client.get(url(name, store)).status_code == 404


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("message", "message"),
        ("message_template", "template"),
        ("suppression_remove", "suppression"),
    ],
)
def test_another_stores_rows_are_not_found_through_ones_own_store(
    client, store, other_store, outsider, rows, name, row
):
    client.force_login(outsider)

    assert client.get(url(name, other_store, rows[row])).status_code == 404
    assert client.get(url(name, store, rows[row])).status_code == 404


def test_another_stores_rows_cannot_be_changed_through_ones_own_store(
    client, store, other_store, outsider, rows
):
    client.force_login(outsider)

    responses = [
        client.post(url("message_template_delete", other_store, rows["template"])),
        client.post(
            url("message_template", other_store, rows["template"]),
            {"purpose": "marketing", "subject": "Mine", "body_html": "x", "action": "save"},
        ),
        client.post(url("suppression_remove", other_store, rows["suppression"])),
        client.post(
            url("customer_consent", other_store, rows["customer"]),
            {"channel": "email", "state": "subscribed", "text": "Yes"},
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert Template.objects.get(pk=rows["template"]).subject == "Welcome to {{ store.name }}"
    assert Suppression.objects.filter(pk=rows["suppression"]).exists()
    assert not ConsentChange.objects.exists()


def test_copying_another_stores_template_starts_blank(client, store, other_store, outsider, rows):
    client.force_login(outsider)

    html = client.get(
        url("message_template_new", other_store) + f"?copy={rows['template']}"
    ).content.decode()

    assert "Welcome to {{ store.name }}" not in html
    assert 'name="key"' in html


def test_the_log_shows_only_the_stores_own_messages(client, store, other_store, outsider, rows):
    theirs = customer(other_store, "c9", first_name="Nok")
    queued_message(other_store, theirs, subject="Bangkok news")
    client.force_login(outsider)

    html = client.get(url("messages", other_store)).content.decode()
    filtered = client.get(url("messages", other_store) + f"?customer={rows['customer']}")

    assert "Bangkok news" in html and "Spring sale" not in html
    assert "Spring sale" not in filtered.content.decode()
    assert "Messages to <a" not in filtered.content.decode()
