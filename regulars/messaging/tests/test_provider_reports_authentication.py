"""A report without the installation's basic-auth secret (or, for Mailgun, its signature) is
refused and changes nothing. anymail refuses it as a suspicious request: HTTP 400."""

import json

import pytest

from regulars.commerce.models import ConsentChange
from regulars.messaging.models import MessageEvent, Suppression
from regulars.messaging.tests.provider_webhooks import (
    mailgun,
    make_customer,
    post_mailgun,
    post_postmark,
    postmark,
    sent_message,
    use_webhook_settings,
)


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    use_webhook_settings(settings)


def _assert_nothing_changed(message, customer):
    message.refresh_from_db()
    customer.refresh_from_db()
    assert message.status == "sent"
    assert not MessageEvent.objects.filter(message=message).exists()
    assert not Suppression.objects.exists()
    assert customer.email_consent == "subscribed"
    assert not ConsentChange.objects.filter(customer=customer, state="unsubscribed").exists()


def test_a_wrong_password_is_refused(client, store):
    customer = make_customer(store)
    message = sent_message(store, customer, "00000000-0000-0000-0000-000000000000")
    body = postmark("postmark_spam_complaint.json", message)

    response = post_postmark(client, body, credentials="provider:guessed-password")

    assert response.status_code == 400
    _assert_nothing_changed(message, customer)


def test_a_report_without_credentials_is_refused(client, store):
    customer = make_customer(store)
    message = sent_message(store, customer, "883953f4-6105-42a2-a16a-77a8eac79483")

    response = client.post(
        "/messaging/anymail/postmark/tracking/",
        data=json.dumps(postmark("postmark_bounce.json", message)),
        content_type="application/json",
    )

    assert response.status_code == 400
    _assert_nothing_changed(message, customer)


def test_a_mailgun_report_with_a_forged_signature_is_refused(client, store):
    customer = make_customer(store)
    message = sent_message(store, customer, "<20180812214658.1.0DF563D0B3597700@example.org>")
    body = mailgun("mailgun_failed_permanent.json", message, signing_key="not-the-real-key")

    response = post_mailgun(client, body)

    assert response.status_code == 400
    _assert_nothing_changed(message, customer)


def test_a_get_is_not_a_report(client, store):
    assert client.get("/messaging/anymail/postmark/tracking/").status_code == 405


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning")
def test_without_a_webhook_secret_configured_every_report_is_refused(
    client, store, settings, caplog
):
    # anymail itself would accept it, with a warning.
    settings.ANYMAIL = {}
    customer = make_customer(store)
    message = sent_message(store, customer, "00000000-0000-0000-0000-000000000000")

    response = client.post(
        "/messaging/anymail/postmark/tracking/",
        data=json.dumps(postmark("postmark_spam_complaint.json", message)),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "Postmark report refused: set ANYMAIL_WEBHOOK_SECRET (user:password)" in caplog.text
    _assert_nothing_changed(message, customer)
