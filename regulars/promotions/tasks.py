"""Tasks API entry points of promotions: thin, taking ids, safe to run twice."""

from django.utils import timezone
from django_tasks import task


@task()
def announce_coupon(coupon_id: int, event: str = "coupon.issued") -> str:
    """Post one coupon event to the store's coupon webhook; after a transient failure, queue
    the next attempt for later (backends that cannot defer leave it failed in the log)."""
    from regulars.promotions.services.webhook import do_announce

    outcome = do_announce(coupon_id, event)
    if outcome.retry_in is not None and announce_coupon.get_backend().supports_defer:
        announce_coupon.using(run_after=timezone.now() + outcome.retry_in).enqueue(coupon_id, event)
    return outcome.summary
