"""Webhook settings: the URL to paste per platform and the signing secret, shown masked."""

import pytest

from regulars.core.models import WebhookSecret
from regulars.core.services import webhook_secret_for
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, store, admin, settings):
    settings.BASE_URL = "https://regulars.example.com"
    client.force_login(admin)
    return client


def test_it_shows_the_address_to_paste_for_each_platform(signed_in, store):
    html = signed_in.get(url("webhooks", store)).content.decode()

    assert f"https://regulars.example.com/webhooks/shopify/{store.public_id}" in html
    assert f"https://regulars.example.com/webhooks/woocommerce/{store.public_id}" in html
    assert "Settings → Notifications" in html
    assert "WooCommerce → Settings → Advanced → Webhooks" in html
    assert html.count("Not connected") == 2


def test_the_shown_address_is_the_one_the_intake_answers(signed_in, store):
    response = signed_in.post(f"/webhooks/shopify/{store.public_id}", b"{}", "application/json")

    # Unsigned: refused, but by the intake of this store (a wrong address would be a 404).
    assert response.status_code == 401


def test_setting_a_secret_keeps_it_and_shows_only_its_end(signed_in, store):
    secret = "shpss_0123456789abcdef"

    response = signed_in.post(url("webhooks", store), {"platform": "shopify", "secret": secret})

    assert response.status_code == 302
    assert webhook_secret_for(store, "shopify") == secret
    html = signed_in.get(url("webhooks", store)).content.decode()
    assert secret not in html
    assert "<code>••••••••cdef</code>" in html
    assert "Secret set" in html


def test_a_too_short_secret_is_refused_with_the_reason(signed_in, store):
    response = signed_in.post(url("webhooks", store), {"platform": "woocommerce", "secret": "abc"})

    assert response.status_code == 400
    assert (
        "Paste the whole signing secret shown by your store platform" in response.content.decode()
    )
    assert not WebhookSecret.objects.filter(store=store).exists()


def test_an_unknown_platform_is_refused(signed_in, store):
    response = signed_in.post(url("webhooks", store), {"platform": "magento", "secret": "x" * 20})

    assert response.status_code == 400
    assert "Choose Shopify or WooCommerce for the secret." in response.content.decode()
    assert not WebhookSecret.objects.filter(store=store).exists()
