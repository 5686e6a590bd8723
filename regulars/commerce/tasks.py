"""Tasks API entry points of commerce: thin, taking ids, safe to retry."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# A shipment can reach us before its order (platforms send topics independently and out of
# order). Such a delivery is tried again after these delays, then left failed for the merchant
# to replay; every other failure needs a change by someone, so it is not retried.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


@task()
def process_webhook_delivery(delivery_id: int) -> str:
    """Process one kept delivery: a retry of one whose order had not arrived yet."""
    return _process(delivery_id)


@task()
def process_webhook_deliveries(delivery_ids: list[int]) -> str:
    """Process the deliveries kept together in one intake transaction, in arrival order."""
    statuses = [_process(delivery_id) for delivery_id in delivery_ids]
    return ", ".join(statuses)


def _process(delivery_id: int) -> str:
    # Imported here: services.deliveries enqueues these tasks, so a top-level import would be
    # circular.
    from regulars.commerce.services.deliveries import process_pending_delivery

    outcome = process_pending_delivery(delivery_id)
    if outcome is None:
        return "nothing to do"
    delivery = outcome.delivery
    attempts = delivery.attempts
    if outcome.retryable and attempts <= len(RETRY_DELAYS):
        backend = process_webhook_delivery.get_backend()
        # The immediate backend (tests, REGULARS_TASKS=immediate) cannot wait; replay then.
        if backend.supports_defer:
            run_after = timezone.now() + RETRY_DELAYS[attempts - 1]
            process_webhook_delivery.using(run_after=run_after).enqueue(delivery_id)
    return delivery.status
