"""A task enqueued inside a transaction on the database backend is a row of that transaction,
the same row django-tasks-db's own `enqueue()` writes, so its worker runs it unchanged."""

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from regulars.core.events import enqueue_on_commit


@task(priority=5, queue_name="default")
def count_items(items: list[int]) -> int:
    return len(items)


COMPARED = ["args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name"]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _row(result_id) -> dict:
    row = DBTaskResult.objects.get(pk=result_id)
    return {
        "status": row.status,
        **{name: getattr(row, name) for name in COMPARED},
        "task": row.task_result.task.module_path,
        "args": row.task_result.args,
    }


def test_the_row_is_the_one_the_library_writes(db, database_queue):
    library = count_items.enqueue([3, 1, 2]).id
    enqueue_on_commit(count_items, [3, 1, 2])
    ours = DBTaskResult.objects.exclude(pk=library).get().pk

    assert _row(ours) == _row(library)
    assert _row(ours)["args"] == [[3, 1, 2]]


def test_the_row_is_rolled_back_with_the_transaction(db, database_queue):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_on_commit(count_items, [1])
        assert DBTaskResult.objects.count() == 1
        _ = 1 / 0
    assert DBTaskResult.objects.count() == 0
