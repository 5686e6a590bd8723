"""The Django admin, for superusers, never shows an API key hash or a webhook secret in full."""

import pytest
from django.contrib.auth import get_user_model

from regulars.core.models import ApiKey, WebhookSecret
from regulars.core.services import do_create_api_key, do_set_webhook_secret
from regulars.dashboard.tests.shop import customer, order

pytestmark = pytest.mark.django_db

SECRET = "shpss_0123456789abcdef"


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("root@example.com", "root@example.com", "pw")
    client.force_login(user)
    return user


def test_api_keys_and_secrets_are_never_shown_in_full(client, store, superuser):
    key, raw = do_create_api_key(store, name="Zapier")
    secret = do_set_webhook_secret(store, "shopify", SECRET)

    pages = [
        client.get("/admin/core/apikey/").content.decode(),
        client.get(f"/admin/core/apikey/{key.pk}/change/").content.decode(),
        client.get("/admin/core/webhooksecret/").content.decode(),
        client.get(f"/admin/core/webhooksecret/{secret.pk}/change/").content.decode(),
    ]

    for html in pages:
        assert raw not in html and key.key_hash not in html and SECRET not in html
    assert key.prefix in pages[0]
    assert "••••••••cdef" in pages[2]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/core/store/",
        "/admin/core/membership/",
        "/admin/commerce/customer/",
        "/admin/commerce/order/",
        "/admin/commerce/webhookdelivery/",
        "/admin/commerce/importrun/",
        "/admin/commerce/cart/",
        "/admin/commerce/event/",
        "/admin/commerce/product/",
    ],
)
def test_the_main_models_are_listed(client, store, superuser, path):
    customer(store, "c1")
    order(store, "1001", "c1")

    assert client.get(path).status_code == 200


def test_store_staff_cannot_open_the_admin(client, store, owner):
    client.force_login(owner)

    response = client.get("/admin/core/apikey/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert ApiKey.objects.count() == 0 and WebhookSecret.objects.count() == 0


def test_an_order_opens_with_its_lines_and_shipments(client, store, superuser):
    customer(store, "c1")
    placed = order(store, "1001", "c1")

    response = client.get(f"/admin/commerce/order/{placed.pk}/change/")

    assert response.status_code == 200
    assert "Blue Train LP" in response.content.decode()
