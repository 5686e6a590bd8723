"""Queueing wakes the dispatcher only when no run is waiting to start: a send to many queues one
run, not one per batch; a run that has started, or one queued for later, does not count; and an
idle dispatch takes no write lock."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult, get_date_max

from regulars.messaging.models import Channel, MessageStatus, Purpose
from regulars.messaging.services import sending
from regulars.messaging.services.sending import dispatch_due, do_queue_messages
from regulars.messaging.services.templates import do_save_template
from regulars.messaging.tasks import dispatch_messages
from regulars.messaging.tests.email_delivery import make_customer, queue_email

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def queue(settings, time_machine):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(NOW, tick=False)


def _runs(status: str = "READY") -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=dispatch_messages.module_path, status=status))


def _template(store, owner):
    do_save_template(
        store,
        owner,
        key="news",
        channel=Channel.EMAIL,
        language="en",
        purpose=Purpose.MARKETING,
        name="News",
        subject="News for {{ customer.first_name }}",
        body_html="<p>Hello {{ customer.first_name }}</p>",
        body_text="",
    )


@pytest.mark.django_db
def test_a_send_to_many_in_several_batches_queues_one_run_that_sends_them_all(
    queue, store, owner, monkeypatch
):
    _template(store, owner)
    customers = [make_customer(store, f"c{n}@example.com") for n in range(5)]
    monkeypatch.setattr(sending, "BATCH", 2)  # three batches, three transactions

    do_queue_messages(
        store, customers, channel=Channel.EMAIL, purpose=Purpose.MARKETING, template_key="news"
    )

    assert len(_runs()) == 1
    dispatch_messages.call()
    assert sorted(m.to[0] for m in mail.outbox) == [f"c{n}@example.com" for n in range(5)]


@pytest.mark.django_db
def test_a_run_that_has_started_does_not_count(queue, store):
    queue_email(store, make_customer(store, "ada@example.com"))
    [started] = _runs()
    # A worker took it; it may have made its last claim already and be about to stop.
    DBTaskResult.objects.filter(pk=started.pk).update(status="RUNNING")

    queue_email(store, make_customer(store, "bo@example.com"))

    [waiting] = _runs()
    assert waiting.pk != started.pk
    assert [r.pk for r in _runs("RUNNING")] == [started.pk]


@pytest.mark.django_db
def test_a_run_queued_for_later_does_not_count(queue, store):
    later = NOW + timedelta(hours=2)
    queue_email(store, make_customer(store, "ada@example.com"), send_after=later)
    [deferred] = _runs()
    assert deferred.run_after == later

    queue_email(store, make_customer(store, "bo@example.com"))

    [now] = [r for r in _runs() if r.pk != deferred.pk]
    assert now.run_after == get_date_max()  # the library's "as soon as possible"


@pytest.mark.django_db
def test_an_idle_dispatch_only_reads(queue, store):
    queue_email(store, make_customer(store, "ada@example.com"))
    assert dispatch_due() == 1

    with CaptureQueriesContext(connection) as queries:
        assert dispatch_due() == 0

    # Is anything stale? Is anything due? No transaction, so no write lock on SQLite.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "SELECT"]


@pytest.mark.django_db(transaction=True)
def test_a_waiting_run_that_a_worker_is_taking_does_not_count(queue, store):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: on SQLite the worker would wait for the write lock instead")
    queue_email(store, make_customer(store, "ada@example.com"))
    [taken] = _runs()
    locked, release = threading.Event(), threading.Event()

    def worker_taking_the_run():
        try:
            with transaction.atomic():
                DBTaskResult.objects.select_for_update().get(pk=taken.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=worker_taking_the_run)
    worker.start()
    try:
        assert locked.wait(10)
        message = queue_email(store, make_customer(store, "bo@example.com"))
    finally:
        release.set()
        worker.join(10)

    runs = _runs()
    assert len(runs) == 2  # the one being taken, and one that will see the new message
    assert message.status == MessageStatus.QUEUED


@pytest.mark.django_db
def test_a_full_claim_leaves_a_run_waiting_for_another_worker(queue, store):
    for n in range(3):
        queue_email(store, make_customer(store, f"c{n}@example.com"))
    DBTaskResult.objects.all().delete()  # the run that woke this worker, now taken

    assert dispatch_due(limit=2) == 2  # full: more may be due

    assert len(_runs()) == 1
    assert dispatch_due(limit=2) == 1  # short: nothing more to share
    assert len(_runs()) == 1
