"""One store's pages and rows are invisible to everyone who is not its staff: always a 404,
the same answer as for a store or a row that does not exist."""

import pytest

from regulars.commerce.models import DeliveryStatus, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, raw
from regulars.core.models import ApiKey, Membership, WebhookSecret
from regulars.core.services import do_create_api_key
from regulars.dashboard.tests.shop import customer, order, url

pytestmark = pytest.mark.django_db

STORE_PAGES = [
    "customers",
    "insights",
    "orders",
    "deliveries",
    "imports",
    "messages",
    "message_templates",
    "suppressions",
    "store_settings",
    "staff",
    "api_keys",
    "webhooks",
    "messaging_channels",
    "store_home",
]


@pytest.fixture
def rows(store, owner, client, django_capture_on_commit_callbacks):
    """A customer, an order, a kept delivery, an API key and a membership of `store`."""
    connect(store)
    WebhookSender(client, django_capture_on_commit_callbacks).shopify(
        store, "orders/create", raw("shopify", "orders_create.json")
    )
    ana = customer(store, "c1", first_name="Ana")
    key, _ = do_create_api_key(store, name="Zapier")
    return {
        "customer": ana.pk,
        "order": order(store, "1001", "c1").pk,
        "delivery": WebhookDelivery.objects.get(store=store).pk,
        "key": key.pk,
        "membership": Membership.objects.get(store=store, user=owner).pk,
    }


@pytest.mark.parametrize("name", STORE_PAGES)
def test_an_outsider_gets_404_on_every_page_of_the_store(client, store, outsider, name):
    client.force_login(outsider)

    assert client.get(url(name, store)).status_code == 404


@pytest.mark.parametrize("name", STORE_PAGES)
def test_an_unknown_store_gets_the_same_404(client, store, outsider, name):
    client.force_login(outsider)

    assert client.get(f"/s/no-such-store/{url(name, store).split('/', 3)[3]}").status_code == 404


@pytest.mark.parametrize(
    ("name", "row"), [("customer", "customer"), ("order", "order"), ("delivery", "delivery")]
)
def test_an_outsider_gets_404_on_the_stores_rows(client, store, outsider, rows, name, row):
    client.force_login(outsider)

    assert client.get(url(name, store, rows[row])).status_code == 404


@pytest.mark.parametrize(
    ("name", "row"), [("customer", "customer"), ("order", "order"), ("delivery", "delivery")]
)
def test_another_stores_row_is_not_found_through_ones_own_store(
    client, store, other_store, outsider, rows, name, row
):
    client.force_login(outsider)

    assert client.get(url(name, other_store, rows[row])).status_code == 404


def test_another_stores_delivery_cannot_be_replayed_through_ones_own_store(
    client, store, other_store, outsider, rows
):
    client.force_login(outsider)
    before = WebhookDelivery.objects.values("status", "attempts").get(pk=rows["delivery"])

    response = client.post(url("delivery_replay", other_store, rows["delivery"]))

    assert response.status_code == 404
    assert WebhookDelivery.objects.values("status", "attempts").get(pk=rows["delivery"]) == before
    assert before == {"status": DeliveryStatus.PROCESSED, "attempts": 1}


def test_another_stores_api_key_cannot_be_revoked_through_ones_own_store(
    client, store, other_store, outsider, rows
):
    client.force_login(outsider)

    response = client.post(url("api_key_revoke", other_store, rows["key"]))

    assert response.status_code == 404
    assert ApiKey.objects.get(pk=rows["key"]).revoked_at is None


def test_another_stores_staff_cannot_be_changed_through_ones_own_store(
    client, store, other_store, outsider, rows
):
    client.force_login(outsider)

    role = client.post(url("staff_role", other_store, rows["membership"]), {"role": "viewer"})
    removal = client.post(url("staff_remove", other_store, rows["membership"]))

    assert (role.status_code, removal.status_code) == (404, 404)
    assert Membership.objects.get(pk=rows["membership"]).role == "owner"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "store_settings",
            {"name": "Mine", "currency": "EUR", "timezone": "UTC", "language": "en"},
        ),
        ("api_keys", {"name": "stolen", "scope": "write"}),
        ("webhooks", {"platform": "shopify", "secret": "attacker-secret-123"}),
        ("staff", {"email": "outsider@example.com", "role": "owner"}),
    ],
)
def test_an_outsider_cannot_post_to_the_stores_forms(client, store, outsider, rows, name, data):
    client.force_login(outsider)
    secrets_before = list(
        WebhookSecret.objects.filter(store=store).values_list("secret", flat=True)
    )

    response = client.post(url(name, store), data)

    assert response.status_code == 404
    store.refresh_from_db()
    assert (store.name, store.currency) == ("Vinyl Corner", "USD")
    assert list(ApiKey.objects.filter(store=store).values_list("name", flat=True)) == ["Zapier"]
    assert not Membership.objects.filter(store=store, user=outsider).exists()
    assert (
        list(WebhookSecret.objects.filter(store=store).values_list("secret", flat=True))
        == secrets_before
    )


@pytest.mark.parametrize(
    ("name", "row"),
    [("delivery_replay", "delivery"), ("api_key_revoke", "key"), ("staff_remove", "membership")],
)
def test_an_outsider_cannot_post_to_the_stores_row_actions(
    client, store, outsider, rows, name, row
):
    client.force_login(outsider)

    assert client.post(url(name, store, rows[row])).status_code == 404
    assert ApiKey.objects.get(pk=rows["key"]).revoked_at is None
    assert Membership.objects.filter(pk=rows["membership"]).exists()


def test_the_404_page_says_nothing_about_the_store(client, store, outsider):
    client.force_login(outsider)

    html = client.get(url("customers", store)).content.decode()

    assert "There is nothing here" in html
    assert "Vinyl Corner" not in html
