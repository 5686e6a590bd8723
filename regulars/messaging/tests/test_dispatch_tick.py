"""The dispatcher's safety tick: one is ever waiting, each queues the next, and a due message
whose wake-up run was lost is sent by the next tick."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.models import Message, MessageStatus
from regulars.messaging.schedule import TICK, ensure_dispatch_tick
from regulars.messaging.services.sending import do_queue_message
from regulars.messaging.tasks import dispatch_messages, dispatch_tick

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _waiting(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path, status="READY"))


def test_only_one_tick_is_ever_waiting(queue):
    assert ensure_dispatch_tick(NOW) is True
    assert ensure_dispatch_tick(NOW) is False

    (tick,) = _waiting(dispatch_tick)
    assert tick.run_after == NOW + TICK


def test_migrate_starts_the_chain(queue):
    call_command("migrate", verbosity=0)

    assert len(_waiting(dispatch_tick)) == 1


def test_a_tick_sends_a_due_message_whose_wake_up_run_was_lost(queue, store, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj
    message = do_queue_message(
        store,
        customer,
        channel="email",
        purpose="transactional",
        subject="Your order",
        body_text="Thank you.",
    )
    DBTaskResult.objects.filter(task_path=dispatch_messages.module_path).delete()  # lost

    dispatch_tick.call()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.subject for m in mail.outbox] == ["Your order"]
    (tick,) = _waiting(dispatch_tick)
    assert tick.run_after == NOW + TICK


def test_a_tick_recovers_a_message_a_stopped_worker_never_handed_over(queue, store, time_machine):
    time_machine.move_to(NOW, tick=False)
    customer = upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj
    message = do_queue_message(
        store,
        customer,
        channel="email",
        purpose="transactional",
        subject="Your order",
        body_text="Thank you.",
    )
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=NOW - timedelta(minutes=11)
    )

    dispatch_tick.call()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
