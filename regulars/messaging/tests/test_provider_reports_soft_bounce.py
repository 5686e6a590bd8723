"""A temporary failure is the provider's to retry: the message stays sent, nothing is
suppressed, whether the provider says "temporary" or only the SMTP reply's 4.x.x does."""

import pytest

from regulars.messaging.models import MessageEvent, Suppression
from regulars.messaging.provider_reports import provider_marks_soft
from regulars.messaging.tests.provider_webhooks import (
    mailgun,
    make_customer,
    post_mailgun,
    post_postmark,
    post_sparkpost,
    postmark,
    sent_message,
    sparkpost,
    use_webhook_settings,
)


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    use_webhook_settings(settings)


def _assert_untouched(message):
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.status_reason == ""
    assert not MessageEvent.objects.filter(message=message).exists()
    assert not Suppression.objects.exists()


def test_a_postmark_soft_bounce_changes_nothing(client, store, caplog):
    message = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")
    body = postmark(
        "postmark_bounce.json",
        message,
        Type="SoftBounce",
        TypeCode=4096,
        Name="Soft bounce",
        Description="Unable to temporarily deliver this email message.",
        Details="The server could not temporarily deliver your message.",
    )

    with caplog.at_level("INFO", logger="regulars.messaging.services.reports"):
        assert post_postmark(client, body).status_code == 200

    _assert_untouched(message)
    assert f"Postmark soft bounce of message {message.pk}" in caplog.text


def test_a_mailgun_temporary_failure_changes_nothing(client, store):
    message = sent_message(
        store, make_customer(store), "<20180812214638.1.4A7D468E9BC18C5D@example.org>"
    )

    response = post_mailgun(client, mailgun("mailgun_failed_temporary.json", message))

    assert response.status_code == 200
    _assert_untouched(message)


def test_a_bounce_with_a_4xx_smtp_reply_changes_nothing(client, store, caplog):
    # SparkPost class 1 is "undetermined": only the receiving server's reply tells.
    message = sent_message(store, make_customer(store), "84345317650824116")
    body = sparkpost(
        message, bounce_class="1", error_code="452", raw_reason="452 4.2.2 Mailbox full"
    )

    with caplog.at_level("INFO", logger="regulars.messaging.services.reports"):
        assert post_sparkpost(client, body).status_code == 200

    _assert_untouched(message)
    assert f"SparkPost soft bounce of message {message.pk} (452 4.2.2 Mailbox full)" in caplog.text


def test_a_bounce_with_a_5xx_smtp_reply_suppresses(client, store):
    message = sent_message(store, make_customer(store), "84345317650824116")

    assert post_sparkpost(client, sparkpost(message)).status_code == 200

    message.refresh_from_db()
    assert message.status == "bounced"
    # SparkPost's class 10 is "invalid recipient".
    assert Suppression.objects.get(store=store, address="ana@example.com").reason == "invalid"


@pytest.mark.parametrize(
    ("esp_name", "esp_event", "soft"),
    [
        ("Postmark", {"RecordType": "Bounce", "Type": "SoftBounce", "TypeCode": 4096}, True),
        ("Postmark", {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1}, False),
        (
            "Amazon SES",
            {"bounce": {"bounceType": "Transient", "bounceSubType": "MailboxFull"}},
            True,
        ),
        ("Amazon SES", {"bounce": {"bounceType": "Permanent", "bounceSubType": "General"}}, False),
        ("Brevo", {"event": "soft_bounce", "reason": "mailbox full"}, True),
        ("Brevo", {"event": "hard_bounce", "reason": "user unknown"}, False),
        ("SparkPost", {"msys": {"message_event": {"type": "bounce", "bounce_class": "22"}}}, True),
        ("SparkPost", {"msys": {"message_event": {"type": "bounce", "bounce_class": "10"}}}, False),
        ("Mailjet", {"event": "bounce", "hard_bounce": False}, False),
        ("Postmark", ["not", "the", "documented", "shape"], False),
    ],
)
def test_the_providers_own_temporary_marks_are_read(esp_name, esp_event, soft):
    assert provider_marks_soft(esp_name, esp_event) is soft
