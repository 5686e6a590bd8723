"""Reviews: submission (from the signed review link or the API), moderation, the merchant's
public reply, and each product's published figures (ProductRating).

One review per order and product. Submitting again through the same link edits the review
while it waits for moderation; once a moderator (or the automatic checks) has decided, a new
submission for that product is refused with a clear message: the customer reviewed it already.
That is Judge.me's rule too: a customer reviews each product of an order once, and the stars of
a published review are not changed behind the moderator's back.

A review is marked verified when its customer has an order with a line of that product and a
delivered fulfillment of that order. Nothing the caller says makes it so: a review created
through the API for a customer who did not buy the product is not verified either.

ProductRating is recomputed from the published reviews with one GROUP BY in the same
transaction as every change that can move it, with the product's row locked first, so two
moderators at once cannot leave it counting a review twice or not at all.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from regulars.commerce.models import (
    Customer,
    FulfillmentStatus,
    Order,
    OrderLine,
    Product,
)
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.models import Store
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.feedback import events
from regulars.feedback.links import BadLink, ReviewToken
from regulars.feedback.models import (
    FeedbackSettings,
    ProductRating,
    Review,
    ReviewSource,
    ReviewStatus,
)
from regulars.feedback.services import moderation
from regulars.feedback.services.photos import check_photos, delete_files, do_store_photos
from regulars.feedback.services.settings import settings_of
from regulars.messaging.services.preferences import customer_language

MAX_TITLE = 200  # Review.title
MAX_BODY = 5_000
MAX_REPLY = 5_000
MAX_REASON = 300  # Review.moderation_reason


class ReviewErrorCode(StrEnum):
    ALREADY_REVIEWED = "already_reviewed"


# What each moderation action makes of a review.
ACTIONS = {
    "approve": ReviewStatus.PUBLISHED,
    "reject": ReviewStatus.REJECTED,
    "hide": ReviewStatus.HIDDEN,
}


# --- reading ----------------------------------------------------------------------------------


def access_review(store: Store, review_id) -> Review:
    """The store's review by id; not found for another store's review or a bad id."""
    try:
        pk = int(review_id)
    except (TypeError, ValueError):
        pk = None
    review = (
        Review.objects.select_related("product", "customer").filter(store=store, pk=pk).first()
        if pk is not None
        else None
    )
    if review is None:
        raise RegularsError(
            "No such review in this store.", code=CoreErrorCode.NOT_FOUND, field="id"
        )
    return review


def access_linked_order(link: ReviewToken) -> Order:
    """The order a review link was signed for, still of that store and that customer."""
    order = (
        Order.objects.select_related("store", "customer")
        .filter(pk=link.order_id, store_id=link.store_id, customer_id=link.customer_id)
        .first()
    )
    if order is None:
        raise BadLink()
    return order


@dataclass
class ReviewItem:
    """One product of an order on the review page, with the customer's review of it if any."""

    product: Product
    review: Review | None

    @property
    def editable(self) -> bool:
        return self.review is None or self.review.status == ReviewStatus.PENDING


def order_review_items(order: Order) -> list[ReviewItem]:
    """The order's products in the order of its lines, each once, with their reviews."""
    products: dict[int, Product] = {}
    lines = OrderLine.objects.filter(order=order, product__isnull=False).select_related("product")
    for line in lines.order_by("pk"):
        products.setdefault(line.product_id, line.product)
    reviews = {
        review.product_id: review
        for review in Review.objects.filter(
            order=order, product_id__in=list(products)
        ).prefetch_related("photos")
    }
    return [ReviewItem(product, reviews.get(pk)) for pk, product in products.items()]


def verified_line(store_id: int, customer_id: int | None, product_id: int) -> OrderLine | None:
    """A line of this product in one of the customer's orders that was delivered, if any."""
    if customer_id is None:
        return None
    return (
        OrderLine.objects.filter(
            store_id=store_id,
            product_id=product_id,
            order__customer_id=customer_id,
            order__fulfillments__status=FulfillmentStatus.DELIVERED,
        )
        .order_by("pk")
        .first()
    )


# --- checking ---------------------------------------------------------------------------------


def check_rating(value) -> int:
    try:
        rating = int(str(value).strip()) if value is not None and str(value).strip() else None
    except ValueError:
        rating = None
    if rating is None:
        raise RegularsError(
            "Choose a rating from 1 to 5 stars.", code=CoreErrorCode.REQUIRED, field="rating"
        )
    if not 1 <= rating <= 5:
        raise RegularsError(f"{rating} is not a rating from 1 to 5 stars.", field="rating")
    return rating


def check_text(value, *, field: str, limit: int) -> str:
    text = (value or "").strip().replace("\r\n", "\n")
    if "\x00" in text:
        raise RegularsError("contains a NUL character", field=field)
    if len(text) > limit:
        raise RegularsError(f"is {len(text):,} characters long; at most {limit:,} fit", field=field)
    return text


