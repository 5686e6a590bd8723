"""Feedback's domain events (core.events): run after the transaction commits, so a handler
never sees an answer or a review that was rolled back. Subscribers: the outgoing webhook
(review.published, survey.detractor) and the journeys' survey-answered and review-posted
triggers."""

from regulars.core.events import emit

SURVEY_ANSWERED = "feedback.survey_answered"
REVIEW_POSTED = "feedback.review_posted"
REVIEW_PUBLISHED = "feedback.review_published"


def survey_answered(*, store_id: int, answer_id: int, customer_id: int, first: bool) -> None:
    """An answer was recorded; `first` is False when a second tap updated it."""
    emit(
        SURVEY_ANSWERED,
        store_id=store_id,
        answer_id=answer_id,
        customer_id=customer_id,
        first=first,
    )


def review_posted(*, store_id: int, review_id: int, customer_id: int | None) -> None:
    """A customer wrote a review (published or waiting for moderation); not for imports."""
    emit(REVIEW_POSTED, store_id=store_id, review_id=review_id, customer_id=customer_id)


def review_published(*, store_id: int, review_id: int) -> None:
    emit(REVIEW_PUBLISHED, store_id=store_id, review_id=review_id)
