"""Feedback · Settings: the auto-publish rating, blocked words, alert e-mails and reply time,
with errors beside their fields; the widget snippet to copy; the webhook URL (internal
addresses refused), its signing secret shown once, and "send a test" to a real receiver."""

import re

import pytest

from regulars.core.secrets import decrypt
from regulars.core.tests.http_receiver import running_http_receiver
from regulars.dashboard.tests.shop import url
from regulars.feedback.models import FeedbackSettings
from regulars.feedback.services.webhook import do_configure_feedback_webhook

pytestmark = pytest.mark.django_db


def test_the_settings_are_saved_cleaned(client, store, owner):
    client.force_login(owner)

    response = client.post(
        url("feedback_settings", store),
        {
            "auto_publish_min_rating": "0",
            "reply_within_hours": "6",
            "blocked_words": "Cheap Copy\n\ncheap copy\nbootleg",
            "alert_emails": "Care@Shop.example, boss@shop.example",
        },
    )

    assert response.status_code == 302
    row = FeedbackSettings.objects.get(store=store)
    assert (row.auto_publish_min_rating, row.reply_within_hours) == (0, 6)
    assert row.blocked_words == "cheap copy\nbootleg"
    assert row.alert_emails == "care@shop.example\nboss@shop.example"
    page = client.get(response["Location"]).content.decode()
    assert "The feedback settings are saved." in page


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"alert_emails": "care@shop.example\nnot an address"}, "alert_emails", "entry 2"),
        ({"reply_within_hours": "0"}, "reply_within_hours", "greater than or equal to 1"),
        ({"auto_publish_min_rating": "9"}, "auto_publish_min_rating", "Select a valid choice"),
    ],
)
def test_a_bad_value_is_shown_beside_its_field(client, store, owner, fields, field, words):
    client.force_login(owner)
    data = {"auto_publish_min_rating": "4", "reply_within_hours": "24", **fields}

    response = client.post(url("feedback_settings", store), data)

    assert response.status_code == 400
    html = response.content.decode()
    block = re.search(
        rf'<label class="field field--error">.*?name="{field}".*?</label>', html, re.S
    )
    assert block and words in block.group(0)
    assert not FeedbackSettings.objects.filter(store=store).exists()


def test_the_widget_snippet_names_the_stores_public_id(client, store, member):
    client.force_login(member)

    html = client.get(url("feedback_settings", store)).content.decode()

    assert (
        f'&lt;script src="http://127.0.0.1:8000/static/feedback/widget.js" '
        f'data-store="{store.public_id}" data-product="PRODUCT-ID" async&gt;&lt;/script&gt;'
    ) in html
    assert f"/f/w/{store.public_id}/PRODUCT-ID/" in html


def test_saving_the_webhook_shows_the_new_secret_once(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("feedback_webhook", store), {"enabled": "on", "url": "https://shop.example/feedback"}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    row = FeedbackSettings.objects.get(store=store)
    secret = decrypt(row.webhook_secret_encrypted)
    assert secret.startswith("whsec_")
    assert f'value="{secret}"' in response.content.decode()
    assert (row.webhook_enabled, row.webhook_url) == (True, "https://shop.example/feedback")
    later = client.get(url("feedback_settings", store)).content.decode()
    assert secret not in later
    assert row.webhook_secret_hint in later


def test_saving_again_keeps_the_secret(client, store, owner):
    first = do_configure_feedback_webhook(store, owner, url="https://shop.example/f", enabled=True)
    client.force_login(owner)

    response = client.post(url("feedback_webhook", store), {"url": "https://shop.example/g"})

    assert response.status_code == 302
    row = FeedbackSettings.objects.get(store=store)
    assert (row.webhook_enabled, row.webhook_url) == (False, "https://shop.example/g")
    assert decrypt(row.webhook_secret_encrypted) == first.new_secret


def test_an_internal_address_is_refused_beside_the_url(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("feedback_webhook", store), {"enabled": "on", "url": "https://192.168.1.20/hook"}
    )

    assert response.status_code == 400
    assert "a private network address" in response.content.decode()
    assert not FeedbackSettings.objects.filter(store=store).exclude(webhook_url="").exists()


def test_send_a_test_posts_a_signed_test_event(client, store, owner):
    client.force_login(owner)
    with running_http_receiver() as receiver:
        hook = do_configure_feedback_webhook(
            store, owner, url=f"{receiver.url}/hook", enabled=False
        )

        response = client.post(url("feedback_webhook_test", store))

        [request] = receiver.received
    assert response.status_code == 302
    assert request.json()["event"] == "feedback.test"
    assert request.json()["store"] == store.public_id
    from regulars.core.outbound import signature_matches

    assert signature_matches(hook.new_secret, request.body, request.header("X-Regulars-Signature"))
    assert (
        "The test event was accepted: HTTP 200."
        in client.get(url("feedback_settings", store)).content.decode()
    )