def _check_parties(store, customer, order, product, source) -> None:
    if product.store_id != store.pk:
        raise RegularsError(
            "No such product in this store.", code=CoreErrorCode.NOT_FOUND, field="product"
        )
    if customer is not None and customer.store_id != store.pk:
        raise RegularsError(
            "No such customer in this store.", code=CoreErrorCode.NOT_FOUND, field="customer"
        )
    if order is None:
        if source == ReviewSource.REQUEST:
            raise RegularsError("A review request needs its order.", field="order")
        return
    if order.store_id != store.pk or customer is None or order.customer_id != customer.pk:
        raise RegularsError(
            "No such order of this customer.", code=CoreErrorCode.NOT_FOUND, field="order"
        )
    if not OrderLine.objects.filter(order=order, product=product).exists():
        raise RegularsError(f"{product.title} is not in order {order}.", field="product")


# --- writing ----------------------------------------------------------------------------------


def do_submit_review(
    store: Store,
    customer: Customer | None,
    order: Order | None,
    product: Product,
    rating,
    title: str,
    body: str,
    photos=(),
    now: datetime | None = None,
    source: str = ReviewSource.REQUEST,
    *,
    ip: str = "",
    language: str = "",
    external_id: str = "",
) -> Review:
    """Write a customer's review of a product (or edit it while it waits for moderation).

    Checks the input (RegularsError naming the field), the photos (before anything is stored),
    whether the customer bought and received the product (verified), and the spam and
    profanity rules; publishes at once when the rating reaches the store's auto-publish rating
    and nothing was found, else leaves it pending with the reason. Emits review_posted for a
    new review, and review_published when it is published. The review's `created_now` tells
    whether this call created it (False: an edit).
    """
    now = now or timezone.now()
    source = ReviewSource(source)
    rating = check_rating(rating)
    title = check_text(title, field="title", limit=MAX_TITLE)
    body = check_text(body, field="body", limit=MAX_BODY)
    external_id = check_text(external_id, field="external_id", limit=64)
    _check_parties(store, customer, order, product, source)
    existing = _existing_review(store, order, product, external_id)
    if existing is not None:
        _check_editable(existing, customer, product)
    checked = check_photos(photos, already=existing.photos.count() if existing else 0)
    customer_id = customer.pk if customer else None
    stored = []
    try:
        with transaction.atomic():
            lock_products([product.pk])
            existing = _existing_review(store, order, product, external_id, lock=True)
            if existing is not None:
                _check_editable(existing, customer, product)
                review = existing
            else:
                review = Review(
                    store=store,
                    product=product,
                    customer=customer,
                    order=order,
                    source=source,
                    external_id=external_id,
                    written_at=now,
                )
            review.rating, review.title, review.body = rating, title, body
            _fill_author(review, customer, language)
            line = verified_line(store.pk, customer_id, product.pk)
            review.verified, review.order_line = line is not None, line
            _moderate(review, settings_of(store), ip=ip, now=now)
            review.save()
            stored = do_store_photos(review, checked)
            refresh_product_rating(store.pk, product.pk)
            if existing is None and source != ReviewSource.IMPORT:
                events.review_posted(
                    store_id=store.pk, review_id=review.pk, customer_id=customer_id
                )
            if review.status == ReviewStatus.PUBLISHED:
                events.review_published(store_id=store.pk, review_id=review.pk)
    except BaseException:
        delete_files(stored)  # the rows were rolled back: their files go too
        raise
    # Decided under the product lock: of two identical requests at once, one creates.
    review.created_now = existing is None
    return review


def _fill_author(review: Review, customer: Customer | None, language: str) -> None:
    if customer is not None:
        name = f"{customer.first_name} {customer.last_name}".strip()[:120]
        review.author_name = name or review.author_name
        review.author_email = customer.email or review.author_email
    review.language = language or review.language or _customer_language(customer)


def _moderate(review: Review, settings: FeedbackSettings, *, ip: str, now: datetime) -> None:
    """Run the automatic checks on the review's text and decide its status."""
    findings = moderation.review_findings(
        store_id=review.store_id,
        title=review.title,
        body=review.body,
        customer_id=review.customer_id,
        order_id=review.order_id,
        ip=ip,
        blocked_words=settings.blocked_words,
        now=now,
        exclude_review_id=review.pk,
    )
    review.flags = sorted({finding.flag for finding in findings})
    review.status, review.moderation_reason = moderation_decision(
        review.rating, findings, settings.auto_publish_min_rating
    )
    if review.status == ReviewStatus.PUBLISHED:
        review.published_at = review.published_at or now


def _existing_review(store, order, product, external_id, *, lock=False) -> Review | None:
    if order is not None:
        reviews = Review.objects.filter(order=order, product=product)
    elif external_id:
        reviews = Review.objects.filter(store=store, external_id=external_id)
    else:
        return None
    if lock:
        reviews = reviews.select_for_update()
    return reviews.first()


