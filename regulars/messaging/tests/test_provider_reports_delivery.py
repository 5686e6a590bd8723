"""A provider's delivery report moves a sent e-mail to delivered, once."""

from datetime import UTC, datetime

import pytest

from regulars.messaging.models import MessageEvent
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


def test_a_postmark_delivery_marks_the_message_delivered(client, store):
    message = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")

    response = post_postmark(client, postmark("postmark_delivery.json", message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "delivered"
    assert message.delivered_at == datetime(2019, 11, 5, 16, 33, 54, 907025, tzinfo=UTC)
    event = MessageEvent.objects.get(message=message, status="delivered")
    assert event.at == message.delivered_at


def test_a_mailgun_delivery_finds_the_message_by_its_angle_bracketed_id(client, store):
    message = sent_message(
        store, make_customer(store), "<20180812211713.1.DF5966851B4BAA99@example.org>"
    )

    response = post_mailgun(client, mailgun("mailgun_delivered.json", message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "delivered"
    assert message.delivered_at == datetime(2018, 8, 12, 21, 17, 17, 153125, tzinfo=UTC)


def test_the_same_delivery_report_twice_logs_one_event(client, store):
    message = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")
    body = postmark("postmark_delivery.json", message)

    assert post_postmark(client, body).status_code == 200
    assert post_postmark(client, body).status_code == 200

    message.refresh_from_db()
    assert message.status == "delivered"
    assert MessageEvent.objects.filter(message=message, status="delivered").count() == 1


def test_a_late_delivery_report_never_moves_a_bounced_message_back(client, store):
    message = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")
    post_postmark(client, postmark("postmark_bounce.json", message))

    response = post_postmark(client, postmark("postmark_delivery.json", message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "bounced"
    assert message.delivered_at is None
    assert not MessageEvent.objects.filter(message=message, status="delivered").exists()


def test_a_report_about_an_unknown_message_is_answered_and_ignored(client, store, caplog):
    message = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")
    body = postmark("postmark_delivery.json", message, MessageID="not-one-of-ours")

    with caplog.at_level("INFO", logger="regulars.messaging.services.reports"):
        response = post_postmark(client, body)

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "sent"
    assert not MessageEvent.objects.filter(message=message).exists()
    assert "Postmark delivered report about message 'not-one-of-ours': no such e-mail here" in (
        caplog.text
    )


def test_a_report_naming_another_recipient_than_the_message_is_ignored(client, store):
    message = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")
    body = postmark("postmark_delivery.json", message, Recipient="someone-else@example.com")

    response = post_postmark(client, body)

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "sent"
    assert not MessageEvent.objects.filter(message=message).exists()
