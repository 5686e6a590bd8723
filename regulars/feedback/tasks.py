"""Tasks API entry points of feedback: thin, taking ids."""

from django.utils import timezone
from django_tasks import task


@task()
def send_detractor_alert(answer_id: int) -> str:
    """E-mail staff about a detractor's survey answer. Queued once per answer, in the same
    transaction as its follow-up; run again by hand, it sends the alert again."""
    from regulars.feedback.services.surveys import do_send_detractor_alert

    return f"alert sent to {do_send_detractor_alert(answer_id)} address(es)"


@task()
def deliver_feedback_event(event: str, object_id: int) -> str:
    """Post one feedback event (review.published, survey.detractor) to the store's webhook;
    after a transient failure, queue the next attempt for later (backends that cannot defer
    leave it failed in the log). Safe to run twice: a delivered event is not sent again."""
    from regulars.feedback.services.webhook import do_deliver

    outcome = do_deliver(event, object_id)
    if outcome.retry_in is not None and deliver_feedback_event.get_backend().supports_defer:
        deliver_feedback_event.using(run_after=timezone.now() + outcome.retry_in).enqueue(
            event, object_id
        )
    return outcome.summary


@task()
def fetch_imported_photos(store_id: int) -> str:
    """Fetch the store's photo addresses of imported reviews that are due; queue the next run
    when more are waiting or a retry is due later (backends that cannot defer leave the
    retries to the next import's run). Safe to run twice: each address is claimed once."""
    from regulars.feedback.services.photo_fetch import do_fetch_imported_photos

    outcome = do_fetch_imported_photos(store_id)
    backend = fetch_imported_photos.get_backend()
    if outcome.next_run_at is not None:
        if outcome.next_run_at <= timezone.now():
            fetch_imported_photos.enqueue(store_id)
        elif backend.supports_defer:
            fetch_imported_photos.using(run_after=outcome.next_run_at).enqueue(store_id)
    return outcome.summary
