"""The reviews API: list with filters and pages, write one for a customer and product (through
the review service: verified only for a buyer, auto-published or left for moderation), reply in
public and moderate, each answering the review as it now is."""

from datetime import UTC, datetime

import pytest
import time_machine

from regulars.commerce.services import upsert_fulfillment
from regulars.commerce.tests.api_client import api_for
from regulars.commerce.tests.builders import fulfillment_in
from regulars.feedback.models import ProductRating, Review, ReviewSource, ReviewStatus
from regulars.feedback.tests.inbox_data import T0, customer, hours, order, product, review

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def api(client, store):
    return api_for(client, store)


@time_machine.travel(NOW, tick=False)
def test_a_review_by_a_buyer_of_a_delivered_order_is_verified_and_published(api, store):
    order(store, "1001")  # customer c1 with a line of p1
    upsert_fulfillment(store, fulfillment_in(status="delivered"), source="api")

    response = api.post(
        "/reviews",
        {
            "customer_external_id": "c1",
            "product_external_id": "p1",
            "order_external_id": "1001",
            "rating": 5,
            "title": "Warm sound",
            "body": "Quiet vinyl, great <i>pressing</i>.",
            "language": "en",
        },
    )

    assert response.status_code == 201
    review = Review.objects.get(store=store)
    body = response.json()
    assert body == {
        "id": review.pk,
        "status": "published",
        "rating": 5,
        "title": "Warm sound",
        "body": "Quiet vinyl, great <i>pressing</i>.",
        "author_name": "Ana",
        "language": "en",
        "verified": True,
        "source": "api",
        "external_id": "",
        "flags": [],
        "moderation_reason": "",
        "product_id": review.product_id,
        "product_external_id": "p1",
        "product_title": "Blue Train LP",
        "customer_id": review.customer_id,
        "customer_external_id": "c1",
        "order_external_id": "1001",
        "reply": None,
        "photos": [],
        "written_at": "2026-03-10T12:00:00Z",
        "published_at": "2026-03-10T12:00:00Z",
    }
    assert ProductRating.objects.get(product=review.product).count == 1


@time_machine.travel(NOW, tick=False)
def test_a_non_buyers_low_review_waits_unverified_and_its_id_edits_it(api, store):
    customer(store, "c7", "zoe@example.com")
    product(store, "p1")
    first = api.post(
        "/reviews",
        {
            "customer_external_id": "c7",
            "product_external_id": "p1",
            "rating": 2,
            "body": "Skips on track 2",
            "external_id": "helpdesk-77",
        },
    )
    again = api.post(
        "/reviews",
        {
            "customer_external_id": "c7",
            "product_external_id": "p1",
            "rating": 3,
            "body": "Skips on track 2, otherwise fine",
            "external_id": "helpdesk-77",
        },
    )

    assert first.status_code == 201
    assert (first.json()["status"], first.json()["verified"]) == ("pending", False)
    assert "below the auto-publish rating" in first.json()["moderation_reason"]
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["rating"], again.json()["body"]) == (3, "Skips on track 2, otherwise fine")
    assert Review.objects.filter(store=store).count() == 1


def test_reply_and_moderation(api, store):
    lp = product(store, "p1")
    pending = review(store, lp, 2, status=ReviewStatus.PENDING)

    approved = api.post(f"/reviews/{pending.pk}/moderation", {"action": "approve"})
    replied = api.post(f"/reviews/{pending.pk}/reply", {"body": "Sorry! A new copy is on its way."})
    hidden = api.post(f"/reviews/{pending.pk}/moderation", {"action": "hide", "reason": "spoiler"})

    assert (approved.status_code, approved.json()["status"]) == (200, "published")
    assert replied.status_code == 200
    assert replied.json()["reply"]["body"] == "Sorry! A new copy is on its way."
    assert replied.json()["reply"]["replied_at"] is not None
    assert (hidden.json()["status"], hidden.json()["moderation_reason"]) == ("hidden", "spoiler")
    assert ProductRating.objects.get(product=lp).count == 0

    removed = api.post(f"/reviews/{pending.pk}/reply", {"body": ""})
    assert removed.json()["reply"] is None


def test_the_list_filters_and_pages_newest_first(api, store):
    lp, cd = product(store, "p1"), product(store, "p2", "Kind of Blue CD")
    old = review(store, lp, 5, at=T0)
    mid = review(store, cd, 1, at=T0 + hours(1), status=ReviewStatus.PENDING)
    new = review(store, lp, 1, at=T0 + hours(2), source=ReviewSource.IMPORT, external_id="j1")

    everything = api.get("/reviews")
    page = api.get("/reviews", limit=2, offset=0)

    assert [r["id"] for r in everything.json()["items"]] == [new.pk, mid.pk, old.pk]
    assert (page.json()["count"], page.json()["next_offset"]) == (3, 2)
    assert [r["id"] for r in api.get("/reviews", rating=1).json()["items"]] == [new.pk, mid.pk]
    assert [r["id"] for r in api.get("/reviews", status="pending").json()["items"]] == [mid.pk]
    p1 = api.get("/reviews", product_external_id="p1").json()["items"]
    assert [r["id"] for r in p1] == [new.pk, old.pk]
    assert api.get(f"/reviews/{old.pk}").json()["product_title"] == "Blue Train LP"


def test_the_list_takes_a_fixed_number_of_queries(api, store, django_assert_max_num_queries):
    lp = product(store, "p1")
    for n in range(12):
        review(
            store, lp, 1 + n % 5, at=T0 + hours(n), customer=customer(store, f"c{n}", f"{n}@x.io")
        )

    with django_assert_max_num_queries(8):
        response = api.get("/reviews")

    assert response.json()["count"] == 12
