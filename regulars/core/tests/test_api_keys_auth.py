"""The JSON API accepts only an active key of the store, as `Authorization: Bearer <key>`."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from regulars.core.models import ApiKey, ApiKeyScope
from regulars.core.services import do_create_api_key, do_revoke_api_key

CUSTOMERS = "/api/v1/customers"
BATCH = "/api/v1/customers/batch"
ONE_CUSTOMER = json.dumps({"items": [{"external_id": "c1", "email": "ann@example.com"}]})
CHALLENGE = 'Bearer realm="Regulars API"'


def _post(client, header: str | None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return client.post(BATCH, ONE_CUSTOMER, content_type="application/json", **extra)


def _customer_count(client, store) -> int:
    _, raw = do_create_api_key(store, name="counter", scope=ApiKeyScope.READ)
    return client.get(CUSTOMERS, HTTP_AUTHORIZATION=f"Bearer {raw}").json()["count"]


def _unauthorized(message: str) -> dict:
    return {
        "errors": [
            {"code": "unauthorized", "field": "Authorization", "message": message, "index": None}
        ]
    }


def test_a_request_without_a_key_is_refused(client, store):
    response = _post(client, None)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE
    assert response.json() == _unauthorized(
        "No API key: send the header `Authorization: Bearer <key>` with a key created under "
        "Settings → API keys."
    )
    assert _customer_count(client, store) == 0


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token rg_abc_def", "Bearer a b"]
)
def test_a_malformed_authorization_header_is_refused(client, store, header):
    response = _post(client, header)

    assert response.status_code == 401
    assert response.json() == _unauthorized(
        "The Authorization header must be `Bearer <key>` (one space, then the key)."
    )
    assert _customer_count(client, store) == 0


@pytest.mark.parametrize("token", ["rg_0000000000_notakey", "not-even-our-format", "rg_"])
def test_an_unknown_key_is_refused(client, store, token):
    response = _post(client, f"Bearer {token}")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE
    assert response.json() == _unauthorized("This API key is unknown or has been revoked.")
    assert _customer_count(client, store) == 0


def test_a_key_with_a_wrong_secret_part_is_refused(client, store):
    key, raw = do_create_api_key(store, name="shop")
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")

    response = _post(client, f"Bearer {forged}")

    assert response.status_code == 401
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None


def test_a_revoked_key_is_refused(client, store):
    key, raw = do_create_api_key(store, name="old shop")
    do_revoke_api_key(key)

    response = _post(client, f"Bearer {raw}")

    assert response.status_code == 401
    assert response.json() == _unauthorized("This API key is unknown or has been revoked.")
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None
    assert _customer_count(client, store) == 0


def test_a_read_only_key_cannot_write(client, store):
    _, raw = do_create_api_key(store, name="reporting", scope=ApiKeyScope.READ)

    response = _post(client, f"Bearer {raw}")

    assert response.status_code == 403
    assert response.json() == {
        "errors": [
            {
                "code": "forbidden",
                "field": None,
                "message": "This API key is read-only; use a key with write access to send data.",
                "index": None,
            }
        ]
    }
    assert _customer_count(client, store) == 0


def test_a_read_only_key_can_read(client, store):
    _, raw = do_create_api_key(store, name="reporting", scope=ApiKeyScope.READ)

    response = client.get(CUSTOMERS, HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_write_key_can_write(client, store):
    _, raw = do_create_api_key(store, name="shop")

    response = _post(client, f"bearer {raw}")

    assert response.status_code == 200
    assert response.json()["summary"]["created"] == 1
    assert _customer_count(client, store) == 1


@time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False)
def test_using_a_key_records_when_it_was_last_used(client, store):
    key, raw = do_create_api_key(store, name="shop")

    client.get(CUSTOMERS, HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert ApiKey.objects.get(pk=key.pk).last_used_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_the_docs_and_schema_need_no_key(client, db):
    schema = client.get("/api/openapi.json")

    assert schema.status_code == 200
    assert schema.json()["components"]["securitySchemes"] == {
        "ApiKeyAuth": {"type": "http", "scheme": "bearer"}
    }
    assert client.get("/api/docs").status_code == 200
