"""Only published reviews ever reach the public, and each store's public id shows that store's
reviews only."""

import pytest

from regulars.feedback.models import ReviewStatus
from regulars.feedback.tests.public_data import (
    fresh_public_state,  # noqa: F401 - the fixture below
    product,
    review,
    reviews_path,
    widget_path,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")

UNPUBLISHED = (ReviewStatus.PENDING, ReviewStatus.REJECTED, ReviewStatus.HIDDEN)


def _everything_public(client, store, external_id="lp-1") -> str:
    """Every public answer about the store and its product, as one text."""
    paths = [
        reviews_path(store, external_id),
        reviews_path(store, external_id) + "?page=2&per_page=1",
        f"/f/api/{store.public_id}/products/{external_id}/jsonld",
        widget_path(store, external_id),
        f"/f/api/{store.public_id}/testimonials",
        f"/f/t/{store.public_id}/",
    ]
    return "\n".join(client.get(path).content.decode() for path in paths)


def test_reviews_not_published_never_appear(client, store):
    lp = product(store)
    review(lp, 5, 1, title="Shown to all", body="Lovely record.")
    for n, status in enumerate(UNPUBLISHED, start=2):
        review(lp, 5, n, title=f"SECRET {status}", body=f"secret body {status}", status=status)

    public = _everything_public(client, store)
    data = client.get(reviews_path(store)).json()

    assert "Shown to all" in public
    assert "SECRET" not in public
    assert "secret body" not in public
    assert data["rating"]["count"] == 1
    assert len(data["reviews"]) == 1


def test_another_stores_public_id_shows_nothing_of_this_store(client, store, other_store):
    review(product(store), 5, 1, title="Vinyl Corner review", body="From the first store.")
    # The other store sells a product with the same id in its own catalogue.
    review(product(other_store, title="Thai Funk LP"), 2, 1, title="Bangkok review", body="Other.")

    mine = _everything_public(client, store)
    theirs = _everything_public(client, other_store)
    crossed = [
        client.get(f"/f/api/{other_store.public_id}/products/lp-2/reviews").status_code,
        client.get(f"/f/w/{other_store.public_id}/lp-2/").status_code,
    ]

    assert "Vinyl Corner review" in mine and "Bangkok review" not in mine
    assert "Bangkok review" in theirs and "Vinyl Corner review" not in theirs
    assert "Thai Funk LP" in theirs and "Blue Train LP" not in theirs
    assert client.get(reviews_path(other_store)).json()["rating"]["count"] == 1
    assert crossed == [404, 404]


def test_a_product_of_this_store_is_unknown_under_another_stores_id(client, store, other_store):
    product(store, "only-here")
    review(product(store, "only-here"), 5, 1, title="Here only")

    for path in (
        reviews_path(other_store, "only-here"),
        f"/f/api/{other_store.public_id}/products/only-here/jsonld",
        widget_path(other_store, "only-here"),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Here only" not in response.content.decode()
