"""Asking for insights work: a full refresh of a store, or the rescoring of changed customers.

Apart from services.py so that the domain-event handlers, subscribed in every process, do not
load the models' numerical libraries (NumPy, SciPy: some 70 MB and a quarter of a second) in
processes that never fit a model, such as the web processes or an import.
"""

import functools
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from regulars.core import prepared
from regulars.core.models import Store
from regulars.core.prepared import Prepared


def refresh_pending(store: Store) -> bool:
    """Whether a full refresh of the store waits for or runs on the worker."""
    from regulars.insights.tasks import refresh_store_insights

    return _queued(refresh_store_insights, store.pk, statuses=("READY", "RUNNING"))


def _queued(task, store_id: int, *, statuses=("READY",)) -> bool:
    """Whether `task(store_id)` is in the database queue (always False on other backends,
    which cannot be asked)."""
    from django_tasks_db.models import DBTaskResult

    if not type(task.get_backend()).__module__.startswith("django_tasks_db"):
        return False
    # Asked for every paid order: compiled once (core.prepared).
    args_kwargs = DBTaskResult._meta.get_field("args_kwargs")
    with connection.cursor() as cursor:
        cursor.execute(*_queued_args(tuple(statuses)).bind(task.module_path))
        waiting = [args_kwargs.from_db_value(row[0], None, connection) for row in cursor]
    return any(args.get("args") == [store_id] for args in waiting)


@functools.cache
def _queued_args(statuses: tuple[str, ...]) -> Prepared:
    from django_tasks_db.models import DBTaskResult

    return Prepared(
        lambda task_path: prepared.select(
            DBTaskResult.objects.filter(task_path=task_path, status__in=statuses).values_list(
                "args_kwargs", flat=True
            )
        ),
        str,
    )


def do_request_refresh(store: Store) -> None:
    """Queue a full refresh of the store unless one is waiting already."""
    from regulars.insights.tasks import refresh_store_insights

    if not refresh_pending(store):
        refresh_store_insights.enqueue(store.pk)


# Orders arriving within this delay are rescored together: a burst of webhooks costs one
# rescoring, not one per order.
RESCORE_DELAY = timedelta(minutes=1)


def on_order_changed(*, store_id: int, customer_id: int | None = None, **_ids) -> None:
    """Domain event handler (order paid, cancelled, refunded): rescore that order's customer
    soon, together with the others changed meanwhile."""
    from regulars.insights.tasks import rescore_changed_customers

    if customer_id is None or _queued(rescore_changed_customers, store_id):
        return
    if rescore_changed_customers.get_backend().supports_defer:
        rescore_changed_customers.using(run_after=timezone.now() + RESCORE_DELAY).enqueue(store_id)
    else:
        rescore_changed_customers.enqueue(store_id)


def on_orders_imported(*, store_id: int, **_counts) -> None:
    """Domain event handler: an import changes much of a store's history; refresh it all."""
    store = Store.objects.filter(pk=store_id).first()
    if store is not None:
        do_request_refresh(store)
