"""Waking the dispatcher: a task run (`tasks.dispatch_messages`) for the messages a transaction
queues, and only when none is already waiting to start (database task backend)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from regulars.core.events import enqueue_on_commit, enqueue_once_on_commit, tasks_share_the_database


def wake_dispatcher(at: datetime) -> None:
    """Make sure a dispatch run will see the messages this transaction writes (call it
    inside that transaction, after the writes)."""
    from regulars.messaging.tasks import dispatch_messages

    now = timezone.now()
    if at > now:
        if dispatch_messages.get_backend().supports_defer:
            enqueue_on_commit(dispatch_messages.using(run_after=at))
        return
    enqueue_once_on_commit(dispatch_messages)


def share_the_work() -> None:
    """A claim came back full, so more is due: have a run wait for another worker to take
    (one already waiting will do). Asked before sending the batch, so that the other
    worker starts at once; with one run per send to many, the second worker would idle."""
    from regulars.messaging.tasks import dispatch_messages

    # Other backends: the run re-queues itself (tasks.py); an immediate one would recurse.
    if not tasks_share_the_database(dispatch_messages):
        return
    with transaction.atomic():
        enqueue_once_on_commit(dispatch_messages)
