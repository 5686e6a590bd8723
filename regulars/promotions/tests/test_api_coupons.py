"""The coupons API: issue one for a customer with clear 4xx errors, list with filters and
pages, read one by its code; a key of another store sees and finds nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.commerce.tests.api_client import api_for
from regulars.core.models import ApiKeyScope
from regulars.promotions.models import Coupon
from regulars.promotions.services import do_issue_coupon

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def _errors(response) -> list[tuple]:
    return [(e["code"], e["field"]) for e in response.json()["errors"]]


@time_machine.travel(NOW, tick=False)
def test_a_coupon_is_issued_for_a_customer_by_external_id(api, store, customer):
    response = api.post(
        "/coupons",
        {
            "customer_external_id": "c1",
            "kind": "percent",
            "value": "15",
            "minimum_spend": 50,
            "valid_days": 14,
            "prefix": "vip",
            "idempotency_key": "order-1001-thanks",
        },
    )

    assert response.status_code == 201
    body = response.json()
    coupon = Coupon.objects.get(store=store)
    assert body == {
        "id": coupon.pk,
        "code": coupon.code,
        "kind": "percent",
        "value": "15",
        "currency": "USD",
        "minimum_spend": "50.00",
        "description": "15% off an order of 50.00 USD or more",
        "status": "issued",
        "customer_id": customer.pk,
        "customer_external_id": "c1",
        "customer_email": "ana@example.com",
        "source": "api",
        "issued_at": "2026-03-01T15:00:00Z",
        "expires_at": "2026-03-15T17:00:00Z",
        "redeemed_at": None,
        "redeemed_order_id": None,
        "redeemed_order_external_id": None,
        "announced_at": None,
    }
    assert coupon.code.startswith("VIP-")

    again = api.post(
        "/coupons",
        {
            "customer_id": customer.pk,
            "kind": "percent",
            "value": 99,
            "idempotency_key": "order-1001-thanks",
        },
    )
    assert again.json()["code"] == coupon.code
    assert Coupon.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_naive_expiry_is_read_in_the_stores_zone(api, customer):
    response = api.post(
        "/coupons",
        {
            "customer_id": customer.pk,
            "kind": "fixed_amount",
            "value": 10,
            "expires_at": "2026-04-01T00:00:00",
        },
    )

    assert response.status_code == 201
    assert response.json()["expires_at"] == "2026-04-01T04:00:00Z"  # New York, EDT
    assert response.json()["value"] == "10.00"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"kind": "percent", "value": 10}, [("invalid", None)]),
        ({"customer_external_id": "c1", "value": 10}, [("required", "kind")]),
        ({"customer_external_id": "c1", "kind": "bogo", "value": 10}, [("invalid", "kind")]),
        ({"customer_external_id": "c1", "kind": "percent", "value": "x"}, [("invalid", "value")]),
        ({"customer_external_id": "c1", "kind": "percent", "value": 101}, [("invalid", "value")]),
        ({"customer_external_id": "c1", "kind": "percent", "value": 0}, [("invalid", "value")]),
        (
            {"customer_external_id": "c1", "kind": "fixed_amount", "value": 5, "currency": "EUR"},
            [("invalid", "currency")],
        ),
        (
            {"customer_external_id": "c1", "kind": "percent", "value": 5, "valid_days": 0},
            [("invalid", "valid_days")],
        ),
        (
            {
                "customer_external_id": "c1",
                "kind": "percent",
                "value": 5,
                "expires_at": "2020-01-01T00:00:00Z",
            },
            [("invalid", "expires_at")],
        ),
        (
            {"customer_external_id": "c1", "kind": "percent", "value": 5, "prefix": "NO-DASH"},
            [("invalid", "prefix")],
        ),
    ],
)
def test_bad_input_is_answered_422_naming_the_field(api, customer, body, expected):
    response = api.post("/coupons", body)

    assert response.status_code == 422
    assert _errors(response) == expected
    assert Coupon.objects.count() == 0


def test_an_unknown_customer_is_a_404_naming_the_field(api, customer):
    response = api.post(
        "/coupons", {"customer_external_id": "nobody", "kind": "percent", "value": 5}
    )

    assert response.status_code == 404
    assert _errors(response) == [("not_found", "customer_external_id")]


def test_a_read_only_key_cannot_issue(client, store, customer):
    api = api_for(client, store, scope=ApiKeyScope.READ)

    response = api.post("/coupons", {"customer_id": customer.pk, "kind": "percent", "value": 5})

    assert response.status_code == 403
    assert Coupon.objects.count() == 0


def test_the_list_filters_by_customer_status_and_source(api, store, customer):
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        expired = do_issue_coupon(store, customer, kind="percent", value=5, valid_days=1)
    with time_machine.travel(NOW, tick=False):
        live = do_issue_coupon(store, customer, kind="percent", value=10, source="journey:x")
        redeemed = do_issue_coupon(store, customer, kind="percent", value=15)
        Coupon.objects.filter(pk=redeemed.pk).update(status="redeemed", redeemed_at=NOW)

        def codes(**params):
            response = api.get("/coupons", **params)
            assert response.status_code == 200
            return [item["code"] for item in response.json()["items"]]

        assert codes() == [redeemed.code, live.code, expired.code]
        assert codes(status="expired") == [expired.code]
        assert codes(status="issued") == [live.code]
        assert codes(status="redeemed") == [redeemed.code]
        assert codes(source="journey:x") == [live.code]
        assert codes(customer_external_id="c1", limit=2) == [redeemed.code, live.code]
        assert codes(customer_external_id="nobody") == []
        page = api.get("/coupons", limit=2, offset=2).json()
        assert (page["count"], page["next_offset"], len(page["items"])) == (3, None, 1)
        assert api.get("/coupons", status="gone").status_code == 422


def test_one_coupon_is_read_by_its_code_in_any_case(api, store, customer):
    coupon = do_issue_coupon(store, customer, kind="percent", value=5)

    response = api.get(f"/coupons/{coupon.code.lower()}")

    assert response.status_code == 200
    assert response.json()["id"] == coupon.pk
    assert api.get("/coupons/NO-SUCH-CODE").status_code == 404


def test_another_stores_key_sees_nothing(client, store, customer, other_store):
    coupon = do_issue_coupon(store, customer, kind="percent", value=5)
    theirs = api_for(client, other_store)

    assert theirs.get("/coupons").json()["count"] == 0
    assert theirs.get(f"/coupons/{coupon.code}").status_code == 404
    response = theirs.post("/coupons", {"customer_id": customer.pk, "kind": "percent", "value": 5})
    assert response.status_code == 404
    assert Coupon.objects.filter(store=other_store).count() == 0
