"""The request path stays small, so intake keeps up with a busy store: one query for the store
and its secret, then for a signed delivery one look-up of earlier copies and one insert (their
savepoint shows here because tests run inside a transaction)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.commerce.tests.fixtures import SHOPIFY_SECRET, connect, raw, sign


def _post(client, store, body, topic="orders/create", secret=SHOPIFY_SECRET):
    return client.post(
        f"/webhooks/shopify/{store.public_id}",
        data=body,
        content_type="application/json",
        headers={
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": sign(secret, body),
            "X-Shopify-Webhook-Id": f"{topic}-{secret}",
        },
    )


def _statements(client, store, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, store, raw("shopify", "orders_create.json"), **kwargs)
    assert response.status_code in (200, 401)
    return [q["sql"].split()[0] for q in queries.captured_queries]


@pytest.fixture
def shop(store):
    return connect(store)


KEEP_SIGNED = ["SELECT", "SAVEPOINT", "SELECT", "INSERT", "RELEASE"]


def test_a_valid_delivery_costs_two_reads_and_one_insert(shop, client):
    assert _statements(client, shop) == KEEP_SIGNED


def test_a_rejected_delivery_costs_one_read_and_one_insert(shop, client):
    assert _statements(client, shop, secret="not-the-secret") == ["SELECT", "INSERT"]


def test_an_unused_topic_costs_two_reads_and_one_insert(shop, client):
    assert _statements(client, shop, topic="app/uninstalled") == KEEP_SIGNED
