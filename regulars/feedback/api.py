"""The feedback part of the JSON API (/api/v1/reviews, /api/v1/survey-responses,
/api/v1/surveys): list and write reviews (through the same submission, moderation and reply
services as the review page and the inbox), list and record NPS and CSAT answers given
elsewhere, and read the store's surveys and the answers to each."""

from django.utils import timezone
from ninja import Path, Query, Router

from regulars.commerce.api import page_of
from regulars.commerce.models import Order, Product
from regulars.commerce.schemas import ErrorsOut
from regulars.commerce.services import access_customer
from regulars.commerce.services.common import aware
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.feedback.models import Review, ReviewSource
from regulars.feedback.schemas import (
    AnswerFilters,
    AnswerPage,
    ModerationIn,
    ReplyIn,
    ResponseFilters,
    ResponseIn,
    ResponseOut,
    ResponsePage,
    ReviewFilters,
    ReviewIn,
    ReviewOut,
    ReviewPage,
    SurveyList,
)
from regulars.feedback.services.responses import access_responses, do_record_response
from regulars.feedback.services.reviews import (
    access_review,
    do_moderate_review,
    do_reply_to_review,
    do_submit_review,
)
from regulars.feedback.services.survey_results import survey_answers, survey_list
from regulars.feedback.services.surveys import access_survey

router = Router(tags=["feedback"])

_READ_ERRORS = dict.fromkeys((400, 401, 404, 422, 429), ErrorsOut)
_WRITE_ERRORS = dict.fromkeys((400, 401, 403, 404, 413, 422, 429), ErrorsOut)
_ID = Path(..., ge=1, le=2**63 - 1)


def _customer(store, payload):
    if not (payload.customer_id or payload.customer_external_id):
        raise RegularsError(
            "Give customer_id or customer_external_id.",
            code=CoreErrorCode.REQUIRED,
            field="customer_id",
        )
    return access_customer(
        store, customer_id=payload.customer_id, external_id=payload.customer_external_id
    )


def _order(store, external_id: str):
    if not external_id:
        return None
    order = Order.objects.filter(store=store, external_id=external_id).first()
    if order is None:
        raise RegularsError(
            "No such order in this store.",
            code=CoreErrorCode.NOT_FOUND,
            field="order_external_id",
        )
    return order


def _review(store, review_id: int) -> Review:
    review = access_review(store, review_id)
    return (
        Review.objects.select_related("product", "customer", "order")
        .prefetch_related("photos")
        .get(pk=review.pk)
    )


# --- reviews ----------------------------------------------------------------------------------


@router.get(
    "/reviews",
    response={200: ReviewPage, **_READ_ERRORS},
    summary="The store's reviews, newest first",
    description="Every status (`pending`, `published`, `rejected`, `hidden`) unless `status` "
    "is given.",
)
def list_reviews(request, filters: Query[ReviewFilters]):
    reviews = (
        Review.objects.filter(store=request.auth.store)
        .select_related("product", "customer", "order")
        .prefetch_related("photos")
        .order_by("-written_at", "-pk")
    )
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.product_external_id:
        reviews = reviews.filter(product__external_id=filters.product_external_id)
    if filters.rating:
        reviews = reviews.filter(rating=filters.rating)
    if filters.customer_external_id:
        reviews = reviews.filter(customer__external_id=filters.customer_external_id)
    return 200, page_of(reviews, filters)


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewOut, **_READ_ERRORS},
    summary="One review, by Regulars' id",
)
def get_review(request, review_id: int = _ID):
    return 200, _review(request.auth.store, review_id)


@router.post(
    "/reviews",
    response={200: ReviewOut, 201: ReviewOut, **_WRITE_ERRORS},
    summary="Write a customer's review of a product",
    description=(
        "Checked like a review from the review page: marked verified only if the customer "
        "received an order with this product, published at once when the rating reaches the "
        "store's auto-publish rating and no spam or profanity check objects, else left pending "
        "for moderation. The same `external_id` (or the same order and product) again edits "
        "the review while it is pending (200); after moderation it is refused."
    ),
)
def create_review(request, payload: ReviewIn):
    store = request.auth.store
    customer = _customer(store, payload)
    product = Product.objects.filter(store=store, external_id=payload.product_external_id).first()
    if product is None:
        raise RegularsError(
            "No such product in this store.",
            code=CoreErrorCode.NOT_FOUND,
            field="product_external_id",
        )
    order = _order(store, payload.order_external_id)
    try:
        review = do_submit_review(
            store,
            customer,
            order,
            product,
            payload.rating,
            payload.title,
            payload.body,
            (),
            timezone.now(),
            ReviewSource.API,
            language=payload.language,
            external_id=payload.external_id,
        )
    except RegularsError as error:
        # The service names its arguments; the API names the fields the client sent.
        error.field = {"product": "product_external_id", "order": "order_external_id"}.get(
            error.field, error.field
        )
        raise
    return (201 if review.created_now else 200), _review(store, review.pk)


