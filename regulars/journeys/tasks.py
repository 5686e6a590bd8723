"""Tasks API entry points of journeys: thin, safe to run twice."""

import time

from django_tasks import task

# One run works for at most this long, then queues a successor if enrollments remain due.
RUN_SECONDS = 60


@task()
def run_journeys() -> str:
    """Advance every due enrollment (in batches), then stop."""
    from regulars.journeys.runner import BATCH, run_due

    started = time.monotonic()
    advanced = 0
    while True:
        done = run_due()
        advanced += done
        if done < BATCH:
            return f"{advanced} enrollments advanced"
        if time.monotonic() - started > RUN_SECONDS:
            run_journeys.enqueue()
            return f"{advanced} enrollments advanced; more are due, a new run is queued"


@task()
def journeys_tick() -> str:
    """Every minute: queue the next tick, evaluate the time-based triggers, run what is due."""
    from regulars.journeys.runner import BATCH, run_due
    from regulars.journeys.schedule import ensure_journeys_tick, evaluate_time_triggers

    ensure_journeys_tick()
    enrolled = evaluate_time_triggers()
    advanced = run_due()
    if advanced == BATCH:
        run_journeys.enqueue()
    return f"{enrolled} enrolled, {advanced} enrollments advanced"
