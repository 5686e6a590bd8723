"""Data for the inbox, API and webhook tests: customers, products and orders through commerce's
own upserts; surveys and sends through the surveys service; reviews and answers written as
rows where a test reads them (the inbox only reads), at the times the test chooses."""

from datetime import UTC, datetime, timedelta

from regulars.commerce.schemas import ProductIn
from regulars.commerce.services import upsert_customer, upsert_order, upsert_product
from regulars.commerce.tests.builders import customer_in, order_in
from regulars.feedback.models import (
    Review,
    ReviewSource,
    ReviewStatus,
    SurveyAnswer,
)
from regulars.feedback.services.surveys import do_send_for, ensure_surveys

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def customer(store, external_id: str = "c1", email: str = "ana@example.com", **fields):
    return upsert_customer(
        store, customer_in(external_id=external_id, email=email, **fields), source="api"
    ).obj


def product(store, external_id: str = "lp-1", title: str = "Blue Train LP"):
    return upsert_product(
        store, ProductIn(external_id=external_id, title=title, sku=external_id), source="api"
    ).obj


def order(store, external_id: str = "1001", **overrides):
    """An order of customer c1 (ana@example.com) with one line of product p1."""
    return upsert_order(store, order_in(external_id, **overrides), source="api").obj


def review(store, product, rating: int, *, at: datetime = T0, customer=None, **fields) -> Review:
    """A review row written at `at` (published unless `status` says otherwise)."""
    status = fields.pop("status", ReviewStatus.PUBLISHED)
    data = {
        "store": store,
        "product": product,
        "customer": customer,
        "rating": rating,
        "title": f"{rating} stars",
        "body": f"A review of {rating} stars.",
        "author_name": "Ana S.",
        "status": status,
        "source": ReviewSource.REQUEST,
        "written_at": at,
        "published_at": at if status == ReviewStatus.PUBLISHED else None,
        **fields,
    }
    return Review.objects.create(**data)


def answer(
    store, customer, score: int | None, comment: str, *, kind: str = "nps", at=T0, key=None, **f
) -> SurveyAnswer:
    """An answer row to a new send of the store's built-in `kind` survey."""
    survey = ensure_surveys(store)[kind]
    send = do_send_for(survey, customer, key or f"test:{SurveyAnswer.objects.count() + 1}:{at}")
    return SurveyAnswer.objects.create(
        store=store,
        send=send,
        survey=survey,
        customer=customer,
        score=score,
        comment=comment,
        answered_at=at,
        **f,
    )


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