def _check_editable(review: Review, customer, product) -> None:
    if review.product_id != product.pk or review.customer_id != (customer.pk if customer else None):
        raise RegularsError(
            "This review belongs to another customer or product.", field="external_id"
        )
    if review.status == ReviewStatus.PENDING:
        return
    state = "is published" if review.status == ReviewStatus.PUBLISHED else "was not published"
    raise RegularsError(
        f"You have already reviewed {product.title}; your review {state} and can no longer"
        " be changed.",
        code=ReviewErrorCode.ALREADY_REVIEWED,
        field="product",
    )


def moderation_decision(rating: int, findings, min_rating: int) -> tuple[str, str]:
    if findings:
        return ReviewStatus.PENDING, moderation.reason_text(findings, MAX_REASON)
    if min_rating <= 0:
        return ReviewStatus.PENDING, "auto-publish is off: every review waits for a moderator"
    if rating < min_rating:
        return (
            ReviewStatus.PENDING,
            f"{rating} star{'s' if rating != 1 else ''}, below the auto-publish rating"
            f" ({min_rating})",
        )
    return ReviewStatus.PUBLISHED, ""


def _customer_language(customer: Customer | None) -> str:
    return customer_language(customer) if customer is not None else ""


def do_moderate_review(review: Review, action: str, reason: str, user, *, now=None) -> Review:
    """Approve (publish), reject or hide a review; a reason is required to reject or hide.
    Emits review_published when the review becomes published. `user` None: the API acting for
    the store; else staff who may act for customers (SUPPORT)."""
    _check_staff(review, user)
    target = ACTIONS.get(action)
    if target is None:
        raise RegularsError(
            f"{action!r} is not a moderation action (approve, reject or hide).", field="action"
        )
    reason = check_text(reason, field="reason", limit=MAX_REASON)
    if target != ReviewStatus.PUBLISHED and not reason:
        raise RegularsError(
            f"Give the reason to {action} this review.", code=CoreErrorCode.REQUIRED, field="reason"
        )
    now = now or timezone.now()
    with transaction.atomic():
        lock_products([review.product_id])
        fresh = Review.objects.select_for_update().get(pk=review.pk)
        was_published = fresh.status == ReviewStatus.PUBLISHED
        fresh.status = target
        fresh.moderation_reason = reason
        fresh.moderated_by = user
        if target == ReviewStatus.PUBLISHED and fresh.published_at is None:
            fresh.published_at = now
        fresh.save(
            update_fields=[
                "status",
                "moderation_reason",
                "moderated_by",
                "published_at",
                "updated_at",
            ]
        )
        refresh_product_rating(fresh.store_id, fresh.product_id)
        if target == ReviewStatus.PUBLISHED and not was_published:
            events.review_published(store_id=fresh.store_id, review_id=fresh.pk)
    _copy(fresh, review)
    return review


def do_reply_to_review(review: Review, body: str, user, *, now=None) -> Review:
    """The merchant's public reply under a review: set, edited, or removed when empty.
    `replied_at` stays the time of the first reply, for the inbox's time to first reply.
    `user` as for do_moderate_review."""
    _check_staff(review, user)
    body = check_text(body, field="body", limit=MAX_REPLY)
    now = now or timezone.now()
    with transaction.atomic():
        lock_products([review.product_id])
        fresh = Review.objects.select_for_update().get(pk=review.pk)
        if body:
            if not fresh.reply:
                fresh.replied_at = now
            fresh.reply = body
            fresh.replied_by = user
        else:
            fresh.reply, fresh.replied_at, fresh.replied_by = "", None, None
        fresh.save(update_fields=["reply", "replied_at", "replied_by", "updated_at"])
        # The figures do not move, but their row's updated_at is the version the public
        # widget's cache goes by, and the reply shows there.
        refresh_product_rating(fresh.store_id, fresh.product_id)
    _copy(fresh, review)
    return review


def _check_staff(review: Review, user) -> None:
    if user is not None:
        check_permission(review.store, user, Permission.SUPPORT)


def refresh_product_rating(store_id: int, product_id: int) -> ProductRating:
    """Recount a product's published reviews into its ProductRating (one GROUP BY). Call it
    inside the transaction that changed a review, after `lock_products`."""
    counts = dict(
        Review.objects.filter(
            store_id=store_id, product_id=product_id, status=ReviewStatus.PUBLISHED
        )
        .order_by()
        .values_list("rating")
        .annotate(n=Count("pk"))
    )
    figures = {f"stars_{stars}": counts.get(stars, 0) for stars in range(1, 6)}
    figures["count"] = sum(counts.values())
    figures["total"] = sum(stars * n for stars, n in counts.items())
    rating, _ = ProductRating.objects.update_or_create(
        product_id=product_id, defaults=figures, create_defaults={"store_id": store_id, **figures}
    )
    return rating


def lock_products(product_ids) -> None:
    """Serialise the changes of a product's reviews (PostgreSQL; SQLite writes one at a time)."""
    list(
        Product.objects.select_for_update()
        .filter(pk__in=sorted(set(product_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _copy(source: Review, target: Review) -> None:
    if source is target:
        return
    for field in Review._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
