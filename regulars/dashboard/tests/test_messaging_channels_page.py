"""Settings · Messaging: channels set up with their own fields, secrets never shown back in
full (the webhook's signing secret once, when generated), and the contact budget."""

import re
from datetime import time

import pytest

from regulars.dashboard.tests.shop import url
from regulars.messaging.models import ChannelConfig, MessagingSettings
from regulars.messaging.secrets import decrypt

pytestmark = pytest.mark.django_db

SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "abcdef0123456789abcdef0123456789"
TWILIO = f"twilio://{SID}:{TOKEN}@15551230000/{{phone}}"


def test_the_email_sender_is_saved(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("messaging_channels", store),
        {
            "channel": "email",
            "email-enabled": "on",
            "email-sender": "hello@vinylcorner.example",
            "email-sender_name": "Vinyl Corner",
            "email-reply_to": "help@vinylcorner.example",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("messaging_channels", store) + "#channel-email"
    config = ChannelConfig.objects.get(store=store, channel="email")
    assert (config.enabled, config.sender, config.sender_name, config.reply_to) == (
        True,
        "hello@vinylcorner.example",
        "Vinyl Corner",
        "help@vinylcorner.example",
    )


def test_a_bad_from_address_is_shown_beside_its_field(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("messaging_channels", store),
        {"channel": "email", "email-enabled": "on", "email-sender": "not an address"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "&#x27;not an address&#x27; is not an e-mail address." in html
    assert not ChannelConfig.objects.filter(store=store).exists()


def test_an_apprise_url_is_kept_encrypted_and_shown_only_by_its_end(client, store, admin):
    client.force_login(admin)

    client.post(
        url("messaging_channels", store),
        {"channel": "sms", "sms-enabled": "on", "sms-secret": TWILIO},
    )
    html = client.get(url("messaging_channels", store)).content.decode()

    config = ChannelConfig.objects.get(store=store, channel="sms")
    assert decrypt(config.secret_encrypted) == TWILIO
    assert TOKEN not in html and SID not in html
    assert f"<code>{config.secret_hint}</code>" in html
    assert config.secret_hint == "…one}"


def test_saving_again_without_a_url_keeps_the_saved_one(client, store, admin):
    client.force_login(admin)
    client.post(
        url("messaging_channels", store),
        {"channel": "sms", "sms-enabled": "on", "sms-secret": TWILIO},
    )

    client.post(url("messaging_channels", store), {"channel": "sms", "sms-secret": ""})

    config = ChannelConfig.objects.get(store=store, channel="sms")
    assert config.enabled is False
    assert decrypt(config.secret_encrypted) == TWILIO


def test_an_apprise_url_without_the_recipient_is_refused(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("messaging_channels", store),
        {"channel": "whatsapp", "whatsapp-enabled": "on", "whatsapp-secret": "json://x.example/"},
    )

    assert response.status_code == 400
    assert "Put {phone} in the URL where the recipient goes" in response.content.decode()
    assert not ChannelConfig.objects.filter(store=store).exists()


def test_the_webhook_secret_is_shown_once_when_generated(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("messaging_channels", store),
        {"channel": "webhook", "webhook-enabled": "on", "webhook-url": "https://hooks.example/r"},
    )

    html = response.content.decode()
    config = ChannelConfig.objects.get(store=store, channel="webhook")
    secret = decrypt(config.secret_encrypted)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert f'value="{secret}"' in html
    assert secret.startswith("whsec_")
    later = client.get(url("messaging_channels", store)).content.decode()
    assert secret not in later
    assert f"<code>{config.secret_hint}</code>" in later


def test_a_new_webhook_secret_replaces_the_old_one(client, store, admin):
    client.force_login(admin)
    data = {"channel": "webhook", "webhook-enabled": "on", "webhook-url": "https://hooks.example/r"}
    client.post(url("messaging_channels", store), data)
    first = decrypt(ChannelConfig.objects.get(store=store).secret_encrypted)

    kept = client.post(url("messaging_channels", store), data)
    renewed = client.post(url("messaging_channels", store), {**data, "webhook-new_secret": "on"})

    second = decrypt(ChannelConfig.objects.get(store=store).secret_encrypted)
    assert kept.status_code == 302
    assert renewed.status_code == 200
    assert second != first
    assert second in renewed.content.decode()


def test_the_apprise_help_lists_the_placeholders_and_links_the_services(client, store, member):
    client.force_login(member)

    html = client.get(url("messaging_channels", store)).content.decode()

    for name in ("phone", "email", "external_id", "customer_id"):
        assert f"<li><code>{{{name}}}</code>" in html
    assert 'href="https://appriseit.com/services/"' in html


def test_the_contact_budget_is_saved(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("messaging_budget", store),
        {
            "frequency_cap_hours": "24",
            "quiet_start": "22:00",
            "quiet_end": "07:30",
            "quiet_hours_for_email": "on",
            "double_opt_in": "on",
            "webhook_consent_channel": "push",
        },
    )

    assert response.status_code == 302
    rules = MessagingSettings.objects.get(store=store)
    assert (rules.frequency_cap_hours, rules.quiet_start, rules.quiet_end) == (
        24,
        time(22, 0),
        time(7, 30),
    )
    assert (rules.quiet_hours_for_email, rules.double_opt_in) == (True, True)
    assert rules.webhook_consent_channel == "push"


def test_the_budget_shows_the_defaults_before_it_is_saved(client, store, owner):
    client.force_login(owner)

    html = client.get(url("messaging_channels", store)).content.decode()

    assert re.search(r'name="frequency_cap_hours" value="16"', html)
    assert 'name="quiet_start" value="21:00"' in html
    assert 'name="quiet_end" value="08:00"' in html


def test_quiet_hours_starting_and_ending_together_are_refused(client, store, admin):
    client.force_login(admin)

    response = client.post(
        url("messaging_budget", store),
        {
            "frequency_cap_hours": "16",
            "quiet_start": "21:00",
            "quiet_end": "21:00",
            "webhook_consent_channel": "email",
        },
    )

    assert response.status_code == 400
    assert "Quiet hours must start and end at different times." in response.content.decode()
    assert not MessagingSettings.objects.filter(store=store).exists()


def test_a_viewer_reads_the_set_up_without_forms(client, store, member):
    client.force_login(member)

    html = client.get(url("messaging_channels", store)).content.decode()

    assert "Admins and owners can change the channels." in html
    assert "Send me a test" not in html
    assert "Save contact budget" not in html
    assert "one marketing message per 16 h" in html
