"""Tasks API entry points of messaging: thin, safe to run twice."""

import time

from django_tasks import task

# One run sends for at most this long, then queues a successor if messages remain, so that a
# large send never holds one worker slot for ever and other tasks get their turn.
RUN_SECONDS = 60


@task()
def dispatch_messages() -> str:
    """Send every due message (in batches), then stop."""
    from regulars.messaging.services.sending import BATCH, dispatch_due

    started = time.monotonic()
    handled = 0
    while True:
        # Stale claims are looked for once a run (a run lasts about RUN_SECONDS at most).
        done = dispatch_due(recover=handled == 0)
        handled += done
        if done < BATCH:
            return f"{handled} messages handled"
        if time.monotonic() - started > RUN_SECONDS:
            dispatch_messages.enqueue()
            return f"{handled} messages handled; more remain, a new run is queued"


@task()
def dispatch_tick() -> str:
    """Every few minutes: queue the next tick, then send whatever is due (see schedule.py)."""
    from regulars.messaging.schedule import ensure_dispatch_tick
    from regulars.messaging.services.sending import BATCH, dispatch_due

    ensure_dispatch_tick()
    handled = dispatch_due()
    if handled == BATCH:  # more remain: a full run takes over
        dispatch_messages.enqueue()
    return f"{handled} messages handled"
