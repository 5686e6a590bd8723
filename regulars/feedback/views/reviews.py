"""The review page behind the signed link of a review request, and the review photos.

/f/r/<token>/ lists the products of the order the link was signed for, each with its own form
(stars as radio buttons, title, text, photos): no JavaScript, CSRF on POST, in the customer's
language. The token is the only authentication: it names the store, the order and the customer,
and a token that was altered, or whose order is not that customer's, gets the same bare 404.
Rate-limited per IP address (every request) and per link (submissions).

/f/photos/<id>/ streams a review photo: the stored copy's own type (checked with Pillow when it
was uploaded), nosniff, no active content. The site has no MEDIA_URL: this is the only way
review photos are reached. Photos load with the widget, so they share its in-memory limit per
address (views.public.rate_limit), not the database one of the pages above.
"""

from functools import wraps

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from regulars.core.errors import CoreErrorCode, RateLimited, RegularsError
from regulars.core.ratelimit import hit
from regulars.feedback.links import BadLink, read_review_token
from regulars.feedback.models import ReviewSource, ReviewStatus
from regulars.feedback.services import photos as photo_service
from regulars.feedback.services.photos import PhotoRefused
from regulars.feedback.services.reviews import (
    MAX_BODY,
    MAX_TITLE,
    ReviewErrorCode,
    access_linked_order,
    do_submit_review,
    order_review_items,
)
from regulars.feedback.views import public as public_views
from regulars.feedback.views.review_texts import texts
from regulars.messaging.services.preferences import customer_language

# Requests per minute from one IP address (the same setting as messaging's link pages).
PUBLIC_PAGE_RATE_LIMIT = 120
# Review submissions per minute through one link (setting REGULARS_REVIEW_SUBMISSIONS_PER_LINK).
SUBMISSIONS_PER_LINK = 20


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _rate_limited_page(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limit = getattr(settings, "REGULARS_PUBLIC_PAGE_RATE_LIMIT", PUBLIC_PAGE_RATE_LIMIT)
        try:
            hit(f"feedback:review-page:{_client_address(request)}", limit=limit)
        except RateLimited as exc:
            return _rate_limited(request, exc.retry_after)
        return view(request, *args, **kwargs)

    return wrapped


def _message(request, *, status: int, heading: str, text: str) -> HttpResponse:
    with translation.override("en"):
        response = render(
            request,
            "feedback/review_message.html",
            {"heading": heading, "text": text},
            status=status,
        )
    response["X-Robots-Tag"] = "noindex"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        status=404,
        heading="This link is not valid",
        text="Please use the link from your e-mail or text message as it was sent.",
    )


def _rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = _message(
        request,
        status=429,
        heading="Too many requests",
        text=f"Too many requests; try again in {retry_after} s.",
    )
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_rate_limited_page
def review(request: HttpRequest, token: str) -> HttpResponse:
    try:
        order = access_linked_order(read_review_token(token))
    except BadLink:
        return _not_found(request)
    language = customer_language(order.customer)
    words = texts(language)
    items = order_review_items(order)
    posted, errors = None, {}  # the product whose form came back with problems, and those
    if request.method == "POST":
        try:
            limit = getattr(settings, "REGULARS_REVIEW_SUBMISSIONS_PER_LINK", SUBMISSIONS_PER_LINK)
            hit(f"feedback:review-submit:{token[-40:]}", limit=limit)
        except RateLimited as exc:
            return _rate_limited(request, exc.retry_after)
        posted = _posted_item(items, request.POST.get("product"))
        if posted is None:
            errors["product"] = words["unknown_product"]
        else:
            try:
                saved = _submit(request, order, posted.product, language)
            except RegularsError as exc:
                errors[exc.field or "product"] = _customer_message(exc, words)
            else:
                url = reverse("feedback:review", args=[token])
                query = f"?saved={saved.product_id}#product-{saved.product_id}"
                return HttpResponseRedirect(url + query, status=303)
    saved_id = _int(request.GET.get("saved"))
    forms = [_form(item, words, posted, errors, request.POST, saved_id) for item in items]
    context = {
        "store": order.store,
        "order": order,
        "t": words,
        "heading": words["heading"].format(order=order.name or order.external_id),
        "forms": forms,
        "problem": bool(errors),
        "product_error": errors.get("product") if posted is None else "",
        "stars": [
            {"value": str(n), "glyphs": "★" * n, "label": words["star_label"].format(n=n)}
            for n in range(1, 6)
        ],
        "max_title": MAX_TITLE,
        "max_body": MAX_BODY,
        "photos_hint": words["photos"].format(
            max=photo_service.MAX_PHOTOS, size=photo_service.megabytes(photo_service.max_bytes())
        ),
    }
    with translation.override(language):
        response = render(request, "feedback/review.html", context, status=400 if errors else 200)
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response


