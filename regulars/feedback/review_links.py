"""Reviews in the journeys (`register()`, called by FeedbackConfig.ready):

- `data.review_url` in a journey message (the review-request template): the signed review
  page of the enrollment's order, for the enrolled customer; empty without an order, so the
  template leaves the link out (the dashboard's preview gets a link that leads nowhere).
- A posted review enrolls its customer in the store's journeys triggered by "review posted".
"""

from django.conf import settings
from django.urls import reverse

from regulars.core.events import subscribe
from regulars.feedback import events, links
from regulars.feedback.models import Review
from regulars.journeys.handlers import enroll_for
from regulars.journeys.models import Enrollment, Trigger
from regulars.journeys.steps import register_link

_PREVIEW_TOKEN = "preview"


def review_url(enrollment: Enrollment) -> str:
    if enrollment.order_id is None or enrollment.customer_id is None:
        return ""
    if enrollment.pk is None:
        # The dashboard's preview (an unsaved enrollment): a link of the right shape that
        # leads nowhere, rather than a working link to a real customer's review page.
        return settings.BASE_URL + reverse("feedback:review", args=[_PREVIEW_TOKEN])
    return links.review_url(enrollment.store_id, enrollment.order_id, enrollment.customer_id)


def on_review_posted(*, store_id: int, review_id: int, customer_id: int | None) -> None:
    order_id = Review.objects.filter(pk=review_id).values_list("order_id", flat=True).first()
    enroll_for(
        Trigger.REVIEW_POSTED,
        store_id,
        customer_id,
        occurrence=f"r{review_id}",
        order_id=order_id,
    )


def register() -> None:
    register_link("review_url", review_url)
    subscribe(events.REVIEW_POSTED, on_review_posted)
