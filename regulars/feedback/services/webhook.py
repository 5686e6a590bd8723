"""The feedback webhook: a published review (review.published) and a detractor's first answer
(survey.detractor) are POSTed, signed, to the store's endpoint, so that a help desk or a store
can act on them.

Signed and guarded like the coupon webhook (promotions/services/webhook.py):
`X-Regulars-Signature: sha256=<HMAC-SHA256 of the raw body>`, the secret kept encrypted and
shown once, posts through core.outbound (no private or internal addresses). Every attempt is
kept (FeedbackWebhookDelivery). Transient failures (no answer, 408, 429, 5xx) are tried again by
the task after growing delays; any other answer is final. An event delivered once is not
posted again.
"""

import secrets as random_secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from regulars.core import outbound
from regulars.core.errors import RegularsError
from regulars.core.events import enqueue_on_commit
from regulars.core.ratelimit import hit
from regulars.core.roles import Permission
from regulars.core.secrets import SecretError, decrypt, encrypt, hint
from regulars.core.services import check_permission
from regulars.feedback.models import (
    FeedbackEvent,
    FeedbackSettings,
    FeedbackWebhookDelivery,
    Review,
    ReviewStatus,
    SurveyAnswer,
)
from regulars.feedback.services.inbox import is_detractor
from regulars.feedback.services.timefmt import iso_utc

TESTS_PER_HOUR = 10
TEST_EVENT = "feedback.test"
NOT_SET_UP = "webhook_not_set_up"
# After attempt n fails transiently, the next comes RETRY_DELAYS[n - 1] later; after the last,
# the event stays failed in the log.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


# --- set-up --------------------------------------------------------------------------------------


def do_configure_feedback_webhook(
    store, user, *, url: str, enabled: bool, secret: str | None = None
) -> FeedbackSettings:
    """Save where feedback events go. `secret=None` keeps the signing secret (making one if
    there is none yet), `""` makes a new one, text of 16+ characters is used as given.

    A secret Regulars made is on the returned row as `new_secret`, the only time it exists in
    clear; it is empty otherwise.
    """
    check_permission(store, user, Permission.INTEGRATIONS)
    url, secret = outbound.check_webhook_input(url, enabled, secret, what="feedback events")
    with transaction.atomic():
        row, _ = FeedbackSettings.objects.select_for_update().get_or_create(store=store)
        generated = ""
        if secret is None and row.webhook_secret_encrypted:
            pass  # keep the one saved
        elif secret:
            row.webhook_secret_encrypted, row.webhook_secret_hint = encrypt(secret), hint(secret)
        elif url or row.webhook_secret_encrypted:
            # Events are never sent unsigned: none given (or a new one asked) makes one.
            generated = outbound.new_signing_secret()
            row.webhook_secret_encrypted = encrypt(generated)
            row.webhook_secret_hint = hint(generated)
        row.webhook_url = url
        row.webhook_enabled = bool(enabled)
        row.save()
    row.new_secret = generated
    return row


# --- the events ----------------------------------------------------------------------------------


def _customer(customer) -> dict | None:
    if customer is None:
        return None
    return {
        "id": customer.external_id,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
    }


def _order(order) -> dict | None:
    return None if order is None else {"id": order.external_id, "name": order.name}


def review_data(review: Review) -> dict:
    product = review.product
    return {
        "id": review.pk,
        "product": {"id": product.external_id, "title": product.title, "url": product.url},
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "author_name": review.author_name,
        "language": review.language,
        "verified": review.verified,
        "source": review.source,
        "customer": _customer(review.customer),
        "order": _order(review.order),
        "written_at": iso_utc(review.written_at),
        "published_at": iso_utc(review.published_at),
    }


def answer_data(answer: SurveyAnswer) -> dict:
    return {
        "id": answer.pk,
        "survey": {
            "key": answer.survey.key,
            "kind": answer.survey.kind,
            "name": answer.survey.name,
        },
        "score": answer.score,
        "comment": answer.comment,
        "language": answer.language,
        "customer": _customer(answer.customer),
        "order": _order(answer.send.order),
        "answered_at": iso_utc(answer.answered_at),
    }


def _load(event: str, object_id: int):
    """The object behind an event, or None when it is gone (or no longer fits the event)."""
    if event == FeedbackEvent.REVIEW_PUBLISHED:
        return (
            Review.objects.select_related("store", "product", "customer", "order")
            .filter(pk=object_id, status=ReviewStatus.PUBLISHED)
            .first()
        )
    return (
        SurveyAnswer.objects.select_related("store", "survey", "customer", "send__order")
        .filter(pk=object_id)
        .first()
    )


def event_body(event: str, obj) -> dict:
    data = review_data(obj) if event == FeedbackEvent.REVIEW_PUBLISHED else answer_data(obj)
    return {"event": event, "store": obj.store.public_id, "data": data}


def idempotency_key(event: str, object_id: int) -> str:
    return f"{event}:{object_id}"


# --- the post -------------------------------------------------------------------------------------


