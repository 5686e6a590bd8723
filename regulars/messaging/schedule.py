"""The dispatcher's safety net: a tick every few minutes on the worker.

Queueing a message wakes the dispatcher, and a deferred message queues a run for the moment
it is due, so the tick normally finds nothing to do. It is there for what those cannot cover:
a run lost with a task backend that keeps nothing (Redis flushed, a worker killed while
holding the run), and messages left SENDING by a stopped worker (recovered after
sending.STALE_CLAIM). Each tick queues the next one first, and only one tick is ever waiting.
"""

from datetime import datetime, timedelta

from django.utils import timezone

TICK = timedelta(minutes=5)


def ensure_dispatch_tick(now: datetime | None = None) -> bool:
    """Queue the next tick unless one is waiting (database task queue only: an immediate
    backend would run the chain at once, for ever). Returns whether a tick was queued."""
    from django_tasks_db.models import DBTaskResult

    from regulars.messaging.tasks import dispatch_tick

    if not dispatch_tick.get_backend().supports_defer:
        return False
    if DBTaskResult.objects.filter(task_path=dispatch_tick.module_path, status="READY").exists():
        return False
    dispatch_tick.using(run_after=(now or timezone.now()) + TICK).enqueue()
    return True
