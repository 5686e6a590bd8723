"""The widget page for an <iframe>: framable by any site (and only it), paginated by plain
links, in the store's or the asked language, with the stars, distribution, replies and photos."""

import re

import pytest
from django.core.files.base import ContentFile

from regulars.feedback.models import ReviewPhoto
from regulars.feedback.services.photos import photo_url
from regulars.feedback.tests.public_data import (
    fresh_public_state,  # noqa: F401 - the fixture below
    many_reviews,
    product,
    review,
    reviews_path,
    widget_path,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="review__title">(.*?)</h2>', html)


def test_any_site_may_frame_the_widget_and_the_testimonials(client, store):
    review(product(store), 5, 1)

    for path in (widget_path(store), f"/f/t/{store.public_id}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors *" in csp
        assert "script-src 'self'" in csp
        assert not response.cookies


def test_nothing_else_may_be_framed(client, store):
    review(product(store), 5, 1)

    for path in (
        reviews_path(store),
        f"/f/api/{store.public_id}/products/lp-1/jsonld",
        "/login/",
        f"/f/w/{store.public_id}/unknown/x",
    ):
        assert client.get(path)["X-Frame-Options"] == "DENY", path


def test_the_widget_shows_the_figures_and_the_reviews(client, store):
    lp = product(store)
    review(lp, 5, 1, verified=True, reply="Enjoy!")
    review(lp, 4, 2, title="Good", author_name="Somchai Jaidee")

    html = client.get(widget_path(store)).content.decode()

    assert '<div class="summary__avg">4.5</div>' in html
    assert "Based on 2 reviews" in html
    assert 'style="width: 90.0%"' in html  # the average's stars, filled to 4.5 of 5
    bars = re.findall(
        r'aria-label="(\d) out of 5 stars">\d ★</span>.*?<span class="n">(\d+)<', html
    )
    assert bars == [("5", "1"), ("4", "1"), ("3", "0"), ("2", "0"), ("1", "0")]
    assert _titles(html) == ["Good", "Review 1"]
    assert html.count("✓ Verified buyer") == 1
    assert "Somchai J." in html
    assert "Reply from Vinyl Corner" in html
    assert "Enjoy!" in html
    assert '<time datetime="2026-03-01T13:30:00Z">2026-03-01</time>' in html
    assert 'aria-label="4 out of 5 stars">★★★★☆</span>' in html


def test_dates_are_the_stores_calendar_day(client, store):
    # 03:30 UTC on 2 March is still 1 March in New York, the store's time zone.
    from datetime import UTC, datetime

    review(product(store), 5, 1, written_at=datetime(2026, 3, 2, 3, 30, tzinfo=UTC))

    html = client.get(widget_path(store)).content.decode()

    assert '<time datetime="2026-03-02T03:30:00Z">2026-03-01</time>' in html


def test_the_widget_pages_by_links_that_work_without_javascript(client, store):
    many_reviews(product(store), 25)

    first = client.get(widget_path(store)).content.decode()
    older = re.search(r'<a href="(\?[^"]+)" rel="next">', first).group(1)
    second = client.get(widget_path(store) + older.replace("&amp;", "&")).content.decode()
    last = client.get(widget_path(store), {"page": 3}).content.decode()

    assert older == "?page=2&amp;lang=en"
    assert 'rel="prev"' not in first
    assert "Page 1 of 3" in first
    assert _titles(first) == [f"Review {i}" for i in range(24, 14, -1)]
    assert _titles(second) == [f"Review {i}" for i in range(14, 4, -1)]
    assert '<a href="?page=1&amp;lang=en" rel="prev">' in second
    assert '<a href="?page=3&amp;lang=en" rel="next">' in second
    assert _titles(last) == [f"Review {i}" for i in range(4, -1, -1)]
    assert 'rel="next"' not in last


def test_a_page_past_the_last_shows_the_last(client, store):
    many_reviews(product(store), 12)

    html = client.get(widget_path(store), {"page": 9}).content.decode()

    assert _titles(html) == ["Review 1", "Review 0"]
    assert "Page 2 of 2" in html


def test_the_json_ld_of_a_widget_page_describes_the_reviews_it_shows(client, store):
    many_reviews(product(store), 25)

    html = client.get(widget_path(store), {"page": 3}).content.decode()

    assert '"reviewCount":25' in html
    assert '"name":"Review 4"' in html
    assert '"name":"Review 24"' not in html


def test_the_widget_speaks_the_stores_language_or_the_one_asked(client, store, other_store):
    review(product(other_store), 4, 1)
    review(product(store), 4, 1)

    thai_store = client.get(widget_path(other_store)).content.decode()
    asked = client.get(widget_path(store), {"lang": "hy"})
    unknown = client.get(widget_path(store), {"lang": "xx"}).content.decode()

    assert '<html lang="th"' in thai_store
    assert "รีวิวจากลูกค้า" in thai_store
    assert "จาก 1 รีวิว" in thai_store
    assert asked["Content-Language"] == "hy"
    assert "Հաճախորդների կարծիքներ" in asked.content.decode()
    assert "Customer reviews" in unknown


def test_a_product_without_reviews_says_so(client, store):
    product(store)

    html = client.get(widget_path(store)).content.decode()

    assert "No reviews yet." in html
    assert "aggregateRating" not in html


def test_an_unknown_product_is_a_framable_404(client, store):
    product(store)

    response = client.get(f"/f/w/{store.public_id}/nope/")

    assert response.status_code == 404
    assert "Nothing to show here." in response.content.decode()
    assert "X-Frame-Options" not in response


def test_bad_paging_is_a_400(client, store):
    many_reviews(product(store), 3)

    response = client.get(widget_path(store), {"page": "x"})

    assert response.status_code == 400
    assert "page must be a whole number" in response.content.decode()


def test_photos_are_shown_in_order(client, store, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shot = review(product(store), 5, 1)
    photos = [
        ReviewPhoto.objects.create(
            store=store,
            review=shot,
            image=ContentFile(b"not read here", name=f"p{n}.jpg"),
            content_type="image/jpeg",
            size=13,
        )
        for n in (1, 2)
    ]

    html = client.get(widget_path(store)).content.decode()
    data = client.get(reviews_path(store)).json()

    urls = [photo_url(photo) for photo in photos]
    assert re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html) == [
        (urls[0], "Photo 1 of the review"),
        (urls[1], "Photo 2 of the review"),
    ]
    assert data["reviews"][0]["photos"] == urls
