"""Input and output models of the feedback API (/api/v1/reviews, /api/v1/survey-responses,
/api/v1/surveys)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from regulars.commerce.schemas import FilterText, Moment, PageParams, clean_language
from regulars.feedback.models import ReviewSource, ReviewStatus
from regulars.insights.models import SurveyKind

DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- reviews ----------------------------------------------------------------------------------


class ReviewFilters(PageParams):
    status: ReviewStatus | None = Field(None, description="pending, published, rejected or hidden")
    product_external_id: Annotated[FilterText, Field(max_length=64)] = ""
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    customer_external_id: Annotated[FilterText, Field(max_length=64)] = ""


class ReviewIn(Schema):
    """A customer's review of a product, from another channel (a support tool, an app)."""

    customer_id: DbId | None = Field(None, description="Or customer_external_id")
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    product_external_id: Annotated[str, Field(min_length=1, max_length=64)]
    order_external_id: Annotated[str, Field(max_length=64)] = Field(
        "", description="The order it is about, if any; it must be the customer's"
    )
    rating: Annotated[int, Field(ge=1, le=5)]
    title: Annotated[str, Field(max_length=200)] = ""
    body: Annotated[str, Field(max_length=5000)] = ""
    language: str = Field("", description="en, th, hy, ...; default: the customer's")
    external_id: Annotated[str, Field(max_length=64)] = Field(
        "", description="Your id for it: the same id again edits it while it waits for moderation"
    )

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return clean_language(value)


class ReplyIn(Schema):
    body: Annotated[str, Field(max_length=5000)] = Field(
        description="The public reply shown under the review; empty removes it"
    )


class ModerationIn(Schema):
    action: Literal["approve", "reject", "hide"]
    reason: Annotated[str, Field(max_length=300)] = Field(
        "", description="Required to reject or hide"
    )


class ReplyOut(Schema):
    body: str
    replied_at: datetime | None


class ReviewOut(Schema):
    id: int
    status: ReviewStatus
    rating: int
    title: str
    body: str
    author_name: str
    language: str
    verified: bool
    source: ReviewSource
    external_id: str
    flags: list[str]
    moderation_reason: str
    product_id: int
    product_external_id: str
    product_title: str
    customer_id: int | None
    customer_external_id: str | None
    order_external_id: str | None
    reply: ReplyOut | None
    photos: list[str]
    written_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_product_external_id(review) -> str:
        return review.product.external_id

    @staticmethod
    def resolve_product_title(review) -> str:
        return review.product.title

    @staticmethod
    def resolve_customer_external_id(review) -> str | None:
        return review.customer.external_id if review.customer_id else None

    @staticmethod
    def resolve_order_external_id(review) -> str | None:
        return review.order.external_id if review.order_id else None

    @staticmethod
    def resolve_reply(review) -> dict | None:
        return {"body": review.reply, "replied_at": review.replied_at} if review.reply else None

    @staticmethod
    def resolve_photos(review) -> list[str]:
        from regulars.feedback.services.photos import photo_url

        return [photo_url(photo) for photo in review.photos.all()]


class ReviewPage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[ReviewOut]


# --- survey responses ---------------------------------------------------------------------------


class ResponseFilters(PageParams):
    kind: SurveyKind | None = Field(None, description="nps or csat")
    customer_id: DbId | None = None
    customer_external_id: Annotated[FilterText, Field(max_length=64)] = ""
    source: Literal["survey", "import", "api"] | None = None
    answered_since: Moment | None = None


class ResponseIn(Schema):
    """An NPS or CSAT answer given elsewhere (a support tool's satisfaction survey, a call)."""

    external_id: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="Your id for the answer: the same id again corrects it"
    )
    kind: SurveyKind = Field(description="nps (0-10) or csat (1-5)")
    score: Annotated[int, Field(ge=0, le=10)]
    comment: Annotated[str, Field(max_length=5000)] = ""
    customer_id: DbId | None = None
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    order_external_id: Annotated[str, Field(max_length=64)] = ""
    channel: Annotated[str, Field(max_length=20)] = Field(
        "api", description="Where it was given, e.g. helpdesk, phone"
    )
    answered_at: Moment | None = Field(
        None, description="When it was given; default now. Naive: the store's zone"
    )


class ResponseOut(Schema):
    id: int
    external_id: str
    kind: SurveyKind
    score: int
    comment: str
    channel: str
    source: str
    customer_id: int | None
    customer_external_id: str | None
    customer_email: str | None
    order_external_id: str | None
    answered_at: datetime

    @staticmethod
    def resolve_customer_external_id(response) -> str | None:
        return response.customer.external_id if response.customer_id else None

    @staticmethod
    def resolve_customer_email(response) -> str | None:
        return response.customer.email if response.customer_id else None

    @staticmethod
    def resolve_order_external_id(response) -> str | None:
        return response.order.external_id if response.order_id else None


class ResponsePage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[ResponseOut]


# --- surveys ----------------------------------------------------------------------------------


class SurveyOut(Schema):
    key: str
    name: str
    kind: Literal["nps", "csat", "custom"]
    enabled: bool
    question: str = Field(
        description="NPS, CSAT: the store's own question; empty: the standard one"
    )
    reason_question: str = Field(description="NPS, CSAT: the question after the score")
    questions: list[dict[str, Any]] = Field(
        description="A custom survey's questions: id, type (scale, choice, text), label, "
        "required; min, max, min_label, max_label for a scale; options for a choice"
    )
    sends: int = Field(description="Survey links sent")
    answers: int
    last_answered_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_sends(survey) -> int:
        return survey.send_count

    @staticmethod
    def resolve_answers(survey) -> int:
        return survey.answer_count


class SurveyList(Schema):
    items: list[SurveyOut]


class AnswerFilters(PageParams):
    answered_since: Moment | None = Field(None, description="Naive: the store's zone")


class AnswerReplyOut(Schema):
    body: str
    replied_at: datetime | None


class AnswerOut(Schema):
    id: int
    score: int | None = Field(description="NPS 0-10, CSAT 1-5, a custom survey's first scale")
    comment: str
    answers: dict[str, Any] = Field(description="A custom survey's answers by question id")
    language: str
    customer_id: int
    customer_external_id: str
    customer_email: str
    order_external_id: str | None
    channel: str
    source: str = Field(description="What sent the link, e.g. journey:delivery_followup")
    reply: AnswerReplyOut | None
    answered_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_customer_external_id(answer) -> str:
        return answer.customer.external_id

    @staticmethod
    def resolve_customer_email(answer) -> str:
        return answer.customer.email

    @staticmethod
    def resolve_order_external_id(answer) -> str | None:
        return answer.send.order.external_id if answer.send.order_id else None

    @staticmethod
    def resolve_channel(answer) -> str:
        return answer.send.channel

    @staticmethod
    def resolve_source(answer) -> str:
        return answer.send.source

    @staticmethod
    def resolve_reply(answer) -> dict | None:
        return {"body": answer.reply, "replied_at": answer.replied_at} if answer.reply else None


class AnswerPage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[AnswerOut]
