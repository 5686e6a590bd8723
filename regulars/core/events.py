"""Domain events: handlers registered by later apps run after the transaction commits.

No Django signals for domain flow. `commerce.domain_events` has one function per event that
calls `emit`; apps that react (insights, journeys) call `subscribe` in `AppConfig.ready()`.
A handler runs after commit, so it never sees data that was rolled back; a failing handler is
logged and does not stop the others.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

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
    if _tasks_share_the_database(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def _tasks_share_the_database(task) -> bool:
    from django_tasks import task_backends

    backend = task_backends[task.backend]
    return type(backend).__module__.startswith("django_tasks_db")
