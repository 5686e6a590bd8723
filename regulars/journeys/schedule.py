"""The journeys' clock: a tick every minute on the worker.

Event triggers enroll customers at once and queue a run (handlers.py); the tick is what moves
everything else: time-based triggers (carts left behind every tick; anniversaries, birthdays
and scores hourly, see triggers.DAILY_EVERY) and enrollments whose wait is over. Each tick
queues the next one first, and only one tick is ever waiting (as messaging's schedule does).
"""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from regulars.journeys.models import Journey
from regulars.journeys.triggers import evaluate

logger = logging.getLogger(__name__)

TICK = timedelta(minutes=1)


def ensure_journeys_tick(now: datetime | None = None) -> bool:
    """Queue the next tick unless one is waiting (database task queue only: an immediate
    backend would run the chain at once, for ever). Returns whether a tick was queued."""
    from django_tasks_db.models import DBTaskResult

    from regulars.journeys.tasks import journeys_tick

    if not journeys_tick.get_backend().supports_defer:
        return False
    if DBTaskResult.objects.filter(task_path=journeys_tick.module_path, status="READY").exists():
        return False
    journeys_tick.using(run_after=(now or timezone.now()) + TICK).enqueue()
    return True


def evaluate_time_triggers(now: datetime | None = None) -> int:
    """Evaluate every switched-on journey with a time-based trigger; the number enrolled."""
    now = now or timezone.now()
    enrolled = 0
    for journey in Journey.objects.filter(enabled=True).select_related("store"):
        try:
            enrolled += evaluate(journey, now)
        except Exception:
            # One store's broken journey must not stop the others' triggers.
            logger.exception("evaluating journey %s failed", journey.pk)
    return enrolled
