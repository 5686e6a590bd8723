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
        done = dispatch_due()
        handled += done
        if done < BATCH:
            return f"{handled} messages handled"
        if time.monotonic() - started > RUN_SECONDS:
            dispatch_messages.enqueue()
            return f"{handled} messages handled; more remain, a new run is queued"
