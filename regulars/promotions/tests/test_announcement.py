"""Each coupon issued (and redeemed) is POSTed, signed, to the store's coupon webhook: a real
HTTP server on loopback receives it. Busy receivers are tried again later; refusals are final;
every attempt is kept."""

import hashlib
import hmac
import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from regulars.commerce.services import upsert_order
from regulars.commerce.tests.builders import order_in
from regulars.promotions.models import Coupon, CouponAnnouncement, CouponWebhook
from regulars.promotions.services import do_configure_coupon_webhook, do_issue_coupon
from regulars.promotions.tasks import announce_coupon
from regulars.promotions.tests.conftest import SECRET

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
TASK_PATH = "regulars.promotions.tasks.announce_coupon"


def _verify(secret: str, raw_body: bytes, signature_header: str) -> bool:
    """The receiver's check, as docs/coupons.md gives it."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


def _issue(store, customer, capture, **extra):
    with capture(execute=True):
        return do_issue_coupon(
            store,
            customer,
            kind="percent",
            value="15",
            minimum_spend="50",
            valid_days=14,
            prefix="YEAR",
            source="journey:anniversary",
            **extra,
        )


@time_machine.travel(NOW, tick=False)
def test_an_issued_coupon_arrives_signed_with_the_stores_secret(
    store, customer, coupon_hook, django_capture_on_commit_callbacks
):
    coupon = _issue(store, customer, django_capture_on_commit_callbacks)

    [request] = coupon_hook.received
    assert request.method == "POST"
    assert request.path == "/coupons"
    assert _verify(SECRET, request.body, request.header("X-Regulars-Signature"))
    assert not _verify(
        "whsec_another-secret-altogether", request.body, request.header("X-Regulars-Signature")
    )
    assert request.header("X-Regulars-Timestamp") == str(int(NOW.timestamp()))
    assert request.header("Idempotency-Key") == coupon.code
    assert request.header("Content-Type") == "application/json; charset=utf-8"
    assert request.json() == {
        "event": "coupon.issued",
        "store": store.public_id,
        "coupon": {
            "code": coupon.code,
            "kind": "percent",
            "value": "15",
            "currency": "USD",
            "minimum_spend": "50.00",
            "expires_at": "2026-03-15T17:00:00Z",
            "issued_at": "2026-03-01T15:00:00Z",
            "customer": {"id": "c1", "email": "ana@example.com"},
        },
    }
    coupon.refresh_from_db()
    assert coupon.announced_at == NOW
    [attempt] = CouponAnnouncement.objects.filter(coupon=coupon)
    assert (attempt.event, attempt.attempt, attempt.status_code, attempt.ok, attempt.error) == (
        "coupon.issued",
        1,
        200,
        True,
        "",
    )
    hook = CouponWebhook.objects.get(store=store)
    assert (hook.last_status_code, hook.last_error, hook.last_attempt_at) == (200, "", NOW)


@time_machine.travel(NOW, tick=False)
def test_a_busy_receiver_is_tried_again_later_then_succeeds(
    store, customer, coupon_hook, database_queue
):
    coupon = do_issue_coupon(store, customer, kind="fixed_amount", value="10")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == TASK_PATH
    assert queued.args_kwargs == {"args": [coupon.pk, "coupon.issued"], "kwargs": {}}
    queued.delete()  # the worker has claimed it
    coupon_hook.answer(503)

    summary = announce_coupon.call(coupon.pk, "coupon.issued")

    assert summary.startswith("attempt 1 failed: the coupon webhook receiver answered HTTP 503")
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": [coupon.pk, "coupon.issued"], "kwargs": {}}
    assert retry.run_after == NOW + timedelta(minutes=1)
    retry.delete()

    coupon_hook.answer(200)
    assert announce_coupon.call(coupon.pk, "coupon.issued") == "announced (HTTP 200)"

    assert DBTaskResult.objects.count() == 0
    attempts = CouponAnnouncement.objects.filter(coupon=coupon).order_by("attempt")
    assert [(a.attempt, a.status_code, a.ok) for a in attempts] == [(1, 503, False), (2, 200, True)]
    keys = [r.header("Idempotency-Key") for r in coupon_hook.received]
    assert keys == [coupon.code, coupon.code]
    assert coupon_hook.received[0].body == coupon_hook.received[1].body
    coupon.refresh_from_db()
    assert coupon.announced_at == NOW
    # Run again (a retried task): nothing is posted twice.
    assert announce_coupon.call(coupon.pk, "coupon.issued") == "already announced"
    assert len(coupon_hook.received) == 2


@time_machine.travel(NOW, tick=False)
def test_retries_stop_after_the_last_delay(store, customer, coupon_hook, database_queue):
    coupon = do_issue_coupon(store, customer, kind="percent", value="5")
    DBTaskResult.objects.all().delete()
    coupon_hook.answer(429)

    delays = []
    for _ in range(6):
        announce_coupon.call(coupon.pk, "coupon.issued")
        delays += [row.run_after - NOW for row in DBTaskResult.objects.all()]
        DBTaskResult.objects.all().delete()

    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
    ]
    assert CouponAnnouncement.objects.filter(coupon=coupon, ok=False).count() == 6


def test_a_refusing_receiver_fails_for_good(store, customer, coupon_hook, database_queue):
    coupon = do_issue_coupon(store, customer, kind="percent", value="5")
    DBTaskResult.objects.all().delete()
    coupon_hook.answer(400)

    summary = announce_coupon.call(coupon.pk, "coupon.issued")

    assert summary == (
        "failed for good after attempt 1: the coupon webhook receiver answered HTTP 400"
    )
    assert DBTaskResult.objects.count() == 0
    coupon.refresh_from_db()
    assert coupon.announced_at is None


def test_an_unreachable_receiver_is_tried_again(store, owner, customer, database_queue):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    do_configure_coupon_webhook(
        store, owner, url=f"http://127.0.0.1:{closed_port}/c", enabled=True, secret=SECRET
    )
    coupon = do_issue_coupon(store, customer, kind="percent", value="5")
    DBTaskResult.objects.all().delete()

    summary = announce_coupon.call(coupon.pk, "coupon.issued")

    assert summary.startswith("attempt 1 failed: the coupon webhook receiver at 127.0.0.1 could")
    assert DBTaskResult.objects.count() == 1
    [attempt] = CouponAnnouncement.objects.filter(coupon=coupon)
    assert attempt.status_code is None
    assert SECRET not in attempt.error


def test_a_host_no_longer_allowed_is_refused_at_send_time(
    store, owner, customer, http_receiver, settings, database_queue
):
    name = socket.gethostname().lower()
    try:
        found = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        found = set()
    if not found or not all(address.startswith("127.") for address in found):
        pytest.skip("this machine's name does not resolve to loopback here")
    settings.REGULARS_OUTBOUND_ALLOWED_HOSTS = [name]
    do_configure_coupon_webhook(
        store, owner, url=f"http://{name}:{http_receiver.port}/c", enabled=True, secret=SECRET
    )
    coupon = do_issue_coupon(store, customer, kind="percent", value="5")
    DBTaskResult.objects.all().delete()
    settings.REGULARS_OUTBOUND_ALLOWED_HOSTS = []

    summary = announce_coupon.call(coupon.pk, "coupon.issued")

    assert summary.startswith(f"failed for good after attempt 1: {name} (127.")
    assert "is a loopback address (this machine)" in summary
    assert DBTaskResult.objects.count() == 0
    assert http_receiver.received == []


def test_a_redemption_is_announced_with_its_order(
    store, customer, coupon_hook, django_capture_on_commit_callbacks
):
    coupon = _issue(store, customer, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        upsert_order(store, order_in("2001", coupon_codes=[coupon.code]), source="api")

    issued, redeemed = coupon_hook.received
    assert issued.json()["event"] == "coupon.issued"
    assert redeemed.header("Idempotency-Key") == f"{coupon.code}:redeemed"
    assert _verify(SECRET, redeemed.body, redeemed.header("X-Regulars-Signature"))
    body = redeemed.json()
    assert body["event"] == "coupon.redeemed"
    assert body["coupon"]["code"] == coupon.code
    assert body["coupon"]["order"] == {"id": "2001", "name": "#2001"}
    assert body["coupon"]["redeemed_at"] == "2026-03-01T10:00:00Z"
    events = CouponAnnouncement.objects.filter(coupon=coupon, ok=True).values_list(
        "event", flat=True
    )
    assert sorted(events) == ["coupon.issued", "coupon.redeemed"]


def test_nothing_is_queued_while_the_webhook_is_off(
    store, owner, customer, coupon_hook, database_queue
):
    do_configure_coupon_webhook(store, owner, url=f"{coupon_hook.url}/coupons", enabled=False)

    coupon = do_issue_coupon(store, customer, kind="percent", value="5")

    assert DBTaskResult.objects.count() == 0
    assert announce_coupon.call(coupon.pk, "coupon.issued") == "the store's coupon webhook is off"
    assert coupon_hook.received == []
    assert not CouponAnnouncement.objects.exists()


def test_a_coupon_is_announced_to_its_own_stores_webhook_only(
    store,
    owner,
    customer,
    other_store,
    outsider,
    other_customer,
    http_receiver,
    django_capture_on_commit_callbacks,
):
    do_configure_coupon_webhook(
        store, owner, url=f"{http_receiver.url}/ours", enabled=True, secret=SECRET
    )

    with django_capture_on_commit_callbacks(execute=True):
        do_issue_coupon(other_store, other_customer, kind="percent", value="5")

    assert http_receiver.received == []
    assert Coupon.objects.get(store=other_store).announced_at is None
