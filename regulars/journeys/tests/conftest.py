"""Journeys tests: a store connected to Shopify, the real SMTP server, the journey switches."""

import pytest

from regulars.commerce.tests.fixtures import WebhookSender, connect
from regulars.messaging.tests.conftest import smtp_server  # noqa: F401
from regulars.messaging.tests.http_receiver import http_receiver  # noqa: F401

# Links in marketing e-mails must be https for List-Unsubscribe (RFC 8058).
BASE_URL = "https://regulars.example"


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)
