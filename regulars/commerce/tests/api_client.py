"""A small client for the JSON API tests: a real key of a real store, requests through Django's
test client, and builders of valid items that a test then spoils one field at a time."""

import json

from regulars.core.models import ApiKeyScope
from regulars.core.services import do_create_api_key


class Api:
    def __init__(self, client, raw_key: str):
        self.client = client
        self.raw_key = raw_key

    def _auth(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.raw_key}"}

    def post(self, path: str, body, *, raw: bool = False):
        data = body if raw else json.dumps(body)
        return self.client.post(
            f"/api/v1{path}", data=data, content_type="application/json", **self._auth()
        )

    def batch(self, kind: str, items: list):
        return self.post(f"/{kind}/batch", {"items": items})

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self._auth())


def api_for(client, store, scope: str = ApiKeyScope.WRITE) -> Api:
    _, raw_key = do_create_api_key(store, name=f"test {scope}", scope=scope)
    return Api(client, raw_key)


def customer(**fields) -> dict:
    return {"external_id": "c1", "email": "ann@example.com", "first_name": "Ann", **fields}


def product(**fields) -> dict:
    return {"external_id": "p1", "title": "Blue Train (LP)", "price": "24.90", **fields}


def order(**fields) -> dict:
    return {
        "external_id": "1001",
        "name": "#1001",
        "customer": {"external_id": "c1", "email": "ann@example.com"},
        "status": "paid",
        "currency": "USD",
        "total": "54.80",
        "placed_at": "2025-03-01T10:00:00Z",
        "lines": [
            {
                "product_external_id": "p1",
                "title": "Blue Train (LP)",
                "quantity": 2,
                "unit_price": "24.90",
            },
        ],
        "updated_at": "2025-03-01T10:00:00Z",
        **fields,
    }


def fulfillment(**fields) -> dict:
    return {
        "external_id": "f1",
        "order_external_id": "1001",
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "status": "in_transit",
        "shipped_at": "2025-03-02T09:00:00Z",
        "updated_at": "2025-03-02T09:00:00Z",
        **fields,
    }


def cart(**fields) -> dict:
    return {
        "token": "cart-abc",
        "customer_external_id": "c1",
        "currency": "USD",
        "lines": [{"product_external_id": "p1", "title": "Blue Train (LP)", "unit_price": "24.90"}],
        "updated_at": "2025-03-01T09:30:00Z",
        **fields,
    }


def event(**fields) -> dict:
    return {
        "external_id": "e1",
        "customer_external_id": "c1",
        "kind": "product_viewed",
        "properties": {"product_external_id": "p1"},
        "occurred_at": "2025-03-01T09:00:00Z",
        **fields,
    }
