"""The signed review link is the only authentication of the review page: it cannot be altered,
made up, or reused for another customer's order; each gets the same bare 404 and writes
nothing. The page is rate-limited per IP address and per link."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import signing

from regulars.feedback import links
from regulars.feedback.models import Review
from regulars.feedback.tests.review_data import order, product, review_path

NOON = datetime(2026, 5, 1, 12, 0, 10, tzinfo=UTC)


def path_for(store_id, order_id, customer_id) -> str:
    return f"/f/r/{links.review_token(store_id, order_id, customer_id)}/"


def assert_refused(response):
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_an_altered_token_is_refused(client, store):
    placed = order(store)
    token = links.review_token(store.pk, placed.pk, placed.customer_id)
    payload, signature = token.rsplit(":", 1)
    assert_refused(client.get(f"/f/r/{payload}:{signature[:-2]}xx/"))
    assert_refused(client.post(f"/f/r/{payload}x:{signature}/", {"rating": "5"}))
    assert_refused(client.get("/f/r/guess/"))
    assert not Review.objects.exists()


def test_a_token_signed_for_another_purpose_is_refused(client, store):
    placed = order(store)
    survey_like = signing.Signer(salt="regulars.feedback.survey").sign_object(
        [store.pk, placed.pk, placed.customer_id], compress=True
    )
    assert_refused(client.get(f"/f/r/{survey_like}/"))


def test_a_link_cannot_be_reused_for_another_customers_order(client, store):
    mine = order(store, "1001", customer="ana")
    theirs = order(store, "1002", customer="ben", products=(("p2", "Kind of Blue"),))
    # Even a validly signed token naming Ben's order with Ana as its customer opens nothing:
    # the order must be that customer's.
    assert_refused(client.get(path_for(store.pk, theirs.pk, mine.customer_id)))
    assert_refused(
        client.post(
            path_for(store.pk, theirs.pk, mine.customer_id),
            {"product": product(store, "p2").pk, "rating": "1"},
        )
    )
    # Ana's own link reviews only Ana's order's products.
    page = client.post(review_path(mine), {"product": product(store, "p2").pk, "rating": "1"})
    assert page.status_code == 400
    assert "This product is not in your order." in page.content.decode()
    assert not Review.objects.exists()


def test_a_link_of_another_store_opens_nothing_here(client, store, other_store):
    placed = order(store)
    assert_refused(client.get(path_for(other_store.pk, placed.pk, placed.customer_id)))


@pytest.fixture
def low_limit(settings):
    settings.REGULARS_PUBLIC_PAGE_RATE_LIMIT = 2


def test_the_page_answers_429_past_the_limit_and_writes_nothing(client, store, low_limit):
    placed = order(store)
    path = review_path(placed)
    with time_machine.travel(NOON, tick=False):
        assert client.get(path).status_code == 200
        assert client.get("/f/r/guess/").status_code == 404  # guesses count too
        refused = client.post(path, {"product": product(store).pk, "rating": "5"})
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert client.get(path, REMOTE_ADDR="203.0.113.9").status_code == 200
    assert not Review.objects.exists()
    with time_machine.travel(NOON.replace(minute=1), tick=False):
        assert client.get(path).status_code == 200


def test_submissions_through_one_link_are_limited(client, store, settings):
    settings.REGULARS_REVIEW_SUBMISSIONS_PER_LINK = 2
    placed = order(store)
    path = review_path(placed)
    blue = product(store)
    with time_machine.travel(NOON, tick=False):
        for stars in ("1", "2"):
            assert client.post(path, {"product": blue.pk, "rating": stars}).status_code == 303
        third = client.post(path, {"product": blue.pk, "rating": "3"}, REMOTE_ADDR="198.51.100.7")
    assert third.status_code == 429
    assert Review.objects.get().rating == 2
