"""Fixtures for messaging tests: a real SMTP server that Django's SMTP backend sends to."""

import pytest

from regulars.messaging.tests.http_receiver import http_receiver  # noqa: F401
from regulars.messaging.tests.smtp_server import running_smtp_server


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on 127.0.0.1 (a free port), with Django's e-mail settings pointing at it.

    `smtp_server.received` holds every accepted envelope, `smtp_server.sessions` counts SMTP
    sessions, `smtp_server.refuse_next("RCPT", "451 4.3.0 try again later")` scripts refusals.
    """
    with running_smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        # A test never waits long on a broken exchange.
        settings.EMAIL_TIMEOUT = 10
        yield server
