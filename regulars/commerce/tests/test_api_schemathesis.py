"""Property-based run of every API operation from its OpenAPI schema: whatever a client sends,
valid or not, the API answers with a documented status and body, never a 5xx.

Schemathesis calls the real WSGI application in this thread, so its requests see the test's
database transaction and a real API key of a store that already has a few rows. The schema is
our own /api/openapi.json, with a few input fields narrowed to values that pass the checks a
JSON schema cannot express (ISO currencies, e-mail addresses, plausible dates, known order ids):
without that, nearly every generated "valid" item would be refused and the write paths would
go unexplored. Negative generation still sends anything outside those values.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from regulars.api import api
from regulars.commerce.tests.api_client import api_for, cart, customer, order
from regulars.wsgi import application

TIMES = [
    "2025-03-01T10:00:00Z",
    "2025-03-01T10:00:00",
    "2024-02-29T23:59:59+07:00",
    "1900-01-01T00:00:00-05:00",
    "2200-12-31T23:59:59",
]
AMOUNT = r"^[0-9]{1,9}(\.[0-9]{1,3})?$"
GUIDES = {
    "currency": ["USD", "eur", "THB", "JPY", "KWD"],
    "email": ["ann@example.com", "Bob@Example.org"],
    "phone": ["", "+66812345678", "+1 202 555 0123"],
    "language": ["", "en", "th", "hy", "pt_BR"],
    "timezone": ["", "UTC", "Asia/Bangkok", "America/New_York"],
    "url": ["", "https://shop.example.com/p/1"],
    "image_url": ["", "https://shop.example.com/p/1.jpg"],
    "tracking_url": ["", "https://track.example.com/1Z999"],
    "checkout_url": ["", "https://shop.example.com/checkout/1"],
    "kind": ["product_viewed", "searched", "added_to_cart"],
    "customer_external_id": ["", "c1", "c2"],
    "order_external_id": ["1001", "A/1002", "unknown"],
    "product_external_id": ["", "p1", "p2"],
    "completed_order_external_id": ["", "1001"],
    "cart_token": ["", "cart-abc"],
    "birthday": ["1980-05-17", "2000-02-29"],
}


def _nullable(schema: dict) -> bool:
    return any(option.get("type") == "null" for option in schema.get("anyOf", ()))


def _is_time(schema: dict) -> bool:
    options = [schema, *schema.get("anyOf", ())]
    return any(option.get("format") == "date-time" for option in options)


def _is_amount(schema: dict) -> bool:
    types = [option.get("type") for option in schema.get("anyOf", ())]
    return "number" in types and "string" in types


def _guide(name: str, schema: dict) -> dict:
    if _is_amount(schema):
        # A decimal is "a number or a string"; the string must still read as an amount.
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": AMOUNT}]}
    values = GUIDES.get(name) or (TIMES if _is_time(schema) else None)
    if values is None:
        return schema
    return {"enum": values + ([None] if _nullable(schema) else [])}


def _guided_schema() -> dict:
    # The same document /api/openapi.json serves, as plain JSON types.
    raw = json.loads(json.dumps(api.get_openapi_schema()))
    for name, component in raw["components"]["schemas"].items():
        if name.endswith("In"):  # input models only: responses keep their real schema
            props = component.get("properties", {})
            for prop, schema in props.items():
                props[prop] = _guide(prop, schema)
    for operations in raw["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", ()):
                if param["name"] == "external_id":
                    param["schema"] = {"enum": ["1001", "A/1002", "nope"]}
                elif param["name"] in ("email", "updated_since", "placed_since"):
                    param["schema"] = _guide(param["name"], param["schema"])
    return raw


schema = schemathesis.openapi.from_dict(_guided_schema())
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def raw_key(client, store, settings):
    # Hundreds of requests per operation: the rate limit has its own tests.
    settings.REGULARS_API_RATE_LIMIT = 0
    seeded = api_for(client, store)
    seeded.batch("customers", [customer(), customer(external_id="c2", email="bob@example.org")])
    seeded.batch("carts", [cart()])
    seeded.batch("orders", [order(), order(external_id="A/1002", status="pending")])
    # Django closes a connection left outside autocommit when a request starts or ends; the
    # test's transaction is one, so on PostgreSQL the next query would fail. Django's test
    # client disconnects the same handler for the same reason (and reconnects it after each
    # request, hence here, after the seeding).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield seeded.raw_key
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_request_makes_the_api_fail(case, raw_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {raw_key}"}, checks=CHECKS)
