"""ProductRating always equals a recount of the product's published reviews: after submission,
approval, hiding, rejection, re-approval and replies; moderation asks for a reason to reject or
hide; review_published is emitted once per publication, review_posted once per new review."""

import pytest
from django.db.models import Count, Sum

from regulars.core.errors import RegularsError, StorePermissionDenied
from regulars.core.events import subscribe, unsubscribe
from regulars.feedback import events
from regulars.feedback.models import ProductRating, Review, ReviewStatus
from regulars.feedback.services.reviews import (
    do_moderate_review,
    do_reply_to_review,
    do_submit_review,
)
from regulars.feedback.tests.review_data import NOW, order, product, settings_of


def recount(product_id) -> dict:
    published = Review.objects.filter(product_id=product_id, status=ReviewStatus.PUBLISHED)
    figures = published.aggregate(count=Count("pk"), total=Sum("rating"))
    figures["total"] = figures["total"] or 0
    figures["distribution"] = {
        stars: published.filter(rating=stars).count() for stars in range(1, 6)
    }
    return figures


def kept(product_id) -> dict:
    rating = ProductRating.objects.get(product_id=product_id)
    return {"count": rating.count, "total": rating.total, "distribution": rating.distribution}


@pytest.fixture
def heard():
    """The feedback events emitted (their handlers run after commit)."""
    seen = []

    def posted(**payload):
        seen.append(("posted", payload["review_id"]))

    def published(**payload):
        seen.append(("published", payload["review_id"]))

    subscribe(events.REVIEW_POSTED, posted)
    subscribe(events.REVIEW_PUBLISHED, published)
    yield seen
    unsubscribe(events.REVIEW_POSTED, posted)
    unsubscribe(events.REVIEW_PUBLISHED, published)


def five_reviews(store):
    """Five customers' reviews of one record, 1 to 5 stars: 4 and 5 publish themselves."""
    reviews = []
    for stars in range(1, 6):
        placed = order(store, f"10{stars}", customer=f"c{stars}")
        reviews.append(
            do_submit_review(store, placed.customer, placed, product(store), stars, "", "", now=NOW)
        )
    return reviews


def test_the_figures_follow_every_status_change(store, owner, django_capture_on_commit_callbacks):
    one, _, three, four, five = five_reviews(store)
    pid = product(store).pk
    assert kept(pid) == recount(pid)
    assert kept(pid)["count"] == 2 and kept(pid)["total"] == 9

    do_moderate_review(three, "approve", "", owner)
    assert kept(pid) == recount(pid)
    assert kept(pid)["distribution"] == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}

    do_moderate_review(five, "hide", "a competitor's employee", owner)
    do_moderate_review(one, "reject", "about the courier, not the record", owner)
    assert kept(pid) == recount(pid)
    assert (kept(pid)["count"], kept(pid)["total"]) == (2, 7)

    do_moderate_review(five, "approve", "checked: a real buyer", owner)
    do_reply_to_review(four, "Thank you, Ana!", owner)
    assert kept(pid) == recount(pid)
    assert (kept(pid)["count"], kept(pid)["total"]) == (3, 12)
    assert ProductRating.objects.get(product_id=pid).average == 4.0
    five.refresh_from_db()
    assert (five.status, five.moderated_by, five.moderation_reason) == (
        ReviewStatus.PUBLISHED,
        owner,
        "checked: a real buyer",
    )


@pytest.mark.parametrize("action", ["reject", "hide"])
def test_rejecting_or_hiding_needs_a_reason_and_changes_nothing_without(store, owner, action):
    review = five_reviews(store)[4]
    before = kept(review.product_id)
    with pytest.raises(RegularsError) as refused:
        do_moderate_review(review, action, "  ", owner)
    assert (refused.value.field, refused.value.code) == ("reason", "required")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert kept(review.product_id) == before


def test_an_unknown_action_is_refused(store, owner):
    review = five_reviews(store)[0]
    with pytest.raises(RegularsError) as refused:
        do_moderate_review(review, "delete", "spam", owner)
    assert refused.value.field == "action"


def test_the_reply_is_public_editable_and_removed_when_empty(store, owner, member):
    review = five_reviews(store)[4]
    do_reply_to_review(review, "  Thank you!  ", owner)
    review.refresh_from_db()
    first = review.replied_at
    assert (review.reply, review.replied_by) == ("Thank you!", owner)
    assert first is not None

    do_reply_to_review(review, "Thank you, enjoy the record!", None)  # the API
    review.refresh_from_db()
    # Edited: the time of the first reply stays (the inbox measures time to first reply).
    assert (review.reply, review.replied_by, review.replied_at) == (
        "Thank you, enjoy the record!",
        None,
        first,
    )

    do_reply_to_review(review, "", owner)
    review.refresh_from_db()
    assert (review.reply, review.replied_at, review.replied_by) == ("", None, None)
    assert kept(review.product_id) == recount(review.product_id)


def test_a_reply_moves_the_figures_version_for_the_widgets_cache(store, owner):
    review = five_reviews(store)[4]
    before = ProductRating.objects.get(product_id=review.product_id).updated_at
    do_reply_to_review(review, "Thanks!", owner)
    assert ProductRating.objects.get(product_id=review.product_id).updated_at > before


def test_events_are_emitted_once_per_new_review_and_per_publication(
    store, owner, heard, django_capture_on_commit_callbacks
):
    settings_of(store, auto_publish_min_rating=5)
    placed = order(store, products=(("p1", "A"), ("p2", "B")))
    a, b = product(store, "p1"), product(store, "p2")
    with django_capture_on_commit_callbacks(execute=True):
        auto = do_submit_review(store, placed.customer, placed, a, 5, "", "", now=NOW)
        held = do_submit_review(store, placed.customer, placed, b, 4, "", "", now=NOW)
        # An edit of the pending review is not a new review.
        do_submit_review(store, placed.customer, placed, b, 3, "", "edit", now=NOW)
        do_moderate_review(held, "approve", "", owner)
        do_moderate_review(held, "approve", "", owner)  # already published: nothing new
        do_moderate_review(held, "hide", "test", owner)
    assert heard == [
        ("posted", auto.pk),
        ("published", auto.pk),
        ("posted", held.pk),
        ("published", held.pk),
    ]


def test_a_viewer_can_neither_reply_nor_moderate_through_the_services(store, member, outsider):
    # The dashboard checks the role too; the services are the last word (the API passes None).
    review = five_reviews(store)[4]
    for user in (member, outsider):
        with pytest.raises(StorePermissionDenied):
            do_reply_to_review(review, "Thanks", user)
        with pytest.raises(StorePermissionDenied):
            do_moderate_review(review, "hide", "spam", user)
    review.refresh_from_db()
    assert (review.reply, review.status) == ("", ReviewStatus.PUBLISHED)
