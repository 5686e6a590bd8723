"""Setting up the coupon webhook: the URL checked (no internal addresses), the signing secret
kept encrypted and shown once, only admins and owners may change it, and "send a test"."""

import pytest

from regulars.core.errors import RegularsError
from regulars.core.outbound import signature_matches
from regulars.core.secrets import decrypt
from regulars.promotions.models import CouponAnnouncement, CouponWebhook
from regulars.promotions.services import do_configure_coupon_webhook, do_send_test_event
from regulars.promotions.services.webhook import TESTS_PER_HOUR
from regulars.promotions.tests.conftest import SECRET


def _refused(store, user, **fields) -> RegularsError:
    with pytest.raises(RegularsError) as caught:
        do_configure_coupon_webhook(store, user, **fields)
    assert not CouponWebhook.objects.filter(store=store).exists()
    return caught.value


def test_a_secret_is_generated_shown_once_and_kept(store, owner):
    hook = do_configure_coupon_webhook(
        store, owner, url="https://shop.example/regulars/coupons", enabled=True
    )

    assert hook.new_secret.startswith("whsec_")
    assert decrypt(hook.secret_encrypted) == hook.new_secret
    assert hook.secret_hint == "…" + hook.new_secret[-4:]
    assert hook.new_secret not in hook.secret_encrypted

    again = do_configure_coupon_webhook(
        store, owner, url="https://shop.example/regulars/coupons", enabled=False
    )
    assert again.new_secret == ""
    assert decrypt(again.secret_encrypted) == hook.new_secret
    assert again.enabled is False


def test_a_new_secret_replaces_the_old_one_when_asked(store, owner):
    first = do_configure_coupon_webhook(store, owner, url="https://shop.example/c", enabled=True)

    second = do_configure_coupon_webhook(
        store, owner, url="https://shop.example/c", enabled=True, secret=""
    )

    assert second.new_secret not in ("", first.new_secret)
    assert decrypt(CouponWebhook.objects.get(store=store).secret_encrypted) == second.new_secret


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://10.0.0.1/c", "a private network address"),
        ("https://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://shop.example/c", "Use an https:// URL"),
        ("ftp://shop.example/c", "is not an https:// URL"),
        ("https://user:pw@shop.example/c", "no user name or password"),
    ],
)
def test_a_bad_url_is_refused(store, owner, url, words):
    error = _refused(store, owner, url=url, enabled=True)

    assert error.field == "url"
    assert words in error.message


def test_switching_on_needs_a_url(store, owner):
    error = _refused(store, owner, url="  ", enabled=True)

    assert (error.field, error.code) == ("url", "required")


def test_a_short_secret_is_refused(store, owner):
    error = _refused(store, owner, url="https://shop.example/c", enabled=True, secret="short")

    assert error.field == "secret"


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_admins_and_owners_set_it_up(store, who, request):
    user = request.getfixturevalue(who)

    error = _refused(store, user, url="https://shop.example/c", enabled=True)

    assert error.code == "forbidden"


def test_a_test_event_is_posted_signed_and_its_result_kept(store, owner, coupon_hook):
    delivery = do_send_test_event(store, owner)

    assert (delivery.ok, delivery.status_code) == (True, 200)
    [request] = coupon_hook.received
    body = request.json()
    assert body["event"] == "coupon.test"
    assert body["store"] == store.public_id
    assert body["coupon"]["code"] == "TEST-0000-0000"
    assert request.header("Idempotency-Key").startswith("test-")
    assert signature_matches(SECRET, request.body, request.header("X-Regulars-Signature"))
    hook = CouponWebhook.objects.get(store=store)
    assert (hook.last_status_code, hook.last_error) == (200, "")
    assert not CouponAnnouncement.objects.exists()


def test_a_failed_test_says_why(store, owner, coupon_hook):
    coupon_hook.answer(404)

    delivery = do_send_test_event(store, owner)

    assert delivery.ok is False
    assert delivery.error == "the coupon webhook receiver answered HTTP 404"
    assert CouponWebhook.objects.get(store=store).last_status_code == 404


def test_a_test_needs_a_saved_url(store, owner):
    with pytest.raises(RegularsError) as caught:
        do_send_test_event(store, owner)

    assert caught.value.field == "url"


def test_tests_are_limited_per_hour(store, owner, coupon_hook):
    for _ in range(TESTS_PER_HOUR):
        do_send_test_event(store, owner)

    with pytest.raises(RegularsError) as caught:
        do_send_test_event(store, owner)

    assert caught.value.code == "rate_limited"
    assert len(coupon_hook.received) == TESTS_PER_HOUR


def test_a_viewer_cannot_send_a_test(store, member, coupon_hook):
    with pytest.raises(RegularsError) as caught:
        do_send_test_event(store, member)

    assert caught.value.code == "forbidden"
    assert coupon_hook.received == []
