"""Coupons · Store webhook: owners and admins set the URL (internal addresses refused) and get
the signing secret once; viewers read; "send a test" posts to a real receiver."""

import re

import pytest

from regulars.core.secrets import decrypt
from regulars.core.tests.http_receiver import running_http_receiver
from regulars.dashboard.tests.shop import url
from regulars.promotions.models import CouponWebhook
from regulars.promotions.services import do_configure_coupon_webhook

pytestmark = pytest.mark.django_db

SECRET = "whsec_a-secret-chosen-for-this-test"


def test_saving_the_url_shows_the_new_secret_once(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("coupon_webhook", store),
        {"enabled": "on", "url": "https://shop.example/regulars/coupons"},
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    hook = CouponWebhook.objects.get(store=store)
    secret = decrypt(hook.secret_encrypted)
    html = response.content.decode()
    assert f'value="{secret}"' in html
    assert (hook.enabled, hook.url) == (True, "https://shop.example/regulars/coupons")

    page = client.get(url("coupon_webhook", store)).content.decode()
    assert secret not in page
    assert hook.secret_hint in page


def test_saving_again_keeps_the_secret_and_redirects(client, store, owner):
    first = do_configure_coupon_webhook(store, owner, url="https://shop.example/c", enabled=True)
    client.force_login(owner)

    response = client.post(url("coupon_webhook", store), {"url": "https://shop.example/other"})

    assert response.status_code == 302
    hook = CouponWebhook.objects.get(store=store)
    assert (hook.enabled, hook.url) == (False, "https://shop.example/other")
    assert decrypt(hook.secret_encrypted) == first.new_secret


@pytest.mark.parametrize(
    ("address", "words"),
    [("https://10.0.0.1/c", "a private network address"), ("http://shop.example/c", "https://")],
)
def test_a_refused_url_is_shown_beside_its_field(client, store, admin, address, words):
    client.force_login(admin)

    response = client.post(url("coupon_webhook", store), {"enabled": "on", "url": address})

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'field--error">\s*<span class="field__label">Receiving URL', html)
    assert words in html
    assert not CouponWebhook.objects.filter(store=store).exists()


def test_a_viewer_reads_but_cannot_change(client, store, owner, member):
    do_configure_coupon_webhook(store, owner, url="https://shop.example/c", enabled=True)
    client.force_login(member)

    page = client.get(url("coupon_webhook", store))
    refused = client.post(url("coupon_webhook", store), {"url": "https://evil.example/c"})
    test = client.post(url("coupon_webhook_test", store))

    assert page.status_code == 200
    assert "https://shop.example/c" in page.content.decode()
    assert "Admins and owners can change the webhook." in page.content.decode()
    assert (refused.status_code, test.status_code) == (403, 403)
    assert CouponWebhook.objects.get(store=store).url == "https://shop.example/c"


def test_an_outsider_gets_not_found(client, store, outsider):
    client.force_login(outsider)

    assert client.get(url("coupon_webhook", store)).status_code == 404
    assert (
        client.post(url("coupon_webhook", store), {"url": "https://x.example/"}).status_code == 404
    )
    assert not CouponWebhook.objects.filter(store=store).exists()


def test_send_a_test_posts_a_signed_event_and_shows_the_answer(client, store, owner):
    with running_http_receiver() as receiver:
        do_configure_coupon_webhook(
            store, owner, url=f"{receiver.url}/coupons", enabled=False, secret=SECRET
        )
        client.force_login(owner)

        response = client.post(url("coupon_webhook_test", store), follow=True)

    [request] = receiver.received
    assert request.json()["event"] == "coupon.test"
    assert "The test event was accepted: HTTP 200." in response.content.decode()
    assert "HTTP 200" in response.content.decode()


def test_a_failing_test_says_why(client, store, owner):
    with running_http_receiver() as receiver:
        receiver.answer(500)
        do_configure_coupon_webhook(
            store, owner, url=f"{receiver.url}/coupons", enabled=True, secret=SECRET
        )
        client.force_login(owner)

        response = client.post(url("coupon_webhook_test", store), follow=True)

    assert (
        "The test event failed: the coupon webhook receiver answered HTTP 500."
        in response.content.decode()
    )


def test_the_nav_links_to_coupons(client, store, member):
    client.force_login(member)

    html = client.get(url("customers", store)).content.decode()

    assert f'href="{url("coupons", store)}"' in html
