"""Read-only: a store's published reviews as shoppers see them (the JSON, the widget, the
JSON-LD, the testimonials), and the cache that keeps them cheap.

Nothing here writes. A product's figures come from its ProductRating row (kept exact by
services/reviews.py); the reviews are never counted per request. Every cached answer is keyed
by a version read from that row with the product, in the one query a request makes before the
cache: every change a shopper can see (a review published, hidden or rejected, a merchant's
reply set, edited or removed) saves that row in the same transaction, which moves its
`updated_at` even when the figures stay, so every web process sees the new version at its next
request, with no cross-process invalidation. Only a change made behind the services' back
waits for the cached answer to expire (`REGULARS_REVIEWS_CACHE_SECONDS`).

The requests are many and the same (a store's product pages), so the hot path is plain: the
product look-up is one prepared SQL statement, and reviews are read as rows into small frozen
records, not model instances.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Q, Sum
from django.urls import reverse

from regulars.commerce.models import Customer, Product
from regulars.core.models import Store
from regulars.core.timeutil import zoneinfo_or_utc
from regulars.feedback.models import ProductRating, Review, ReviewPhoto, ReviewStatus
from regulars.feedback.services.photos import photo_url
from regulars.feedback.services.timefmt import iso_utc

MAX_PER_PAGE = 50
MAX_TESTIMONIALS = 50
# Reviews in a product's JSON-LD: enough for search engines, small enough for a page's head.
JSONLD_REVIEWS = 10
# How far back testimonials are picked from: the store's latest good reviews, best first.
TESTIMONIAL_CANDIDATES = 100
CACHE_SECONDS = 60

# Inside a <script> element "</script>" or "<!--" would end or change it; JSON allows the
# same characters written as escapes, so the text round-trips exactly.
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class PublicStore:
    id: int
    public_id: str
    name: str
    language: str
    timezone: str


@dataclass(frozen=True)
class PublicProduct:
    """A product as its public pages show it, with its published figures."""

    store: PublicStore
    id: int
    external_id: str
    title: str
    url: str
    image_url: str
    sku: str
    count: int
    total: int
    distribution: dict[int, int]
    version: str

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    def pages(self, per_page: int) -> int:
        return math.ceil(self.count / per_page)


@dataclass(frozen=True)
class ReviewedProduct:
    external_id: str
    title: str
    url: str


@dataclass(frozen=True)
class PublicReview:
    """A published review as the public sees it: no e-mail, the author's name shortened."""

    id: int
    rating: int
    title: str
    body: str
    author: str
    verified: bool
    written_at: datetime
    reply: str
    replied_at: datetime | None
    photos: tuple[str, ...]
    product: ReviewedProduct | None = None


# --- the product ------------------------------------------------------------------------------


def _product_sql() -> str:
    product, store, rating = (m._meta.db_table for m in (Product, Store, ProductRating))
    stars = ", ".join(f"r.stars_{n}" for n in range(1, 6))
    # `NOT (p.external_id = '')` repeats the condition of the partial unique index on
    # (store, external_id), so that SQLite uses it (PostgreSQL proves it by itself).
    return (
        "SELECT p.id, p.external_id, p.title, p.url, p.image_url, p.sku, p.updated_at,"  # noqa: S608
        " s.id, s.public_id, s.name, s.default_language, s.timezone,"
        f" r.count, r.total, {stars}, r.updated_at"
        f" FROM {store} s JOIN {product} p ON p.store_id = s.id"
        f" LEFT JOIN {rating} r ON r.product_id = p.id"
        " WHERE s.public_id = %s AND p.external_id = %s AND NOT (p.external_id = '')"
    )


_PRODUCT_SQL = _product_sql()


def find_product(store_public_id: str, external_id: str) -> PublicProduct | None:
    """The product `external_id` of the store `store_public_id` with its figures, in one query;
    None if either is unknown (a product of another store is unknown here)."""
    if not external_id:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_PRODUCT_SQL, [store_public_id, external_id])
        row = cursor.fetchone()
    if row is None:
        return None
    (pid, ext, title, url, image, sku, product_changed, sid, public_id, name, language, zone) = row[
        :12
    ]
    figures = [value or 0 for value in row[12:19]]
    count, total, stars = figures[0], figures[1], figures[2:]
    # Anything that changes what the answers show changes the version, and so the cache keys.
    version = f"{figures}{row[19]}{product_changed}"
    return PublicProduct(
        store=PublicStore(sid, public_id, name, language, zone),
        id=pid,
        external_id=ext,
        title=title,
        url=url,
        image_url=image,
        sku=sku,
        count=count,
        total=total,
        distribution=dict(zip(range(1, 6), stars, strict=True)),
        version=hashlib.blake2b(version.encode(), digest_size=8).hexdigest(),
    )


