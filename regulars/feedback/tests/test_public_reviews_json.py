"""The public JSON of a product's reviews: published only, newest first, figures from
ProductRating, paginated, open to any origin, and cached until the figures change."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from regulars.feedback.models import ProductRating, Review, ReviewStatus
from regulars.feedback.tests.public_data import (
    T0,
    fresh_public_state,  # noqa: F401 - the fixture below
    many_reviews,
    product,
    refresh_rating,
    review,
    reviews_path,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")


def test_it_lists_published_reviews_newest_first_with_the_products_figures(client, store):
    lp = product(store)
    first = review(lp, 5, 1, author_name="Ana Maria Silva", verified=True)
    second = review(lp, 3, 2, author_name="Bo", reply="Sorry about the sleeve.")
    second.replied_at = T0 + timedelta(days=1)
    second.save()
    third = review(lp, 4, 3, author_name="")

    response = client.get(reviews_path(store))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["product"] == {
        "id": "lp-1",
        "title": "Blue Train LP",
        "url": "https://shop.example/products/lp-1",
        "image": "https://shop.example/img/lp-1.jpg",
    }
    assert data["rating"] == {
        "average": 4.0,
        "count": 3,
        "distribution": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1},
    }
    assert [r["id"] for r in data["reviews"]] == [third.pk, second.pk, first.pk]
    assert data["reviews"][2] == {
        "id": first.pk,
        "rating": 5,
        "title": "Review 1",
        "body": "Body of review 1.",
        "author": "Ana S.",
        "verified": True,
        "written_at": "2026-03-01T12:30:00Z",
        "reply": None,
        "photos": [],
    }
    assert data["reviews"][1]["author"] == "Bo"
    assert data["reviews"][1]["reply"] == {
        "body": "Sorry about the sleeve.",
        "at": "2026-03-02T12:00:00Z",
    }
    assert data["reviews"][0]["author"] == ""
    assert (data["page"], data["pages"], data["per_page"], data["next"]) == (1, 1, 10, None)
    # The reviewer's e-mail address is never public.
    assert b"ana@example.com" not in response.content


def test_a_review_without_an_author_name_shows_the_customers_first_name_and_initial(client, store):
    from regulars.commerce.models import Customer

    customer = Customer.objects.create(
        store=store, first_name="Malee", last_name="Chaiyaporn", first_seen_at=T0
    )
    review(product(store), 5, 1, author_name="", customer=customer)

    data = client.get(reviews_path(store)).json()

    assert data["reviews"][0]["author"] == "Malee C."


def test_the_figures_are_read_from_product_rating_never_counted(
    client, store, django_assert_num_queries
):
    lp = product(store)
    review(lp, 5, 1)
    # Only the aggregate row speaks for the figures: the one review is not counted again.
    ProductRating.objects.filter(product=lp).update(count=7, total=33, stars_5=5, stars_4=1)

    with django_assert_num_queries(3):  # the product with its figures, the page, its photos
        data = client.get(reviews_path(store)).json()
    with django_assert_num_queries(1):  # cached: the product and its figures' version only
        again = client.get(reviews_path(store)).json()

    assert data["rating"] == {
        "average": 4.71,
        "count": 7,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 5},
    }
    assert again == data


def test_pages_cover_every_review_once_in_order(client, store):
    lp = product(store)
    many_reviews(lp, 25)
    # Three published at the same instant keep one order across pages.
    Review.objects.filter(title__in=["Review 10", "Review 11", "Review 12"]).update(
        published_at=T0 + timedelta(minutes=10)
    )
    expected = list(
        Review.objects.filter(product=lp)
        .order_by("-published_at", "id")
        .values_list("id", flat=True)
    )

    pages = [client.get(reviews_path(store), {"page": n, "per_page": 10}).json() for n in (1, 2, 3)]

    assert [page["pages"] for page in pages] == [3, 3, 3]
    assert [len(page["reviews"]) for page in pages] == [10, 10, 5]
    seen = [r["id"] for page in pages for r in page["reviews"]]
    assert seen == expected
    assert pages[0]["reviews"][0]["title"] == "Review 24"
    assert pages[2]["reviews"][-1]["title"] == "Review 0"
    base = settings.BASE_URL + reviews_path(store)
    assert pages[0]["next"] == f"{base}?page=2&per_page=10"
    assert pages[1]["next"] == f"{base}?page=3&per_page=10"
    assert pages[2]["next"] is None


def test_a_page_past_the_last_is_empty(client, store, django_assert_num_queries):
    many_reviews(product(store), 5)

    with django_assert_num_queries(1):
        data = client.get(reviews_path(store), {"page": 2}).json()

    assert data["reviews"] == []
    assert (data["page"], data["pages"], data["next"]) == (2, 1, None)
    assert data["rating"]["count"] == 5


def test_a_deep_page_of_many_reviews_holds_the_oldest(client, store):
    lp = product(store)
    many_reviews(lp, 2000)

    data = client.get(reviews_path(store), {"page": 200, "per_page": 10}).json()

    assert data["pages"] == 200
    assert [r["title"] for r in data["reviews"]] == [f"Review {i}" for i in range(9, -1, -1)]
    assert data["next"] is None


def test_fifty_per_page_at_most(client, store):
    many_reviews(product(store), 60)

    assert len(client.get(reviews_path(store), {"per_page": 50}).json()["reviews"]) == 50
    refused = client.get(reviews_path(store), {"per_page": 51})

    assert refused.status_code == 400
    assert refused.json() == {
        "errors": [
            {
                "code": "invalid",
                "field": "per_page",
                "message": "per_page must be a whole number from 1 to 50.",
            }
        ]
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "٣"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"per_page": "0"}, "per_page"),
    ],
)
def test_bad_paging_is_refused_naming_the_field(client, store, query, field):
    many_reviews(product(store), 3)

    response = client.get(reviews_path(store), query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_store_or_product_is_a_404(client, store):
    many_reviews(product(store), 3)

    for path in (
        f"/f/api/{store.public_id}/products/nope/reviews",
        "/f/api/not-a-store/products/lp-1/reviews",
        f"/f/api/{store.slug}/products/lp-1/reviews",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["code"] == "not_found"


def test_a_product_without_reviews_has_empty_figures(client, store):
    product(store)

    data = client.get(reviews_path(store)).json()

    assert data["rating"] == {
        "average": None,
        "count": 0,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }
    assert (data["reviews"], data["pages"], data["next"]) == ([], 0, None)


def test_any_origin_may_read_it_and_no_cookie_is_set(client, store):
    many_reviews(product(store), 2)

    response = client.get(reviews_path(store), HTTP_ORIGIN="https://shop.example")
    preflight = client.options(reviews_path(store), HTTP_ORIGIN="https://shop.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=60"
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_it_is_read_only(client, store):
    many_reviews(product(store), 2)

    for method in (client.post, client.put, client.delete):
        response = method(reviews_path(store))
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert Review.objects.count() == 2


def test_a_newly_published_review_shows_at_the_next_request(client, store):
    lp = product(store)
    review(lp, 5, 1)
    assert client.get(reviews_path(store)).json()["rating"]["count"] == 1

    newer = review(lp, 2, 2, title="Scratched")

    data = client.get(reviews_path(store)).json()
    assert data["rating"]["count"] == 2
    assert data["reviews"][0]["id"] == newer.pk
    assert data["reviews"][0]["title"] == "Scratched"


def test_a_hidden_review_disappears_at_the_next_request(client, store):
    lp = product(store)
    kept = review(lp, 5, 1)
    hidden = review(lp, 1, 2)
    assert len(client.get(reviews_path(store)).json()["reviews"]) == 2

    Review.objects.filter(pk=hidden.pk).update(status=ReviewStatus.HIDDEN)
    refresh_rating(lp)

    data = client.get(reviews_path(store)).json()
    assert [r["id"] for r in data["reviews"]] == [kept.pk]
    assert data["rating"]["count"] == 1


def test_what_does_not_change_the_figures_shows_once_the_cache_expires(client, store):
    lp = product(store)
    first = review(lp, 5, 1)
    with time_machine.travel(T0 + timedelta(days=30), tick=False) as clock:
        assert client.get(reviews_path(store)).json()["reviews"][0]["reply"] is None
        # A reply leaves the figures as they are: the cached answer stands for a while.
        Review.objects.filter(pk=first.pk).update(reply="Thank you!", replied_at=T0)

        assert client.get(reviews_path(store)).json()["reviews"][0]["reply"] is None
        clock.shift(61)
        reply = client.get(reviews_path(store)).json()["reviews"][0]["reply"]

    assert reply == {"body": "Thank you!", "at": "2026-03-01T12:00:00Z"}
