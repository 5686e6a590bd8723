"""Waking the dispatcher: a task run (`tasks.dispatch_messages`) for the messages a transaction
queues, and only when none is already waiting to start (database task backend)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from regulars.core.events import enqueue_on_commit


def wake_dispatcher(at: datetime) -> None:
    """Make sure a dispatch run will see the messages this transaction writes (call it
    inside that transaction, after the writes)."""
    from regulars.messaging.tasks import dispatch_messages

    now = timezone.now()
    if at > now:
        if dispatch_messages.get_backend().supports_defer:
            enqueue_on_commit(dispatch_messages.using(run_after=at))
        return
    if not _run_waiting(dispatch_messages):
        enqueue_on_commit(dispatch_messages)


def _run_waiting(task) -> bool:
    """Whether a run of `task` is queued, due and not yet started, and will start only after
    the current transaction commits (database task backend only).

    An empty dispatch run costs a worker several milliseconds and a write, so a send to many
    wakes the dispatcher once rather than once per batch (a run that finds more than one
    claim's worth queues a second one for another worker: share_the_work).

    Skipping the wake is safe: a run reads the queue when it starts, and this one cannot
    start before our commit. On SQLite every write transaction holds the database's single
    write lock from its BEGIN IMMEDIATE, and a worker must write to take the run, so it
    takes it after we commit. On PostgreSQL the row is locked here until we commit and
    workers take runs with SKIP LOCKED; a run that another transaction holds is skipped, and
    a new one queued. A run already started (not READY) is not counted: it may have made its
    last claim before our commit and be about to stop (the run loops until a claim comes
    back short, then returns), so a new run is queued. What remains (a run lost with a
    broker that forgets, a worker killed while holding one) is the 5-minute tick's to catch.
    """
    backend = task.get_backend()
    if not _in_the_database(backend):
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = (
        DBTaskResult.objects.ready()
        .filter(task_path=task.module_path, backend_name=backend.alias)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:1]
    )
    return bool(list(waiting))


def _in_the_database(backend) -> bool:
    return type(backend).__module__.startswith("django_tasks_db")


def share_the_work() -> None:
    """A claim came back full, so more is due: have a run wait for another worker to take
    (one already waiting will do). Asked before sending the batch, so that the other
    worker starts at once; with one run per send to many, the second worker would idle."""
    from regulars.messaging.tasks import dispatch_messages

    # Other backends: the run re-queues itself (tasks.py); an immediate one would recurse.
    if not _in_the_database(dispatch_messages.get_backend()):
        return
    with transaction.atomic():
        if not _run_waiting(dispatch_messages):
            enqueue_on_commit(dispatch_messages)
