"""Each API key may make settings.REGULARS_API_RATE_LIMIT requests per minute; then 429."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.core.services import do_create_api_key

CUSTOMERS = "/api/v1/customers"
# 15 s into a one-minute window: the window ends 45 s later.
NOON = datetime(2025, 3, 1, 12, 0, 15, tzinfo=UTC)


@pytest.fixture
def limit_of_two(settings):
    settings.REGULARS_API_RATE_LIMIT = 2


def _get(client, raw_key: str):
    return client.get(CUSTOMERS, HTTP_AUTHORIZATION=f"Bearer {raw_key}")


def test_a_key_over_its_limit_gets_429_with_retry_after(client, store, limit_of_two):
    _, raw = do_create_api_key(store, name="shop")

    with time_machine.travel(NOON, tick=False):
        statuses = [_get(client, raw).status_code for _ in range(2)]
        refused = _get(client, raw)

    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert refused.json() == {
        "errors": [
            {
                "code": "rate_limited",
                "field": None,
                "message": "Too many requests; try again in 45 s.",
                "index": None,
            }
        ]
    }


def test_a_refused_write_is_not_applied(client, store, limit_of_two):
    _, raw = do_create_api_key(store, name="shop")
    body = '{"items": [{"external_id": "c1", "email": "ann@example.com"}]}'

    with time_machine.travel(NOON, tick=False):
        _get(client, raw)
        _get(client, raw)
        refused = client.post(
            "/api/v1/customers/batch",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    assert refused.status_code == 429
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert _get(client, raw).json()["count"] == 0


def test_the_limit_counts_each_key_apart(client, store, limit_of_two):
    _, busy = do_create_api_key(store, name="busy")
    _, calm = do_create_api_key(store, name="calm")

    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            _get(client, busy)
        calm_response = _get(client, calm)

    assert calm_response.status_code == 200


def test_the_limit_starts_again_in_the_next_minute(client, store, limit_of_two):
    _, raw = do_create_api_key(store, name="shop")
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            _get(client, raw)

    with time_machine.travel(NOON + timedelta(seconds=45), tick=False):
        response = _get(client, raw)

    assert response.status_code == 200


def test_a_limit_of_zero_switches_the_limit_off(client, store, settings):
    settings.REGULARS_API_RATE_LIMIT = 0
    _, raw = do_create_api_key(store, name="shop")

    with time_machine.travel(NOON, tick=False):
        statuses = {_get(client, raw).status_code for _ in range(5)}

    assert statuses == {200}
