"""What each role may do: viewers and agents read; admins also replay, manage integrations and
settings; only owners manage staff. A refused action is a 403 page and changes nothing."""

import pytest

from regulars.commerce.models import WebhookDelivery
from regulars.commerce.tests.fixtures import SHOPIFY_SECRET, WebhookSender, connect, raw
from regulars.core.models import ApiKey, Membership, WebhookSecret
from regulars.core.services import do_create_api_key
from regulars.dashboard.tests.shop import url
from regulars.messaging.models import ChannelConfig, MessagingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(store, client, django_capture_on_commit_callbacks):
    connect(store)
    WebhookSender(client, django_capture_on_commit_callbacks).shopify(
        store, "orders/create", raw("shopify", "orders_create.json")
    )
    key, _ = do_create_api_key(store, name="Zapier")
    return {"delivery": WebhookDelivery.objects.get(store=store), "key": key}


def _snapshot(store) -> dict:
    store.refresh_from_db()
    return {
        "store": (store.name, store.currency, store.timezone, store.default_language),
        "keys": list(ApiKey.objects.filter(store=store).values_list("name", "revoked_at")),
        "secrets": list(
            WebhookSecret.objects.filter(store=store).values_list("platform", "secret")
        ),
        "staff": sorted(
            Membership.objects.filter(store=store).values_list("user__username", "role")
        ),
        "deliveries": list(
            WebhookDelivery.objects.filter(store=store).values_list("attempts", "status")
        ),
        "messaging": (
            ChannelConfig.objects.filter(store=store).count(),
            MessagingSettings.objects.filter(store=store).count(),
        ),
    }


def _refused_posts(store, kept, owner):
    owner_membership = Membership.objects.get(store=store, user=owner).pk
    return [
        (url("delivery_replay", store, kept["delivery"].pk), {}),
        (url("api_keys", store), {"name": "New key", "scope": "write"}),
        (url("api_key_revoke", store, kept["key"].pk), {}),
        (url("webhooks", store), {"platform": "shopify", "secret": "another-secret-123"}),
        (
            url("store_settings", store),
            {"name": "X", "currency": "EUR", "timezone": "UTC", "language": "en"},
        ),
        (url("staff", store), {"email": "friend@example.com", "role": "owner"}),
        (url("staff_role", store, owner_membership), {"role": "viewer"}),
        (url("staff_remove", store, owner_membership), {}),
        (
            url("messaging_channels", store),
            {"channel": "email", "email-enabled": "on", "email-sender": "x@example.com"},
        ),
        (
            url("messaging_budget", store),
            {"frequency_cap_hours": "1", "quiet_start": "01:00", "quiet_end": "02:00"},
        ),
        (url("messaging_test", store, "email"), {"test-email-address": "x@example.com"}),
    ]


@pytest.mark.parametrize("role", ["member", "agent"])
def test_viewers_and_agents_are_refused_every_change(client, store, owner, kept, role, request):
    client.force_login(request.getfixturevalue(role))
    before = _snapshot(store)

    responses = [client.post(path, data) for path, data in _refused_posts(store, kept, owner)]

    assert [r.status_code for r in responses] == [403] * 11
    assert _snapshot(store) == before
    assert ("Zapier", None) in before["keys"]
    assert before["secrets"] == [("shopify", SHOPIFY_SECRET), ("woocommerce", "wc-fixture-secret")]


@pytest.mark.parametrize("role", ["member", "agent"])
def test_viewers_and_agents_cannot_open_the_integration_pages(client, store, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("api_keys", store)).status_code == 403
    assert client.get(url("webhooks", store)).status_code == 403


def test_the_refusal_page_names_the_role_and_keeps_the_stores_navigation(client, store, member):
    client.force_login(member)

    response = client.get(url("api_keys", store))

    html = response.content.decode()
    assert "Your role in this store does not allow this." in html
    assert "You are <strong>viewer</strong> of Vinyl Corner" in html
    assert f'href="{url("customers", store)}"' in html


def test_a_viewer_reads_the_settings_without_a_form_and_sees_no_action_buttons(
    client, store, member, kept
):
    client.force_login(member)

    settings_page = client.get(url("store_settings", store)).content.decode()
    staff_page = client.get(url("staff", store)).content.decode()
    delivery_page = client.get(url("delivery", store, kept["delivery"].pk)).content.decode()

    assert "America/New_York" in settings_page and "Save settings" not in settings_page
    assert "Add to store" not in staff_page and "Remove</button>" not in staff_page
    assert "Replay delivery" not in delivery_page
    assert "API keys</a>" not in settings_page


def test_an_admin_manages_settings_and_integrations_but_not_staff(
    client, store, owner, admin, kept
):
    client.force_login(admin)

    settings = client.post(
        url("store_settings", store),
        {
            "name": "Vinyl Corner BKK",
            "currency": "THB",
            "timezone": "Asia/Bangkok",
            "language": "th",
        },
    )
    key = client.post(url("api_keys", store), {"name": "Admin key", "scope": "read"})
    replay = client.post(url("delivery_replay", store, kept["delivery"].pk))
    staff = client.post(url("staff", store), {"email": "friend@example.com", "role": "viewer"})

    assert (settings.status_code, key.status_code, replay.status_code) == (302, 200, 302)
    assert staff.status_code == 403
    store.refresh_from_db()
    assert (store.name, store.currency, store.timezone) == (
        "Vinyl Corner BKK",
        "THB",
        "Asia/Bangkok",
    )
    assert ApiKey.objects.filter(store=store, name="Admin key").exists()
    assert not Membership.objects.filter(store=store, user__username="friend@example.com").exists()
