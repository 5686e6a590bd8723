"""Reviews for the tests of the public pages (JSON, widget, JSON-LD, testimonials).

Products come through commerce's own upsert; published reviews and the product's ProductRating
are written directly here, the rating by the same GROUP BY the review services keep it with, so
these tests read exactly what the public pages will read.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db.models import Count, Sum

from regulars.commerce.models import Product
from regulars.commerce.schemas import ProductIn
from regulars.commerce.services import upsert_product
from regulars.feedback.models import ProductRating, Review, ReviewStatus
from regulars.feedback.views.public import rate_limit

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

# Text that would run as markup or script if any page forgot to escape it.
NASTY = "</script><script>alert('x')</script><img src=x onerror=alert(1)> & \"q\" <!--"


@pytest.fixture
def fresh_public_state():
    """Every test starts with an empty cache and no counted requests (both live per process)."""
    cache.clear()
    rate_limit.reset()
    yield
    cache.clear()
    rate_limit.reset()


def product(store, external_id: str = "lp-1", **fields) -> Product:
    data = {
        "external_id": external_id,
        "title": "Blue Train LP",
        "sku": "BT-1",
        "url": f"https://shop.example/products/{external_id}",
        "image_url": f"https://shop.example/img/{external_id}.jpg",
        **fields,
    }
    return upsert_product(store, ProductIn(**data), source="api").obj


def review(product: Product, rating: int = 5, n: int = 0, **fields) -> Review:
    """A review of `product`, published `n` hours after T0 unless said otherwise."""
    moment = T0 + timedelta(hours=n)
    status = fields.pop("status", ReviewStatus.PUBLISHED)
    data = {
        "store": product.store,
        "product": product,
        "rating": rating,
        "title": f"Review {n}",
        "body": f"Body of review {n}.",
        "author_name": "Ana Silva",
        "author_email": "ana@example.com",
        "status": status,
        "written_at": moment - timedelta(minutes=30),
        "published_at": moment if status == ReviewStatus.PUBLISHED else None,
        **fields,
    }
    created = Review.objects.create(**data)
    refresh_rating(product)
    return created


def refresh_rating(product: Product) -> ProductRating:
    """The product's published figures, recomputed in one GROUP BY (as services/reviews.py)."""
    rows = (
        Review.objects.filter(product=product, status=ReviewStatus.PUBLISHED)
        .values("rating")
        .annotate(n=Count("id"), total=Sum("rating"))
    )
    by_stars = {row["rating"]: row["n"] for row in rows}
    rating, _ = ProductRating.objects.update_or_create(
        product=product,
        defaults={
            "store": product.store,
            "count": sum(by_stars.values()),
            "total": sum(stars * n for stars, n in by_stars.items()),
            **{f"stars_{stars}": by_stars.get(stars, 0) for stars in range(1, 6)},
        },
    )
    return rating


def many_reviews(product: Product, count: int, start: datetime = T0) -> None:
    """`count` published reviews, one a minute from `start`, ratings cycling 5, 4, 3, 2, 1."""
    Review.objects.bulk_create(
        Review(
            store=product.store,
            product=product,
            rating=5 - i % 5,
            title=f"Review {i}",
            body=f"Body {i}",
            author_name=f"Customer{i} Family",
            status=ReviewStatus.PUBLISHED,
            written_at=start + timedelta(minutes=i),
            published_at=start + timedelta(minutes=i),
        )
        for i in range(count)
    )
    refresh_rating(product)


def reviews_path(store, external_id: str = "lp-1") -> str:
    return f"/f/api/{store.public_id}/products/{external_id}/reviews"


def widget_path(store, external_id: str = "lp-1") -> str:
    return f"/f/w/{store.public_id}/{external_id}/"
