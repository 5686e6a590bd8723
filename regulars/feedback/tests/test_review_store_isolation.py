"""One store cannot read or change another's reviews: access_review is store-scoped, and a
submission cannot mix one store's customer, order or product with another's."""

import pytest

from regulars.core.errors import RegularsError
from regulars.feedback.models import ProductRating, Review
from regulars.feedback.services.reviews import access_review, do_submit_review
from regulars.feedback.tests.review_data import NOW, order, product


def test_access_review_finds_only_the_stores_own_reviews(store, other_store):
    placed = order(store)
    review = do_submit_review(store, placed.customer, placed, product(store), 5, "", "", now=NOW)
    assert access_review(store, review.pk) == review
    assert access_review(store, str(review.pk)) == review
    for bad in (review.pk, "not-a-number", None, 10**9):
        with pytest.raises(RegularsError) as refused:
            access_review(other_store if bad == review.pk else store, bad)
        assert (refused.value.code, refused.value.field) == ("not_found", "id")


def test_another_stores_product_customer_or_order_is_refused(store, other_store):
    mine = order(store)
    theirs = order(other_store, "T-1", customer="bkk", products=(("p1", "Thai Funk LP"),))
    cases = [
        (store, mine.customer, mine, product(other_store), "product"),
        (store, theirs.customer, None, product(store), "customer"),
        (store, mine.customer, theirs, product(store), "order"),
        (other_store, mine.customer, mine, product(store), "product"),
    ]
    for target, customer, placed, item, field in cases:
        with pytest.raises(RegularsError) as refused:
            do_submit_review(target, customer, placed, item, 5, "", "", now=NOW, source="api")
        assert (refused.value.code, refused.value.field) == ("not_found", field)
    assert not Review.objects.exists()
    assert not ProductRating.objects.exists()


def test_each_stores_figures_count_only_its_own_reviews(store, other_store):
    mine = order(store)
    theirs = order(other_store, "T-1", customer="bkk", products=(("p1", "Thai Funk LP"),))
    do_submit_review(store, mine.customer, mine, product(store), 5, "", "", now=NOW)
    do_submit_review(other_store, theirs.customer, theirs, product(other_store), 4, "", "", now=NOW)
    assert ProductRating.objects.get(product=product(store)).total == 5
    assert ProductRating.objects.get(product=product(other_store)).total == 4
    assert ProductRating.objects.get(product=product(other_store)).store == other_store
