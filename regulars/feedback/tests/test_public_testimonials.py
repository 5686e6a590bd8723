"""The store's testimonials: its best recent published reviews with text, across products."""

import pytest

from regulars.feedback.models import ReviewStatus
from regulars.feedback.tests.public_data import (
    fresh_public_state,  # noqa: F401 - the fixture below
    product,
    review,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")


def _path(store) -> str:
    return f"/f/api/{store.public_id}/testimonials"


def test_five_stars_first_then_verified_then_newest_with_text_only(client, store):
    lp, cd = product(store, "lp-1"), product(store, "cd-1", title="Kind of Blue CD")
    four = review(lp, 4, 1, title="Four")
    five_old = review(cd, 5, 2, title="Five old")
    five_new = review(lp, 5, 3, title="Five new")
    five_verified = review(cd, 5, 4, title="Five verified", verified=True)
    review(lp, 3, 5, title="Three")
    review(lp, 5, 6, title="No text", body="")
    review(lp, 5, 7, title="Waiting", status=ReviewStatus.PENDING)

    data = client.get(_path(store)).json()

    assert data["store"] == {"name": "Vinyl Corner"}
    assert [t["id"] for t in data["testimonials"]] == [
        five_verified.pk,
        five_new.pk,
        five_old.pk,
        four.pk,
    ]
    assert data["testimonials"][0]["product"] == {
        "id": "cd-1",
        "title": "Kind of Blue CD",
        "url": "https://shop.example/products/cd-1",
    }
    assert client.get(_path(store))["Access-Control-Allow-Origin"] == "*"


def test_the_limit_is_asked_up_to_fifty(client, store):
    lp = product(store)
    for n in range(5):
        review(lp, 5, n)

    assert len(client.get(_path(store), {"limit": 2}).json()["testimonials"]) == 2
    assert client.get(_path(store), {"limit": 51}).status_code == 400


def test_a_new_review_shows_at_the_next_request(client, store):
    lp = product(store)
    review(lp, 5, 1, title="First")
    assert [t["title"] for t in client.get(_path(store)).json()["testimonials"]] == ["First"]
    client.get(f"/f/t/{store.public_id}/")

    review(lp, 5, 2, title="Second")

    titles = [t["title"] for t in client.get(_path(store)).json()["testimonials"]]
    html = client.get(f"/f/t/{store.public_id}/").content.decode()
    assert titles == ["Second", "First"]
    assert "Second" in html


def test_the_page_lists_them_with_links_to_the_products(client, store):
    review(product(store), 5, 1, title="Lovely", body="Warm sound.", author_name="Ana Silva")

    html = client.get(f"/f/t/{store.public_id}/").content.decode()

    assert "What our customers say" in html
    assert "Warm sound." in html
    assert "Ana S." in html
    assert '<a href="https://shop.example/products/lp-1" target="_top">Blue Train LP</a>' in html


def test_an_unknown_store_is_a_404(client, store):
    assert client.get("/f/api/nobody/testimonials").status_code == 404
    assert client.get("/f/t/nobody/").status_code == 404


def test_a_store_without_reviews_shows_none(client, store):
    assert client.get(_path(store)).json()["testimonials"] == []
    assert "No reviews to show yet." in client.get(f"/f/t/{store.public_id}/").content.decode()
