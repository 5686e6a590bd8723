"""Fixtures of the feedback tests, on top of regulars/conftest.py. Each part of the app appends
its own below."""

import pytest

from regulars.core.tests.http_receiver import http_receiver  # noqa: F401
from regulars.messaging.tests.conftest import smtp_server  # noqa: F401

# --- the inbox, the API and the webhook ------------------------------------------------------------

WEBHOOK_SECRET = "whsec_store-chosen-secret-for-feedback"


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue (the test runs what it takes from there)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def feedback_hook(store, owner, http_receiver):  # noqa: F811
    """The store sends its feedback events to the receiver, signed with WEBHOOK_SECRET."""
    from regulars.feedback.services.webhook import do_configure_feedback_webhook

    do_configure_feedback_webhook(
        store, owner, url=f"{http_receiver.url}/feedback", enabled=True, secret=WEBHOOK_SECRET
    )
    return http_receiver


# --- surveys ---------------------------------------------------------------------------------


@pytest.fixture
def shopify_store(store):
    """The store with its Shopify signing secret, as after Settings > Webhooks."""
    from regulars.commerce.tests.fixtures import connect

    return connect(store)


@pytest.fixture
def shopify_webhooks(client, django_capture_on_commit_callbacks):
    """Posts platform webhooks through the test client and runs what their commit queues."""
    from regulars.commerce.tests.fixtures import WebhookSender

    return WebhookSender(client, django_capture_on_commit_callbacks)


# --- reviews -------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """Review photos go to a media folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- the survey page and mail scanners -------------------------------------------------------


@pytest.fixture
def client():
    """A phone's browser: the survey page records no tap from a request without a User-Agent,
    as mail scanners send (regulars/feedback/scanners.py)."""
    from django.test import Client

    from regulars.feedback.tests.survey_data import PHONE_BROWSER

    return Client(HTTP_USER_AGENT=PHONE_BROWSER)
