"""A published review and a detractor's first answer are POSTed, signed with the store's
secret, to its feedback webhook: a real HTTP server on loopback receives them. Promoters,
second taps, a switched-off webhook and other stores' events send nothing."""

import hashlib
import hmac
from datetime import UTC, datetime

import time_machine
from django_tasks_db.models import DBTaskResult

from regulars.feedback.models import FeedbackWebhookDelivery, ReviewStatus
from regulars.feedback.services.reviews import do_moderate_review, do_submit_review
from regulars.feedback.services.surveys import do_answer, do_send_for, ensure_surveys
from regulars.feedback.services.webhook import do_configure_feedback_webhook
from regulars.feedback.tests.conftest import WEBHOOK_SECRET
from regulars.feedback.tests.inbox_data import customer, order, product

NOW = datetime(2026, 3, 5, 8, 30, tzinfo=UTC)
TASK_PATH = "regulars.feedback.tasks.deliver_feedback_event"


def _verify(secret: str, raw_body: bytes, signature_header: str) -> bool:
    """The receiver's check, as docs/feedback.md gives it."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


def _nps_send(store, ana, key="journey:1", order_=None):
    return do_send_for(ensure_surveys(store)["nps"], ana, key, order=order_)


@time_machine.travel(NOW, tick=False)
def test_a_published_review_arrives_signed(
    store, feedback_hook, django_capture_on_commit_callbacks
):
    ana = customer(store, first_name="Ana", last_name="Lima")
    lp = product(store, "p1")
    with django_capture_on_commit_callbacks(execute=True):
        review = do_submit_review(
            store, ana, None, lp, 5, "Warm sound", "Lovely <b>pressing</b>", source="api"
        )

    assert review.status == ReviewStatus.PUBLISHED
    [request] = feedback_hook.received
    assert (request.method, request.path) == ("POST", "/feedback")
    assert _verify(WEBHOOK_SECRET, request.body, request.header("X-Regulars-Signature"))
    assert not _verify(
        "whsec_some-other-secret!!", request.body, request.header("X-Regulars-Signature")
    )
    assert request.header("Idempotency-Key") == f"review.published:{review.pk}"
    assert request.header("X-Regulars-Timestamp") == str(int(NOW.timestamp()))
    assert request.json() == {
        "event": "review.published",
        "store": store.public_id,
        "data": {
            "id": review.pk,
            "product": {"id": "p1", "title": "Blue Train LP", "url": ""},
            "rating": 5,
            "title": "Warm sound",
            "body": "Lovely <b>pressing</b>",
            "author_name": "Ana Lima",
            "language": review.language,
            "verified": False,
            "source": "api",
            "customer": {
                "id": "c1",
                "email": "ana@example.com",
                "first_name": "Ana",
                "last_name": "Lima",
            },
            "order": None,
            "written_at": "2026-03-05T08:30:00Z",
            "published_at": "2026-03-05T08:30:00Z",
        },
    }
    [attempt] = FeedbackWebhookDelivery.objects.filter(store=store)
    assert (
        attempt.event,
        attempt.object_id,
        attempt.attempt,
        attempt.status_code,
        attempt.error,
    ) == (
        "review.published",
        review.pk,
        1,
        200,
        "",
    )
    assert attempt.payload == request.json()


@time_machine.travel(NOW, tick=False)
def test_a_review_approved_by_a_moderator_is_sent_when_it_is_published(
    store, owner, feedback_hook, django_capture_on_commit_callbacks
):
    ana = customer(store)
    lp = product(store, "p1")
    with django_capture_on_commit_callbacks(execute=True):
        review = do_submit_review(store, ana, None, lp, 2, "Meh", "Thin bass", source="api")
    assert review.status == ReviewStatus.PENDING
    assert feedback_hook.received == []

    with django_capture_on_commit_callbacks(execute=True):
        do_moderate_review(review, "approve", "", owner)

    [request] = feedback_hook.received
    assert request.json()["event"] == "review.published"
    assert request.json()["data"]["rating"] == 2


@time_machine.travel(NOW, tick=False)
def test_a_detractors_first_answer_is_sent_with_the_order(
    store, feedback_hook, django_capture_on_commit_callbacks
):
    placed = order(store, "1001")
    ana = placed.customer
    send = _nps_send(store, ana, order_=placed)

    with django_capture_on_commit_callbacks(execute=True):
        answered = do_answer(send, score=3)
    with django_capture_on_commit_callbacks(execute=True):
        do_answer(send, comment="The record arrived warped")  # the reason, typed after the tap

    [request] = feedback_hook.received
    assert _verify(WEBHOOK_SECRET, request.body, request.header("X-Regulars-Signature"))
    assert request.header("Idempotency-Key") == f"survey.detractor:{answered.answer.pk}"
    body = request.json()
    assert body["event"] == "survey.detractor"
    assert body["store"] == store.public_id
    assert body["data"]["survey"] == {"key": "nps", "kind": "nps", "name": "Net Promoter Score"}
    assert (body["data"]["score"], body["data"]["order"]) == (3, {"id": "1001", "name": "#1001"})
    assert body["data"]["customer"]["email"] == "ana@example.com"
    assert body["data"]["answered_at"] == "2026-03-05T08:30:00Z"


def test_promoters_passives_and_a_low_second_tap_send_nothing(
    store, feedback_hook, django_capture_on_commit_callbacks
):
    ana = customer(store)
    with django_capture_on_commit_callbacks(execute=True):
        do_answer(_nps_send(store, ana, "a"), score=10)
        do_answer(_nps_send(store, ana, "b"), score=7)
        promoter_then_not = _nps_send(store, ana, "c")
        do_answer(promoter_then_not, score=9)
    with django_capture_on_commit_callbacks(execute=True):
        do_answer(promoter_then_not, score=2)  # not the first answer: not news

    assert feedback_hook.received == []
    assert not FeedbackWebhookDelivery.objects.exists()


def test_a_csat_of_one_or_two_is_a_detractor_too(
    store, feedback_hook, django_capture_on_commit_callbacks
):
    ana = customer(store)
    csat = ensure_surveys(store)["csat"]
    with django_capture_on_commit_callbacks(execute=True):
        do_answer(do_send_for(csat, ana, "x"), score=3)
        do_answer(do_send_for(csat, ana, "y"), score=2)

    [request] = feedback_hook.received
    assert (request.json()["data"]["survey"]["kind"], request.json()["data"]["score"]) == (
        "csat",
        2,
    )


def test_nothing_is_queued_while_the_webhook_is_off(
    store, owner, http_receiver, database_queue, django_capture_on_commit_callbacks
):
    do_configure_feedback_webhook(
        store, owner, url=f"{http_receiver.url}/feedback", enabled=False, secret=WEBHOOK_SECRET
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_answer(_nps_send(store, customer(store)), score=0)

    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
    assert http_receiver.received == []


def test_an_event_goes_to_its_own_stores_webhook_only(
    store, other_store, feedback_hook, django_capture_on_commit_callbacks
):
    nok = customer(other_store, "c9", "nok@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        do_answer(_nps_send(other_store, nok), score=0)
        do_submit_review(other_store, nok, None, product(other_store), 5, "", "ดี", source="api")

    assert feedback_hook.received == []
    assert not FeedbackWebhookDelivery.objects.exists()