def _post(url: str, secret: str, body: dict, key: str) -> outbound.EventDelivery:
    return outbound.post_signed_event(url, secret, body, key, name="feedback")


@dataclass
class DeliverOutcome:
    summary: str
    retry_in: timedelta | None = None


def _delivered(event: str, object_id: int) -> bool:
    return FeedbackWebhookDelivery.objects.filter(
        event=event, object_id=object_id, error="", status_code__gte=200, status_code__lt=300
    ).exists()


def do_deliver(event: str, object_id: int) -> DeliverOutcome:
    """Post `event` about the object once; safe to run again (a delivered event is not re-sent).

    `retry_in` tells the task when to try again after a transient failure.
    """
    if event not in FeedbackEvent.values:
        return DeliverOutcome(f"{event!r} is not a feedback event")
    obj = _load(event, object_id)
    if obj is None:
        return DeliverOutcome("nothing to send: the review or answer is gone or not published")
    if _delivered(event, object_id):
        return DeliverOutcome("already delivered")
    row = FeedbackSettings.objects.filter(store_id=obj.store_id, webhook_enabled=True).first()
    if row is None or not row.webhook_url:
        return DeliverOutcome("the store's feedback webhook is off")
    attempt = (
        FeedbackWebhookDelivery.objects.filter(
            store_id=obj.store_id, event=event, object_id=object_id
        ).count()
        + 1
    )
    body = event_body(event, obj)
    try:
        secret = decrypt(row.webhook_secret_encrypted)
    except SecretError:
        delivery = outbound.EventDelivery(
            None, "the signing secret cannot be decrypted; generate a new one in the settings"
        )
    else:
        delivery = _post(row.webhook_url, secret, body, idempotency_key(event, object_id))
    FeedbackWebhookDelivery.objects.create(
        store_id=obj.store_id,
        event=event,
        object_id=object_id,
        payload=body,
        attempt=attempt,
        status_code=delivery.status_code,
        error=delivery.error,
    )
    if delivery.ok:
        return DeliverOutcome(f"delivered (HTTP {delivery.status_code})")
    if delivery.transient and attempt <= len(RETRY_DELAYS):
        return DeliverOutcome(
            f"attempt {attempt} failed: {delivery.error}", RETRY_DELAYS[attempt - 1]
        )
    return DeliverOutcome(f"failed for good after attempt {attempt}: {delivery.error}")


# --- subscribers of the domain events (apps.py) -----------------------------------------------------


def _webhook_on(store_id: int) -> bool:
    return FeedbackSettings.objects.filter(
        store_id=store_id, webhook_enabled=True, webhook_url__gt=""
    ).exists()


def _queue(event: str, object_id: int) -> None:
    from regulars.feedback.tasks import deliver_feedback_event

    enqueue_on_commit(deliver_feedback_event, event, object_id)


def on_review_published(*, store_id: int, review_id: int, **_) -> None:
    if _webhook_on(store_id):
        _queue(FeedbackEvent.REVIEW_PUBLISHED.value, review_id)


def on_survey_answered(*, store_id: int, answer_id: int, first: bool, **_) -> None:
    """Only a detractor's first answer: a second tap or an edited comment is not news."""
    if not first or not _webhook_on(store_id):
        return
    answer = (
        SurveyAnswer.objects.filter(pk=answer_id, store_id=store_id)
        .values_list("survey__kind", "score")
        .first()
    )
    if answer is not None and is_detractor(*answer):
        _queue(FeedbackEvent.DETRACTOR.value, answer_id)


# --- "send a test" -------------------------------------------------------------------------------


def test_body(store) -> dict:
    now = iso_utc(timezone.now())
    return {
        "event": TEST_EVENT,
        "store": store.public_id,
        "data": {
            "id": 0,
            "survey": {"key": "nps", "kind": "nps", "name": "Test"},
            "score": 3,
            "comment": "A test event from Regulars: no customer wrote this.",
            "language": "en",
            "customer": None,
            "order": None,
            "answered_at": now,
        },
    }


def do_send_test_event(store, user) -> outbound.EventDelivery:
    """Post a feedback.test event to the saved URL now (on or off)."""
    check_permission(store, user, Permission.INTEGRATIONS)
    row = FeedbackSettings.objects.filter(store=store).first()
    if row is None or not row.webhook_url or not row.webhook_secret_encrypted:
        raise RegularsError(
            "Save the URL that receives the feedback events first.", field="url", code=NOT_SET_UP
        )
    hit(f"feedback-webhook-test:{store.pk}", limit=TESTS_PER_HOUR, window_seconds=3600)
    try:
        secret = decrypt(row.webhook_secret_encrypted)
    except SecretError as exc:
        raise RegularsError(
            "The signing secret cannot be decrypted; generate a new one.", field="secret"
        ) from exc
    return _post(row.webhook_url, secret, test_body(store), "test-" + random_secrets.token_hex(8))


def recent_deliveries(store, limit: int = 20):
    return FeedbackWebhookDelivery.objects.filter(store=store).order_by("-created_at", "-pk")[
        :limit
    ]
