"""A review is marked verified only when its customer has an order with a line of the product
and a delivered fulfillment of that order: whatever the source says."""

import pytest

from regulars.core.errors import RegularsError
from regulars.feedback.models import Review, ReviewSource, ReviewStatus
from regulars.feedback.services.reviews import do_submit_review
from regulars.feedback.tests.review_data import NOW, customer, order, product


def test_the_buyer_of_a_delivered_order_writes_a_verified_review(store):
    placed = order(store)
    review = do_submit_review(
        store, placed.customer, placed, product(store), 5, "Great", "Plays perfectly.", now=NOW
    )
    review.refresh_from_db()
    assert review.verified is True
    assert review.order_line.order_id == placed.pk
    assert review.status == ReviewStatus.PUBLISHED
    assert review.author_name == "Ana Silva"
    assert review.author_email == "c1@example.com"
    assert review.written_at == NOW


def test_an_order_still_on_its_way_does_not_verify(store):
    placed = order(store, delivered=False)
    review = do_submit_review(store, placed.customer, placed, product(store), 5, "", "", now=NOW)
    assert review.verified is False
    assert review.order_line is None


def test_a_non_buyer_is_not_verified_even_through_the_api(store):
    order(store, "1001", customer="buyer")
    order(store, "1002", customer="other", products=(("p2", "Kind of Blue"),))
    stranger = customer(store, "other")
    review = do_submit_review(
        store,
        stranger,
        None,
        product(store, "p1"),
        4,
        "",
        "I never bought it but here goes.",
        now=NOW,
        source=ReviewSource.API,
    )
    assert review.verified is False
    assert review.order is None
    assert Review.objects.get(pk=review.pk).verified is False


def test_the_buyer_of_another_product_is_not_verified_for_this_one(store):
    order(store, "1001", customer="c1", products=(("p1", "Blue Train LP"),))
    order(store, "1002", customer="c2", products=(("p2", "Kind of Blue"),))
    review = do_submit_review(
        store, customer(store, "c1"), None, product(store, "p2"), 5, "", "", now=NOW, source="api"
    )
    assert review.verified is False


def test_a_review_request_for_a_product_outside_the_order_is_refused(store):
    placed = order(store, "1001")
    order(store, "1002", customer="c2", products=(("p2", "Kind of Blue"),))
    with pytest.raises(RegularsError) as refused:
        do_submit_review(store, placed.customer, placed, product(store, "p2"), 5, "", "", now=NOW)
    assert refused.value.field == "product"
    assert "Kind of Blue is not in order #1001" in refused.value.message
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("rating", "field", "message"),
    [
        (None, "rating", "Choose a rating from 1 to 5 stars."),
        ("six", "rating", "Choose a rating from 1 to 5 stars."),
        (0, "rating", "0 is not a rating from 1 to 5 stars."),
        (6, "rating", "6 is not a rating from 1 to 5 stars."),
    ],
)
def test_a_rating_outside_one_to_five_is_refused_naming_the_field(store, rating, field, message):
    placed = order(store)
    with pytest.raises(RegularsError) as refused:
        do_submit_review(store, placed.customer, placed, product(store), rating, "", "", now=NOW)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Review.objects.exists()


def test_a_title_too_long_is_refused_naming_the_field(store):
    placed = order(store)
    with pytest.raises(RegularsError) as refused:
        do_submit_review(store, placed.customer, placed, product(store), 5, "x" * 201, "", now=NOW)
    assert refused.value.field == "title"
    assert refused.value.message == "is 201 characters long; at most 200 fit"
