"""Tasks API entry points of commerce: thin, taking ids, safe to retry."""

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# A shipment can reach us before its order (platforms send topics independently and out of
# order). Such a delivery is tried again after these delays, then left failed for the merchant
# to replay; every other failure needs a change by someone, so it is not retried.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
# A processing run works for at most this long, then queues its successor behind the tasks
# waiting meanwhile: with one worker, the journeys and e-mails of the orders it processed run
# in between, so a long queue of deliveries does not hold back their confirmations.
RUN_SECONDS = 2.0
NOTHING_TO_DO = "nothing to do"


@task()
def process_queued_deliveries() -> str:
    """Process the queued deliveries in arrival order until none is left (intake wakes a run
    when none is waiting)."""
    from regulars.commerce.services.deliveries import queued_delivery_ids

    # The immediate backend (tests) would run the successor inside this run: no cap there.
    capped = process_queued_deliveries.get_backend().supports_defer
    started = time.monotonic()
    processed = 0
    for delivery_id in queued_delivery_ids():
        if capped and time.monotonic() - started > RUN_SECONDS:
            _queue_successor()
            return f"{processed} deliveries processed; more are queued, a new run is queued"
        try:
            processed += _process(delivery_id, retry=False) != NOTHING_TO_DO
        except Exception:
            # It stays queued for the next run; the deliveries after it are not held up.
            logger.exception("webhook delivery %s could not be processed", delivery_id)
    return f"{processed} deliveries processed"


@task()
def process_webhook_delivery(delivery_id: int) -> str:
    """Process one kept delivery: a retry of one whose order had not arrived yet."""
    return _process(delivery_id)


@task()
def process_webhook_deliveries(delivery_ids: list[int]) -> str:
    """Process the given deliveries in arrival order (the tasks intake queued before
    `process_queued_deliveries`; kept so that those still queued run)."""
    statuses = [_process(delivery_id) for delivery_id in delivery_ids]
    return ", ".join(statuses)


def _queue_successor() -> None:
    from regulars.core.events import enqueue_once_on_commit

    with transaction.atomic():
        enqueue_once_on_commit(process_queued_deliveries)


def _process(delivery_id: int, *, retry: bool = True) -> str:
    # Imported here: services.deliveries enqueues these tasks, so a top-level import would be
    # circular.
    from regulars.commerce.services.deliveries import process_pending_delivery

    outcome = process_pending_delivery(delivery_id, retry=retry)
    if outcome is None:
        return NOTHING_TO_DO
    delivery = outcome.delivery
    attempts = delivery.attempts
    if outcome.retryable and attempts <= len(RETRY_DELAYS):
        backend = process_webhook_delivery.get_backend()
        # The immediate backend (tests, REGULARS_TASKS=immediate) cannot wait; replay then.
        if backend.supports_defer:
            run_after = timezone.now() + RETRY_DELAYS[attempts - 1]
            process_webhook_delivery.using(run_after=run_after).enqueue(delivery_id)
    return delivery.status