def _submit(request: HttpRequest, order, product, language: str):
    with translation.override(language):
        return do_submit_review(
            order.store,
            order.customer,
            order,
            product,
            request.POST.get("rating"),
            request.POST.get("title", ""),
            request.POST.get("body", ""),
            photos=request.FILES.getlist("photos"),
            source=ReviewSource.REQUEST,
            ip=_client_address(request),
            language=language,
        )


def _posted_item(items, product_id):
    wanted = _int(product_id)
    return next((item for item in items if item.product.pk == wanted), None)


def _form(item, words, posted, errors, data, saved_id) -> dict:
    """What one product's part of the page shows: the form (filled with what was sent, or the
    pending review) or the note that it was reviewed."""
    review = item.review
    mine = posted is not None and posted.product.pk == item.product.pk
    if mine:
        values = {key: data.get(key, "") for key in ("rating", "title", "body")}
    elif review is not None:
        values = {"rating": str(review.rating), "title": review.title, "body": review.body}
    else:
        values = {"rating": "", "title": "", "body": ""}
    count = len(review.photos.all()) if review is not None else 0
    note = ""
    if review is not None and saved_id == item.product.pk and not mine:
        published = review.status == ReviewStatus.PUBLISHED
        note = words["saved_published"] if published else words["saved_pending"]
    elif review is not None and review.status == ReviewStatus.PENDING:
        note = words["pending_note"]
    elif review is not None and review.status == ReviewStatus.PUBLISHED:
        note = words["published_note"]
    elif review is not None:
        note = words["closed_note"]
    return {
        "product": item.product,
        "review": review,
        "editable": item.editable,
        "values": values,
        "note": note,
        "saved": saved_id == item.product.pk and not mine,
        "errors": errors if mine else {},
        "photos_note": words["your_photos"].format(n=count) if count else "",
        "glyphs": "★" * review.rating if review is not None else "",
        "rating_label": words["star_label"].format(n=review.rating) if review is not None else "",
    }


def _customer_message(exc: RegularsError, words: dict[str, str]) -> str:
    """The service's error in the customer's language."""
    if isinstance(exc, PhotoRefused):
        return exc.describe(words)
    if exc.code == ReviewErrorCode.ALREADY_REVIEWED:
        return words["already"]
    if exc.field == "rating":
        return words["rating_required"]
    if exc.field == "title":
        return words["too_long"].format(limit=MAX_TITLE)
    if exc.field == "body":
        return words["too_long"].format(limit=MAX_BODY)
    if exc.code == CoreErrorCode.NOT_FOUND or exc.field == "product":
        return words["unknown_product"]
    return words["invalid"]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "HEAD"])
def review_photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    limit = getattr(settings, "REGULARS_REVIEWS_PUBLIC_RATE_LIMIT", public_views.PUBLIC_RATE_LIMIT)
    retry_after = public_views.rate_limit.hit(_client_address(request), limit)
    if retry_after is not None:
        response = HttpResponse(status=429, content_type="text/plain")
        response["Retry-After"] = str(retry_after)
        return response
    photo = photo_service.access_served_photo(photo_id, request.user)
    if photo is None:
        return HttpResponse(status=404, content_type="text/plain")
    try:
        handle = photo.image.open("rb")
    except OSError:
        return HttpResponse(status=404, content_type="text/plain")
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # An image and nothing else: were the browser to treat it as a page, it could run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Shown by the store's own pages and the widget, on other origins.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if photo.review.status == ReviewStatus.PUBLISHED:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
