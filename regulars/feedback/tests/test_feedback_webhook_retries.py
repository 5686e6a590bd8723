"""A busy feedback webhook receiver (5xx, 429, no answer) is tried again after growing delays,
each attempt kept in the log with the same body and Idempotency-Key; a refusal (4xx) is final;
an event delivered once is not sent again."""

import socket
from datetime import UTC, datetime, timedelta

import time_machine
from django_tasks_db.models import DBTaskResult

from regulars.feedback.models import FeedbackWebhookDelivery
from regulars.feedback.services.surveys import do_answer, do_send_for, ensure_surveys
from regulars.feedback.services.webhook import do_configure_feedback_webhook
from regulars.feedback.tasks import deliver_feedback_event
from regulars.feedback.tests.conftest import WEBHOOK_SECRET
from regulars.feedback.tests.inbox_data import customer

NOW = datetime(2026, 3, 5, 8, 30, tzinfo=UTC)
TASK_PATH = "regulars.feedback.tasks.deliver_feedback_event"
EVENT = "survey.detractor"


def _detractor(store, django_capture_on_commit_callbacks):
    send = do_send_for(ensure_surveys(store)["nps"], customer(store), "journey:1")
    with django_capture_on_commit_callbacks(execute=True):
        return do_answer(send, score=1).answer


@time_machine.travel(NOW, tick=False)
def test_a_500_is_tried_again_later_then_delivered(
    store, feedback_hook, database_queue, django_capture_on_commit_callbacks
):
    answer = _detractor(store, django_capture_on_commit_callbacks)
    queued = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert queued.args_kwargs == {"args": [EVENT, answer.pk], "kwargs": {}}
    queued.delete()  # the worker claimed it
    feedback_hook.answer(500)

    summary = deliver_feedback_event.call(EVENT, answer.pk)

    assert summary == "attempt 1 failed: the feedback webhook receiver answered HTTP 500"
    retry = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert retry.args_kwargs == {"args": [EVENT, answer.pk], "kwargs": {}}
    assert retry.run_after == NOW + timedelta(minutes=1)
    retry.delete()

    feedback_hook.answer(200)
    assert deliver_feedback_event.call(EVENT, answer.pk) == "delivered (HTTP 200)"

    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
    attempts = FeedbackWebhookDelivery.objects.filter(object_id=answer.pk).order_by("attempt")
    assert [(a.attempt, a.status_code, a.error) for a in attempts] == [
        (1, 500, "the feedback webhook receiver answered HTTP 500"),
        (2, 200, ""),
    ]
    first, second = feedback_hook.received
    assert first.body == second.body
    assert first.header("Idempotency-Key") == second.header("Idempotency-Key")
    # A retried task after success posts nothing more.
    assert deliver_feedback_event.call(EVENT, answer.pk) == "already delivered"
    assert len(feedback_hook.received) == 2


@time_machine.travel(NOW, tick=False)
def test_retries_back_off_and_stop_after_the_last_delay(
    store, feedback_hook, database_queue, django_capture_on_commit_callbacks
):
    answer = _detractor(store, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(task_path=TASK_PATH).delete()
    feedback_hook.answer(429)

    delays = []
    for _ in range(6):
        deliver_feedback_event.call(EVENT, answer.pk)
        delays += [row.run_after - NOW for row in DBTaskResult.objects.filter(task_path=TASK_PATH)]
        DBTaskResult.objects.filter(task_path=TASK_PATH).delete()

    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
    ]
    assert FeedbackWebhookDelivery.objects.filter(object_id=answer.pk).count() == 6
    assert len(feedback_hook.received) == 6


def test_a_refusing_receiver_fails_for_good(
    store, feedback_hook, database_queue, django_capture_on_commit_callbacks
):
    answer = _detractor(store, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(task_path=TASK_PATH).delete()
    feedback_hook.answer(410)

    summary = deliver_feedback_event.call(EVENT, answer.pk)

    assert summary == (
        "failed for good after attempt 1: the feedback webhook receiver answered HTTP 410"
    )
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


def test_an_unreachable_receiver_is_tried_again(
    store, owner, database_queue, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    do_configure_feedback_webhook(
        store, owner, url=f"http://127.0.0.1:{closed_port}/f", enabled=True, secret=WEBHOOK_SECRET
    )
    answer = _detractor(store, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(task_path=TASK_PATH).delete()

    summary = deliver_feedback_event.call(EVENT, answer.pk)

    assert summary.startswith("attempt 1 failed: the feedback webhook receiver at 127.0.0.1 could")
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    [attempt] = FeedbackWebhookDelivery.objects.all()
    assert attempt.status_code is None
    assert WEBHOOK_SECRET not in attempt.error
