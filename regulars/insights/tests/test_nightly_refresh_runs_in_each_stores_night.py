"""The nightly refresh: an hourly tick on the worker queues the next tick first, then a full
refresh of every store whose 03:00 in its own time zone has passed since its last refresh."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from regulars.insights.schedule import due_stores, ensure_nightly_tick, last_nightly_moment
from regulars.insights.services import do_refresh_insights
from regulars.insights.tasks import nightly_insights_tick, refresh_store_insights

pytestmark = pytest.mark.django_db

# 02:30 UTC: 21:30 the day before in New York (store), 09:30 in Bangkok (other_store)
NOW = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path, status="READY"))


def test_the_nightly_moment_is_three_oclock_in_the_stores_time_zone(store, other_store):
    assert last_nightly_moment(store, NOW) == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert last_nightly_moment(other_store, NOW) == datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def test_a_store_refreshed_since_its_night_is_not_due(store, other_store):
    do_refresh_insights(store, now=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))  # after New York's 03:00
    # before Bangkok's 03:00
    do_refresh_insights(other_store, now=datetime(2026, 3, 1, 19, 0, tzinfo=UTC))

    assert due_stores(NOW) == [other_store]


def test_a_store_never_refreshed_is_due(store, other_store):
    assert due_stores(NOW) == [store, other_store]


def test_the_tick_is_queued_for_the_next_hour_once(queue):
    assert ensure_nightly_tick(NOW) is True
    assert ensure_nightly_tick(NOW) is False

    (tick,) = _queued(nightly_insights_tick)
    assert tick.run_after == datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def test_a_tick_queues_the_next_one_then_the_due_refreshes(queue, store, other_store, time_machine):
    time_machine.move_to(NOW, tick=False)
    do_refresh_insights(store, now=NOW)

    nightly_insights_tick.call()

    (tick,) = _queued(nightly_insights_tick)
    assert tick.run_after == datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert [t.args_kwargs["args"] for t in _queued(refresh_store_insights)] == [[other_store.pk]]


def test_a_refresh_already_waiting_is_not_queued_twice(queue, store, time_machine):
    time_machine.move_to(NOW, tick=False)
    nightly_insights_tick.call()
    nightly_insights_tick.call()

    assert len(_queued(refresh_store_insights)) == 1


def test_migrate_starts_the_chain(queue):
    call_command("migrate", verbosity=0)

    assert len(_queued(nightly_insights_tick)) == 1


def test_without_a_queue_that_can_wait_no_tick_is_queued(store):
    # the immediate backend would run the tick, which queues the next tick, at once, forever
    assert ensure_nightly_tick(NOW) is False
    assert not DBTaskResult.objects.exists()