def find_store(store_public_id: str) -> PublicStore | None:
    row = (
        Store.objects.filter(public_id=store_public_id)
        .values_list("id", "public_id", "name", "default_language", "timezone")
        .first()
    )
    return PublicStore(*row) if row else None


# --- reviews ----------------------------------------------------------------------------------

_FIELDS = (
    "id",
    "rating",
    "title",
    "body",
    "author_name",
    "customer__first_name",
    "customer__last_name",
    "verified",
    "written_at",
    "reply",
    "replied_at",
)
_PRODUCT_FIELDS = ("product__external_id", "product__title", "product__url")


def _published() -> Q:
    return Q(status=ReviewStatus.PUBLISHED)


def author_label(name: str, first_name: str = "", last_name: str = "") -> str:
    """The first name and the initial of the last: "Ana S." (never the e-mail). Without a name
    on the review, the customer's."""
    parts = (name.strip() or f"{first_name or ''} {last_name or ''}").split()
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."


def _aware(moment):
    # Read by plain SQL, SQLite's datetimes come back naive; they are stored in UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _photo_urls(review_ids: list[int]) -> dict[int, list[str]]:
    if not review_ids:
        return {}
    table = ReviewPhoto._meta.db_table
    marks = ", ".join(["%s"] * len(review_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT review_id, id FROM {table} WHERE review_id IN ({marks}) ORDER BY id",  # noqa: S608
            review_ids,
        )
        found = cursor.fetchall()
    urls: dict[int, list[str]] = {}
    for review_id, photo_id in found:
        urls.setdefault(review_id, []).append(photo_url(ReviewPhoto(pk=photo_id)))
    return urls


def _reviews(rows) -> list[PublicReview]:
    """Rows of _FIELDS (and _PRODUCT_FIELDS) as PublicReviews, with their photos."""
    photos = _photo_urls([row[0] for row in rows])
    reviews = []
    for row in rows:
        (pk, rating, title, body, name, first, last, verified, written, reply, replied) = row[:11]
        reviews.append(
            PublicReview(
                id=pk,
                rating=rating,
                title=title,
                body=body,
                author=author_label(name, first, last),
                verified=bool(verified),
                written_at=_aware(written),
                reply=reply,
                replied_at=_aware(replied),
                photos=tuple(photos.get(pk, ())),
                product=ReviewedProduct(*row[11:14]) if len(row) > 11 else None,
            )
        )
    return reviews


def _page_sql() -> str:
    review, customer = Review._meta.db_table, Customer._meta.db_table
    return (
        "SELECT r.id, r.rating, r.title, r.body, r.author_name, c.first_name, c.last_name,"  # noqa: S608
        " r.verified, r.written_at, r.reply, r.replied_at"
        f" FROM {review} r LEFT JOIN {customer} c ON c.id = r.customer_id"
        f" WHERE r.id IN (SELECT id FROM {review} WHERE product_id = %s AND status = %s"
        " ORDER BY published_at DESC, id LIMIT %s OFFSET %s)"
        " ORDER BY r.published_at DESC, r.id"
    )


_PAGE_SQL = _page_sql()


def product_reviews(product: PublicProduct, page: int, per_page: int) -> list[PublicReview]:
    """One page of the product's published reviews, newest first.

    The page's ids are picked in the (product, status, -published_at) index alone (it covers
    that subquery: the id is in every index entry, and reviews published at the same instant
    come in id order, the index's own), so a deep page skips index entries rather than rows;
    only the page's own rows are then read, in the same statement, by primary key. (Repeating
    the store or the status outside the subquery would make SQLite walk the store's reviews by
    another index; the product was found in its store by find_product.)
    """
    if page < 1 or page > product.pages(per_page):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _PAGE_SQL, [product.id, ReviewStatus.PUBLISHED.value, per_page, (page - 1) * per_page]
        )
        rows = cursor.fetchall()
    return _reviews(rows)


