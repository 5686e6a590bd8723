"""The demo store has feedback to show: NPS answers (the insights figure and the inbox) and
reviews (the widget), consistent with its orders: each answer and review follows a delivery,
each review is of a product of that order, the product figures match the published reviews,
and some unhappy customers still wait for an answer."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from regulars.commerce.models import FulfillmentStatus, OrderLine
from regulars.demo.services import STORE_TIMEZONE
from regulars.demo.tests.conftest import TODAY
from regulars.feedback.models import ProductRating, Review, ReviewStatus, SurveyAnswer
from regulars.feedback.services.reviews import refresh_product_rating
from regulars.insights.models import SurveyResponse
from regulars.insights.surveys import score_summary

pytestmark = pytest.mark.django_db


def test_the_demo_has_nps_answers_after_deliveries(demo):
    answers = list(SurveyAnswer.objects.filter(store=demo).select_related("send__order"))
    assert len(answers) > 20
    for answer in answers:
        delivered = answer.send.order.fulfillments.get(status=FulfillmentStatus.DELIVERED)
        assert answer.answered_at > delivered.delivered_at
        assert answer.response.score == answer.score and answer.response.kind == "nps"
    assert SurveyResponse.objects.filter(store=demo).count() == len(answers)
    summary = score_summary(demo, "nps", start=TODAY - timedelta(days=400), end=TODAY)
    assert summary.n == len(answers) and summary.value is not None
    assert {a.language for a in answers} >= {"en", "th"}
    assert any(a.score <= 6 for a in answers) and any(a.score >= 9 for a in answers)


def test_the_demo_reviews_are_of_delivered_products_and_their_figures_add_up(demo):
    reviews = list(Review.objects.filter(store=demo))
    assert len(reviews) > 20
    for review in reviews:
        assert OrderLine.objects.filter(order=review.order, product=review.product).exists()
        assert review.order.fulfillments.filter(status=FulfillmentStatus.DELIVERED).exists()
        assert review.verified and review.customer_id == review.order.customer_id
    # Below the auto-publish rating, the last three weeks' reviews wait for moderation.
    end = datetime.combine(TODAY, time(), tzinfo=ZoneInfo(STORE_TIMEZONE))
    for review in reviews:
        waits = review.rating <= 3 and end - review.written_at < timedelta(days=21)
        assert review.status == (ReviewStatus.PENDING if waits else ReviewStatus.PUBLISHED)
    assert any(r.rating <= 3 for r in reviews) and any(r.reply for r in reviews)
    for kept in ProductRating.objects.filter(store=demo):
        fresh = refresh_product_rating(demo.pk, kept.product_id)
        assert (fresh.count, fresh.total, fresh.distribution) == (
            kept.count,
            kept.total,
            kept.distribution,
        )
    published = {r.product_id for r in reviews if r.status == ReviewStatus.PUBLISHED}
    assert set(ProductRating.objects.filter(store=demo).values_list("product_id", flat=True)) == (
        published
    )
