"""Fixtures for promotions tests: customers made through commerce's upsert, the loopback HTTP
receiver as the store's coupon webhook, and the database task queue when a test needs it."""

import pytest

from regulars.commerce.services import upsert_customer
from regulars.commerce.tests.builders import customer_in
from regulars.core.tests.http_receiver import http_receiver  # noqa: F401
from regulars.promotions.services import do_configure_coupon_webhook

SECRET = "whsec_store-chosen-secret-for-coupons"


@pytest.fixture
def customer(store):
    return upsert_customer(
        store,
        customer_in(external_id="c1", email="ana@example.com", timezone="Asia/Bangkok"),
        source="api",
    ).obj


@pytest.fixture
def other_customer(other_store):
    return upsert_customer(
        other_store, customer_in(external_id="c1", email="nok@example.com"), source="api"
    ).obj


@pytest.fixture
def coupon_hook(store, owner, http_receiver):  # noqa: F811
    """The store announces its coupons to the receiver, signed with SECRET."""
    do_configure_coupon_webhook(
        store, owner, url=f"{http_receiver.url}/coupons", enabled=True, secret=SECRET
    )
    return http_receiver


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
