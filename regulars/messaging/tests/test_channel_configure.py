"""Setting a channel up: each invalid value is refused naming its field, and nothing is saved;
secrets are stored encrypted and only their last characters are shown."""

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.models import ChannelConfig
from regulars.messaging.secrets import decrypt
from regulars.messaging.services.channels import channel_config, do_configure_channel

SMS_URL = "json://127.0.0.1:9/sms?:to={phone}"


def _refused(store, owner, **kwargs) -> RegularsError:
    with pytest.raises(RegularsError) as caught:
        do_configure_channel(store, owner, **kwargs)
    assert not ChannelConfig.objects.filter(store=store).exists()
    return caught.value


def test_email_is_saved_with_its_sender(store, owner):
    config = do_configure_channel(
        store,
        owner,
        channel="email",
        enabled=True,
        sender=" shop@vinyl.example ",
        sender_name="Vinyl Corner",
        reply_to="help@vinyl.example",
    )

    assert channel_config(store, "email") == config
    assert (config.sender, config.sender_name, config.reply_to) == (
        "shop@vinyl.example",
        "Vinyl Corner",
        "help@vinyl.example",
    )


def test_email_without_a_valid_sender_is_refused(store, owner):
    error = _refused(store, owner, channel="email", enabled=True, sender="not an address")

    assert error.field == "sender"
    assert error.message == "'not an address' is not an e-mail address."


def test_a_sender_name_on_two_lines_is_refused(store, owner):
    error = _refused(
        store, owner, channel="email", enabled=True, sender="a@b.example", sender_name="A\nBcc: x"
    )

    assert error.field == "sender_name"


def test_an_invalid_reply_to_is_refused(store, owner):
    error = _refused(
        store, owner, channel="email", enabled=True, sender="a@b.example", reply_to="nope"
    )

    assert error.field == "reply_to"


def test_an_unknown_channel_is_refused(store, owner):
    error = _refused(store, owner, channel="fax", enabled=True)

    assert error.field == "channel"


def test_an_sms_url_is_stored_encrypted_with_a_hint(store, owner):
    config = do_configure_channel(store, owner, channel="sms", enabled=True, secret=SMS_URL)

    assert config.new_secret == ""
    config.refresh_from_db()
    assert SMS_URL not in config.secret_encrypted
    assert decrypt(config.secret_encrypted) == SMS_URL
    assert config.secret_hint == "…one}"


def test_an_sms_url_without_the_phone_placeholder_is_refused(store, owner):
    error = _refused(store, owner, channel="sms", enabled=True, secret="json://127.0.0.1:9/sms")

    assert error.field == "secret"
    assert error.message.startswith("Put {phone} in the URL where the recipient goes")


def test_a_push_url_needs_one_of_the_customer_placeholders(store, owner):
    error = _refused(store, owner, channel="push", enabled=True, secret="ntfy://ntfy.sh/shop")

    assert error.field == "secret"
    assert error.message.startswith(
        "Put {phone} or {external_id} or {email} or {customer_id} in the URL"
    )


def test_a_push_url_with_the_external_id_is_accepted(store, owner):
    config = do_configure_channel(
        store, owner, channel="push", enabled=True, secret="ntfy://ntfy.sh/shop-{external_id}"
    )

    assert decrypt(config.secret_encrypted) == "ntfy://ntfy.sh/shop-{external_id}"


def test_a_url_apprise_does_not_know_is_refused(store, owner):
    error = _refused(store, owner, channel="sms", enabled=True, secret="nosuchservice://x/{phone}")

    assert error.field == "secret"
    assert error.message.startswith("Apprise does not accept this URL")


def test_apprises_reason_is_shown_without_the_token(store, owner):
    url = "twilio://AC0123456789abcdef0123456789abcdef:bad-t0ken@+15551230000/{phone}"

    error = _refused(store, owner, channel="sms", enabled=True, secret=url)

    assert error.field == "secret"
    assert "Twilio Authentication Token" in error.message
    assert "bad-t0ken" not in error.message