@router.post(
    "/reviews/{review_id}/reply",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Reply to a review in public",
    description="The reply is shown under the review on the store; an empty `body` removes it.",
)
def reply_to_review(request, payload: ReplyIn, review_id: int = _ID):
    store = request.auth.store
    review = access_review(store, review_id)
    do_reply_to_review(review, payload.body, None)
    return 200, _review(store, review.pk)


@router.post(
    "/reviews/{review_id}/moderation",
    response={200: ReviewOut, **_WRITE_ERRORS},
    summary="Approve, reject or hide a review",
    description="`approve` publishes it; `reject` and `hide` need a `reason`.",
)
def moderate_review(request, payload: ModerationIn, review_id: int = _ID):
    store = request.auth.store
    review = access_review(store, review_id)
    do_moderate_review(review, payload.action, payload.reason, None)
    return 200, _review(store, review.pk)


# --- survey responses ---------------------------------------------------------------------------


@router.get(
    "/survey-responses",
    response={200: ResponsePage, **_READ_ERRORS},
    summary="NPS and CSAT answers, newest first",
    description="Answers to Regulars' own surveys (`source` survey), imported ones (import) and "
    "those sent through this API (api).",
)
def list_responses(request, filters: Query[ResponseFilters]):
    store = request.auth.store
    responses = access_responses(
        store,
        kind=filters.kind or "",
        customer_id=filters.customer_id,
        customer_external_id=filters.customer_external_id,
        source=filters.source or "",
        since=aware(filters.answered_since, store),
    )
    return 200, page_of(responses, filters)


@router.post(
    "/survey-responses",
    response={200: ResponseOut, 201: ResponseOut, **_WRITE_ERRORS},
    summary="Record an NPS or CSAT answer given elsewhere",
    description=(
        "For answers collected by another tool (a help desk's satisfaction survey, a call). "
        "They count in the store's NPS and CSAT figures. The same `external_id` again corrects "
        "the answer (200); a new one is 201."
    ),
)
def record_response(request, payload: ResponseIn):
    store = request.auth.store
    customer = _customer(store, payload)
    recorded = do_record_response(
        store,
        customer,
        kind=payload.kind,
        score=payload.score,
        external_id=payload.external_id,
        answered_at=aware(payload.answered_at, store) or timezone.now(),
        comment=payload.comment,
        channel=payload.channel,
        order=_order(store, payload.order_external_id),
    )
    response = access_responses(store).get(pk=recorded.response.pk)
    return (201 if recorded.created else 200), response


# --- surveys ----------------------------------------------------------------------------------


@router.get(
    "/surveys",
    response={200: SurveyList, **_READ_ERRORS},
    summary="The store's surveys, with how many were sent and answered",
    description="The built-in `nps` and `csat` surveys first, then the custom ones by name. "
    "A survey's `key` names it in the delivery follow-up journey's `survey` setting.",
)
def list_surveys(request):
    return 200, {"items": survey_list(request.auth.store)}


@router.get(
    "/surveys/{key}/answers",
    response={200: AnswerPage, **_READ_ERRORS},
    summary="The answers to one survey, newest first",
    description="One answer per survey link sent (a second tap or a later reason updates it). "
    "`score` is the NPS or CSAT score, or a custom survey's first scale question; `answers` "
    "holds a custom survey's answers by question id.",
)
def list_survey_answers(
    request, filters: Query[AnswerFilters], key: str = Path(..., max_length=60)
):
    store = request.auth.store
    survey = access_survey(store, key)
    answers = survey_answers(survey, since=aware(filters.answered_since, store))
    return 200, page_of(answers, filters)
