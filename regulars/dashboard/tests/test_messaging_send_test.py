""" "Send me a test": the store's test message, rendered for its newest customer, delivered at
once to the address the staff member gives (a real SMTP server and a loopback HTTP receiver),
never to the customer, not logged as a message, and at most ten an hour."""

import pytest
import time_machine

from regulars.core.errors import RegularsError
from regulars.dashboard.tests.shop import customer, url
from regulars.messaging.channels.webhook import signature_matches
from regulars.messaging.models import Message, Template
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.services.testing import do_send_test
from regulars.messaging.tests.http_receiver import running_http_receiver
from regulars.messaging.tests.smtp_server import running_smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def http_receiver():
    """A loopback HTTP server recording what Apprise's json:// and the webhook channel post."""
    with running_http_receiver() as receiver:
        yield receiver


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on a free loopback port, with Django's SMTP backend pointed at it."""
    with running_smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        yield server


def test_the_test_email_arrives_at_the_staff_address(client, store, admin, smtp_server):
    customer(store, "c1", first_name="Ana", email="ana@example.com")
    do_configure_channel(
        store, admin, channel="email", enabled=True, sender="hello@vinylcorner.example"
    )
    client.force_login(admin)

    response = client.post(
        url("messaging_test", store, "email"), {"test-email-address": "Admin@Example.com"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("messaging_channels", store) + "#channel-email"
    [received] = smtp_server.received
    assert received.rcpt_tos == ("admin@example.com",)
    email = received.parsed()
    assert email["To"] == "admin@example.com"
    assert email["From"] == "Vinyl Corner <hello@vinylcorner.example>"
    assert email["Subject"] == "Test message from Vinyl Corner"
    assert "List-Unsubscribe" not in email
    html = email.get_body(("html",)).get_content()
    text = email.get_body(("plain",)).get_content()
    assert "<p>Hello Ana,</p>" in html
    assert "This is a test message from Vinyl Corner." in text
    page = client.get(response["Location"]).content.decode()
    assert "Sent to admin@example.com. It is a test, so it is not in the log." in page
    assert not Message.objects.exists()
    assert Template.objects.filter(store=store, key="test_message").count() == 6


def test_a_refused_recipient_is_reported_with_the_servers_reason(client, store, admin, smtp_server):
    smtp_server.refuse_next("RCPT", "550 5.1.1 no such user")
    client.force_login(admin)

    response = client.post(
        url("messaging_test", store, "email"),
        {"test-email-address": "nobody@example.com"},
        follow=True,
    )

    html = response.content.decode()
    assert "E-mail test: Not sent: recipient refused: 550 5.1.1 no such user" in html
    assert smtp_server.received == []


def test_an_sms_test_goes_to_the_number_given_not_to_the_customer(store, admin, http_receiver):
    customer(store, "c1", first_name="Ana", phone="+66812345678")
    do_configure_channel(
        store,
        admin,
        channel="sms",
        enabled=True,
        secret=f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}",
    )

    sent_to = do_send_test(store, admin, channel="sms", address="+1 (415) 555-0100")

    assert sent_to == "+14155550100"
    [request] = http_receiver.received
    assert request.json()["to"] == "+14155550100"
    assert request.json()["message"] == (
        "Vinyl Corner: this is a test message. If you can read it, SMS from the store reaches you."
    )


def test_a_push_test_fills_every_placeholder_with_the_address(store, admin, http_receiver):
    customer(store, "cust-1", first_name="Ana")
    do_configure_channel(
        store,
        admin,
        channel="push",
        enabled=True,
        secret=f"json://127.0.0.1:{http_receiver.port}/push/{{external_id}}?:user={{email}}",
    )

    do_send_test(store, admin, channel="push", address="staff-phone")

    [request] = http_receiver.received
    assert request.path == "/push/staff-phone"
    assert request.json()["user"] == "staff-phone"


def test_a_webhook_test_is_posted_signed_with_the_address_as_recipient(store, admin, http_receiver):
    config = do_configure_channel(
        store, admin, channel="webhook", enabled=True, url=f"{http_receiver.url}/hook"
    )

    do_send_test(store, admin, channel="webhook", address="admin@example.com")

    [request] = http_receiver.received
    body = request.json()
    assert signature_matches(
        config.new_secret, request.body, request.header("X-Regulars-Signature")
    )
    assert (body["to"], body["purpose"], body["customer"]["id"]) == (
        "admin@example.com",
        "transactional",
        0,
    )
    assert body["subject"] == "Test message from Vinyl Corner"


def test_a_channel_not_set_up_says_so(store, admin):
    with pytest.raises(RegularsError) as caught:
        do_send_test(store, admin, channel="whatsapp", address="+14155550100")

    assert caught.value.message == "Not sent: the store has no whatsapp channel set up"


@pytest.mark.parametrize(
    ("channel", "address", "message"),
    [
        ("email", "not-an-address", "'not-an-address' is not an e-mail address."),
        (
            "sms",
            "0815 1234",
            "'0815 1234' is not a phone number in international form, such as +14155550123.",
        ),
        ("push", "", "Give the address the test goes to."),
    ],
)
def test_a_wrong_address_is_refused_before_anything_is_sent(
    store, admin, channel, address, message
):
    with pytest.raises(RegularsError) as caught:
        do_send_test(store, admin, channel=channel, address=address)

    assert (caught.value.field, caught.value.message) == ("address", message)
    assert not Template.objects.filter(store=store).exists()


def test_the_eleventh_test_in_an_hour_is_refused(store, admin, smtp_server):
    with time_machine.travel("2026-03-01T10:00:00Z", tick=False):
        for _ in range(10):
            do_send_test(store, admin, channel="email", address="admin@example.com")
        with pytest.raises(RegularsError) as caught:
            do_send_test(store, admin, channel="email", address="admin@example.com")
    with time_machine.travel("2026-03-01T11:00:01Z", tick=False):
        do_send_test(store, admin, channel="email", address="admin@example.com")

    assert caught.value.code == "rate_limited"
    assert caught.value.message == (
        "A store may send 10 test messages an hour; try again in 60 min."
    )
    assert len(smtp_server.received) == 11


def test_an_agent_may_not_send_tests(client, store, agent, smtp_server):
    client.force_login(agent)

    response = client.post(
        url("messaging_test", store, "email"), {"test-email-address": "agent@example.com"}
    )

    assert response.status_code == 403
    assert smtp_server.received == []
    with pytest.raises(RegularsError) as caught:
        do_send_test(store, agent, channel="email", address="agent@example.com")
    assert caught.value.code == "forbidden"
    assert smtp_server.received == []