def testimonials(store: PublicStore, limit: int) -> list[PublicReview]:
    """The store's best recent published reviews with text: of its latest good (4 and 5 star)
    ones, five stars first, then verified buyers, then the newest."""
    rows = list(
        Review.objects.filter(_published(), store_id=store.id, rating__gte=4)
        .exclude(body="")
        .order_by("-published_at", "-id")
        .values_list(*_FIELDS, *_PRODUCT_FIELDS)[:TESTIMONIAL_CANDIDATES]
    )
    # Newest first already: a stable sort keeps that order among equals.
    rows.sort(key=lambda row: (row[1], row[7]), reverse=True)
    return _reviews(rows[:limit])


def testimonials_version(store: PublicStore) -> str:
    """Changes whenever a review of the store is published, hidden or rejected."""
    figures = ProductRating.objects.filter(store_id=store.id).aggregate(
        count=Sum("count"), total=Sum("total"), latest=Max("updated_at")
    )
    version = f"{figures['count']}-{figures['total']}-{figures['latest']}"
    return hashlib.blake2b(version.encode(), digest_size=8).hexdigest()


# --- JSON -------------------------------------------------------------------------------------


def review_data(review: PublicReview) -> dict:
    data = {
        "id": review.id,
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "author": review.author,
        "verified": review.verified,
        "written_at": iso_utc(review.written_at),
        "reply": {"body": review.reply, "at": iso_utc(review.replied_at)} if review.reply else None,
        "photos": list(review.photos),
    }
    if review.product is not None:
        data["product"] = {
            "id": review.product.external_id,
            "title": review.product.title,
            "url": review.product.url,
        }
    return data


def rating_data(product: PublicProduct) -> dict:
    return {
        "average": product.average,
        "count": product.count,
        "distribution": {str(stars): n for stars, n in product.distribution.items()},
    }


def product_data(product: PublicProduct) -> dict:
    return {
        "id": product.external_id,
        "title": product.title,
        "url": product.url,
        "image": product.image_url,
    }


def reviews_url(product: PublicProduct, page: int, per_page: int) -> str:
    path = reverse("feedback:public-reviews", args=[product.store.public_id, product.external_id])
    return f"{settings.BASE_URL}{path}?page={page}&per_page={per_page}"


def reviews_document(product: PublicProduct, page: int, per_page: int) -> dict:
    """The JSON answer for one page of a product's reviews."""
    pages = product.pages(per_page)
    return {
        "product": product_data(product),
        "rating": rating_data(product),
        "reviews": [review_data(r) for r in product_reviews(product, page, per_page)],
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "next": reviews_url(product, page + 1, per_page) if page < pages else None,
    }


# --- JSON-LD ----------------------------------------------------------------------------------


def _ld_review(review: PublicReview, timezone: str) -> dict:
    data = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.author or "Anonymous"},
        "datePublished": review.written_at.astimezone(zoneinfo_or_utc(timezone)).date().isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 5,
            "worstRating": 1,
        },
    }
    if review.title:
        data["name"] = review.title
    if review.body:
        data["reviewBody"] = review.body
    return data


def product_jsonld(product: PublicProduct, reviews: list[PublicReview]) -> dict:
    """Schema.org Product with its AggregateRating and a few Reviews (search engines' stars)."""
    data: dict = {"@context": "https://schema.org", "@type": "Product", "name": product.title}
    if product.sku:
        data["sku"] = product.sku
    if product.url:
        data["url"] = product.url
    if product.image_url:
        data["image"] = product.image_url
    if product.count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": product.average,
            "reviewCount": product.count,
            "bestRating": 5,
            "worstRating": 1,
        }
        data["review"] = [_ld_review(r, product.store.timezone) for r in reviews[:JSONLD_REVIEWS]]
    return data


def script_safe_json(data: dict) -> str:
    """JSON that can stand inside a <script> element: <, > and & written as \\u escapes."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


# --- cache ------------------------------------------------------------------------------------


def cache_seconds() -> int:
    return getattr(settings, "REGULARS_REVIEWS_CACHE_SECONDS", CACHE_SECONDS)


def cached(key: str, build):
    """`build()` once per key (which holds the version) for cache_seconds()."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, cache_seconds())
    return value
