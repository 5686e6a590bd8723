"""Domain events: handlers registered by later apps run after the transaction commits.

No Django signals for domain flow. `commerce.domain_events` has one function per event that
calls `emit`; apps that react (insights, journeys) call `subscribe` in `AppConfig.ready()`.
A handler runs after commit, so it never sees data that was rolled back; a failing handler is
logged and does not stop the others.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus

from regulars.core import prepared
from regulars.core.bulkload import insert_rows
from regulars.core.prepared import Prepared

logger = logging.getLogger(__name__)

Handler = Callable[..., Any]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def unsubscribe(event: str, handler: Handler) -> None:
    if handler in _handlers[event]:
        _handlers[event].remove(handler)


def handlers_for(event: str) -> list[Handler]:
    return list(_handlers.get(event, ()))


def emit(event: str, **payload: Any) -> None:
    """Run the handlers of `event` with `payload` (ids, not objects) once the transaction commits."""

    def run() -> None:
        for handler in handlers_for(event):
            try:
                handler(**payload)
            except Exception:
                logger.exception("handler %r of %s failed", handler, event)

    transaction.on_commit(run, robust=True)


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Enqueue a task so that the worker sees the rows the current transaction writes.

    With the database task backend the task row is written in the same transaction: the work
    and its task commit together or not at all (a crash between commit and enqueue cannot
    lose the task), and it costs no second write transaction. Other backends (immediate,
    Redis) get the task only after commit.
    """
    if tasks_share_the_database(task):
        _insert_task_row(task, args, kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def enqueue_once_on_commit(task) -> None:
    """Enqueue a run of `task` (one taking no arguments, that works through whatever is due)
    unless one is already waiting to start after this transaction commits."""
    if not run_waiting(task):
        enqueue_on_commit(task)


def run_waiting(task) -> bool:
    """Whether a run of `task` is queued, due and not yet started, and will start only after
    the current transaction commits (database task backend only).

    An empty run costs a worker several milliseconds and a write, so work that many
    transactions queue (messages to send, journey steps due) wakes its runner once rather
    than once per transaction.

    Skipping the wake is safe: a run reads what is due when it starts, and this one cannot
    start before our commit. On SQLite every write transaction holds the database's single
    write lock from its BEGIN IMMEDIATE, and a worker must write to take the run, so it
    takes it after we commit. On PostgreSQL the row is locked here until we commit and
    workers take runs with SKIP LOCKED; a run that another transaction holds is skipped, and
    a new one queued. A run already started (not READY) is not counted: it may have made its
    last read before our commit and be about to stop, so a new run is queued. What remains
    (a run lost with a broker that forgets, a worker killed while holding one) is the
    periodic ticks' to catch.
    """
    if not tasks_share_the_database(task):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            *_WAITING_RUN.bind(task.module_path, task.get_backend().alias, timezone.now())
        )
        return cursor.fetchone() is not None


def _waiting_run(task_path: str, backend: str, now: datetime):
    from django_tasks_db.models import DBTaskResult, get_date_max

    # What `DBTaskResult.objects.ready()` asks, with `now` a parameter.
    return prepared.select(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
        .filter(task_path=task_path, backend_name=backend)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:1]
    )


# Asked in every transaction that queues work (each webhook intake, each journey step that
# sends): compiled once (core.prepared).
_WAITING_RUN = Prepared(_waiting_run, str, str, datetime)


def _insert_task_row(task, args: tuple, kwargs: dict) -> None:
    """The row django-tasks-db's `enqueue()` writes, written by one prepared insert.

    On webhook intake `enqueue()` cost more than keeping the delivery itself, mostly in
    building objects that are thrown away here (the task result, the `task_enqueued` signal,
    whose only receiver logs at debug level). A test holds this row equal to `enqueue()`'s.
    """
    from django_tasks.utils import normalize_json
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task.get_backend()
    backend.validate_task(task)
    row = DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": list(args), "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        # What the library's pre_save handler does ("no date" is stored as the far future).
        run_after=task.run_after or get_date_max(),
        backend_name=backend.alias,
    )
    insert_rows([row])


def tasks_share_the_database(task) -> bool:
    from django_tasks import task_backends

    backend = task_backends[task.backend]
    return type(backend).__module__.startswith("django_tasks_db")
