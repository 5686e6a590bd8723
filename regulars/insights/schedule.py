"""The nightly refresh: every store's insights recomputed once a night, at NIGHTLY_HOUR in the
store's own time zone, by the worker, with no cron to set up.

An hourly tick (`tasks.nightly_insights_tick`) runs on the worker. It first queues the next
tick, so the chain survives a tick that fails, then queues a full refresh for every store whose
last nightly hour has passed since its last refresh. Catching up that way, a store whose night
fell in downtime is refreshed at the first tick after it. The first tick is queued after
`migrate` (`make run` and every deployment migrate) and again by `regulars insights refresh`;
a chain is never doubled, as a tick is queued only when none is waiting.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from regulars.core.models import Store
from regulars.insights.models import StoreInsights
from regulars.insights.services import do_request_refresh

NIGHTLY_HOUR = 3
TICK = timedelta(hours=1)


def last_nightly_moment(store: Store, now: datetime) -> datetime:
    """The latest NIGHTLY_HOUR o'clock in the store's time zone at or before `now`."""
    zone = ZoneInfo(store.timezone)
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), time(NIGHTLY_HOUR), tzinfo=zone)
    if moment > local:
        moment = datetime.combine(local.date() - timedelta(days=1), time(NIGHTLY_HOUR), tzinfo=zone)
    return moment


def due_stores(now: datetime) -> list[Store]:
    """Stores not refreshed since their last nightly moment (never refreshed included)."""
    last = dict(StoreInsights.objects.values_list("store_id", "computed_at"))
    due = []
    for store in Store.objects.order_by("pk"):
        refreshed = last.get(store.pk)
        if refreshed is None or refreshed < last_nightly_moment(store, now):
            due.append(store)
    return due


def do_nightly_refreshes(now: datetime | None = None) -> int:
    """Queue a refresh for every due store (one already queued is not queued twice)."""
    due = due_stores(now or timezone.now())
    for store in due:
        do_request_refresh(store)
    return len(due)


def next_tick_at(now: datetime) -> datetime:
    """The next whole hour after `now`: nightly moments are whole hours in every time zone
    but a few (UTC+5:30, +5:45 ...), where the refresh runs up to 45 minutes after it."""
    return now.replace(minute=0, second=0, microsecond=0) + TICK


def ensure_nightly_tick(now: datetime | None = None) -> bool:
    """Queue the next tick unless one is waiting. Only on a task backend that can run a task
    later (the database queue); an immediate backend would run the chain at once, forever.
    Returns whether a tick was queued."""
    from django_tasks_db.models import DBTaskResult

    from regulars.insights.tasks import nightly_insights_tick

    if not nightly_insights_tick.get_backend().supports_defer:
        return False
    if DBTaskResult.objects.filter(
        task_path=nightly_insights_tick.module_path, status="READY"
    ).exists():
        return False
    at = next_tick_at(now or timezone.now())
    nightly_insights_tick.using(run_after=at).enqueue()
    return True