def test_apprises_refusal_does_not_reach_the_log_with_the_token(store, owner, caplog):
    url = "twilio://AC0123456789abcdef0123456789abcdef:bad-t0ken@+15551230000/{phone}"

    _refused(store, owner, channel="sms", enabled=True, secret=url)

    assert "bad-t0ken" not in caplog.text


def test_two_urls_are_refused(store, owner):
    error = _refused(
        store,
        owner,
        channel="sms",
        enabled=True,
        secret="json://127.0.0.1:9/a?:to={phone} json://127.0.0.1:9/b?:to={phone}",
    )

    assert error.field == "secret"
    assert error.message == "Give one Apprise URL, not several."


def test_an_enabled_sms_channel_needs_a_url(store, owner):
    error = _refused(store, owner, channel="sms", enabled=True)

    assert error.field == "secret"


def test_no_secret_keeps_the_stored_one_and_an_empty_one_clears_it(store, owner):
    do_configure_channel(store, owner, channel="sms", enabled=True, secret=SMS_URL)

    kept = do_configure_channel(store, owner, channel="sms", enabled=True, secret=None)
    assert decrypt(kept.secret_encrypted) == SMS_URL

    cleared = do_configure_channel(store, owner, channel="sms", enabled=False, secret="")
    cleared.refresh_from_db()
    assert (cleared.secret_encrypted, cleared.secret_hint, cleared.enabled) == ("", "", False)


def test_a_webhook_gets_a_generated_secret_shown_once(store, owner):
    config = do_configure_channel(
        store, owner, channel="webhook", enabled=True, url="https://hooks.example/regulars"
    )

    assert config.new_secret.startswith("whsec_")
    assert decrypt(config.secret_encrypted) == config.new_secret
    assert config.secret_hint == "…" + config.new_secret[-4:]

    again = do_configure_channel(
        store, owner, channel="webhook", enabled=True, url="https://hooks.example/regulars"
    )
    assert again.new_secret == ""
    assert decrypt(again.secret_encrypted) == config.new_secret


def test_a_webhook_over_plain_http_is_refused(store, owner):
    error = _refused(
        store, owner, channel="webhook", enabled=True, url="http://hooks.example/regulars"
    )

    assert error.field == "url"
    assert error.message == "Use an https:// URL: plain http is accepted only to this machine."


def test_a_webhook_over_http_to_this_machine_is_accepted(store, owner):
    config = do_configure_channel(
        store, owner, channel="webhook", enabled=True, url="http://127.0.0.1:8123/hook"
    )

    assert config.url == "http://127.0.0.1:8123/hook"


def test_a_webhook_over_http_is_accepted_in_debug(store, owner, settings):
    settings.DEBUG = True

    config = do_configure_channel(
        store, owner, channel="webhook", enabled=True, url="http://hooks.example/regulars"
    )

    assert config.url == "http://hooks.example/regulars"


def test_a_webhook_url_with_a_password_is_refused(store, owner):
    error = _refused(
        store, owner, channel="webhook", enabled=True, url="https://u:p@hooks.example/r"
    )

    assert error.field == "url"


def test_a_short_webhook_secret_is_refused(store, owner):
    error = _refused(
        store, owner, channel="webhook", enabled=True, url="https://h.example/r", secret="short"
    )

    assert error.field == "secret"


def test_a_viewer_cannot_set_a_channel_up(store, member):
    with pytest.raises(RegularsError) as caught:
        do_configure_channel(store, member, channel="sms", enabled=True, secret=SMS_URL)

    assert caught.value.code == "forbidden"
    assert not ChannelConfig.objects.filter(store=store).exists()


def test_an_outsider_cannot_set_up_another_stores_channel(store, outsider):
    with pytest.raises(RegularsError) as caught:
        do_configure_channel(store, outsider, channel="sms", enabled=True, secret=SMS_URL)

    assert caught.value.code == "forbidden"
    assert not ChannelConfig.objects.filter(store=store).exists()
