"""Bad input to the reviews API gets a 4xx naming the field and the reason, and writes nothing."""

import pytest

from regulars.commerce.tests.api_client import api_for
from regulars.core.models import ApiKeyScope
from regulars.feedback.models import Review, ReviewStatus
from regulars.feedback.tests.inbox_data import customer, order, product, review


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def _errors(response) -> list[tuple]:
    return [(e["code"], e["field"]) for e in response.json()["errors"]]


def _valid(**fields) -> dict:
    return {"customer_external_id": "c1", "product_external_id": "p1", "rating": 4, **fields}


@pytest.mark.parametrize(
    "fields, status, errors",
    [
        ({"rating": 6}, 422, [("invalid", "rating")]),
        ({"rating": 0}, 422, [("invalid", "rating")]),
        ({"rating": None}, 422, [("invalid", "rating")]),
        ({"title": "x" * 201}, 422, [("invalid", "title")]),
        ({"body": "x" * 5001}, 422, [("invalid", "body")]),
        ({"language": "klingon!"}, 422, [("invalid", "language")]),
        ({"product_external_id": ""}, 422, [("invalid", "product_external_id")]),
        ({"product_external_id": "nope"}, 404, [("not_found", "product_external_id")]),
        ({"customer_external_id": "ghost"}, 404, [("not_found", "customer_external_id")]),
        ({"customer_external_id": ""}, 422, [("required", "customer_id")]),
        ({"order_external_id": "9999"}, 404, [("not_found", "order_external_id")]),
    ],
)
def test_a_bad_field_is_named(api, store, fields, status, errors):
    customer(store)
    product(store, "p1")

    response = api.post("/reviews", _valid(**fields))

    assert response.status_code == status
    assert _errors(response) == errors
    assert not Review.objects.exists()


def test_a_missing_rating_is_required(api, store):
    payload = _valid()
    del payload["rating"]

    response = api.post("/reviews", payload)

    assert (response.status_code, _errors(response)) == (422, [("required", "rating")])


def test_a_product_not_in_the_named_order_is_refused(api, store):
    order(store, "1001")  # a line of p1 only
    product(store, "p2", "Another record")

    response = api.post("/reviews", _valid(product_external_id="p2", order_external_id="1001"))

    assert response.status_code == 422
    assert _errors(response) == [("invalid", "product_external_id")]


def test_a_moderated_review_cannot_be_rewritten(api, store):
    ana = customer(store)
    review(store, product(store, "p1"), 5, customer=ana, external_id="h-1")

    response = api.post("/reviews", _valid(external_id="h-1", rating=1))

    assert (response.status_code, _errors(response)) == (
        422,
        [("already_reviewed", "product_external_id")],
    )
    assert Review.objects.get().rating == 5


def test_moderation_needs_a_known_action_and_a_reason_to_hide(api, store):
    pending = review(store, product(store, "p1"), 2, status=ReviewStatus.PENDING)

    unknown = api.post(f"/reviews/{pending.pk}/moderation", {"action": "delete"})
    no_reason = api.post(f"/reviews/{pending.pk}/moderation", {"action": "reject"})

    assert (unknown.status_code, _errors(unknown)) == (422, [("invalid", "action")])
    assert (no_reason.status_code, _errors(no_reason)) == (422, [("required", "reason")])
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING


def test_a_read_only_key_cannot_write(client, store):
    api = api_for(client, store, scope=ApiKeyScope.READ)
    customer(store)
    product(store, "p1")

    response = api.post("/reviews", _valid())

    assert (response.status_code, _errors(response)) == (403, [("forbidden", None)])
    assert api.get("/reviews").status_code == 200
