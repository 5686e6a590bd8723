"""A key of one store never reads, writes, replies to or moderates another store's reviews and
answers: they are simply not found."""

import pytest

from regulars.commerce.tests.api_client import api_for
from regulars.feedback.models import Review, ReviewStatus
from regulars.feedback.tests.inbox_data import answer, customer, product, review
from regulars.insights.models import SurveyResponse


@pytest.fixture
def theirs(other_store):
    nok = customer(other_store, "c1", "nok@example.com")
    lp = product(other_store, "p1")
    pending = review(other_store, lp, 2, customer=nok, status=ReviewStatus.PENDING)
    SurveyResponse.objects.create(
        store=other_store,
        customer=nok,
        kind="nps",
        score=2,
        external_id="x1",
        source="api",
        answered_at=pending.written_at,
    )
    answer(other_store, nok, 1, "แย่")
    return pending


def test_another_stores_feedback_is_not_found(client, store, theirs):
    api = api_for(client, store)

    assert api.get("/reviews").json()["count"] == 0
    assert api.get("/survey-responses").json()["count"] == 0
    assert api.get(f"/reviews/{theirs.pk}").status_code == 404
    reply = api.post(f"/reviews/{theirs.pk}/reply", {"body": "Hello"})
    moderate = api.post(f"/reviews/{theirs.pk}/moderation", {"action": "approve"})
    assert (reply.status_code, moderate.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.status, theirs.reply) == (ReviewStatus.PENDING, "")


def test_their_customers_and_products_cannot_be_used(client, store, theirs):
    api = api_for(client, store)

    review_ = api.post(
        "/reviews", {"customer_external_id": "c1", "product_external_id": "p1", "rating": 5}
    )
    response = api.post(
        "/survey-responses",
        {"external_id": "x1", "kind": "nps", "score": 9, "customer_id": theirs.customer_id},
    )

    assert review_.status_code == 404
    assert response.status_code == 404
    assert Review.objects.filter(store=store).count() == 0
    assert SurveyResponse.objects.get(external_id="x1").score == 2
