"""The key inbound SMS are signed with: set, generated, shown only as a hint, switched off."""

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.models import ChannelConfig
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.services.inbound import (
    do_set_inbound_sms_secret,
    inbound_secret,
    inbound_secret_hint,
    inbound_sms_url,
)
from regulars.messaging.tests.inbound_helpers import TWILIO_TOKEN


def test_a_pasted_twilio_token_is_kept_encrypted(store, owner):
    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)

    config = ChannelConfig.objects.get(store=store, channel="sms")
    assert TWILIO_TOKEN not in config.inbound_secret_encrypted
    assert inbound_secret(store) == TWILIO_TOKEN
    assert inbound_secret_hint(store) == "…cdef"
    # Setting the inbound key alone does not switch sending on.
    assert config.enabled is False


def test_no_key_given_generates_one_returned_once(store, owner):
    key = do_set_inbound_sms_secret(store, owner)

    assert key.startswith("whsec_")
    assert inbound_secret(store) == key


def test_setting_the_key_keeps_the_sms_url(store, owner):
    do_configure_channel(
        store, owner, channel="sms", enabled=True, secret="json://127.0.0.1:9/s?:to={phone}"
    )

    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)
    do_configure_channel(store, owner, channel="sms", enabled=True)

    config = ChannelConfig.objects.get(store=store, channel="sms")
    assert config.enabled is True
    assert config.secret_hint == "…one}"
    assert inbound_secret(store) == TWILIO_TOKEN


def test_an_empty_key_switches_inbound_sms_off(store, owner):
    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)

    do_set_inbound_sms_secret(store, owner, "")

    assert inbound_secret(store) == ""


def test_a_short_key_is_refused(store, owner):
    with pytest.raises(RegularsError) as caught:
        do_set_inbound_sms_secret(store, owner, "abc")

    assert caught.value.field == "inbound_secret"
    assert not ChannelConfig.objects.filter(store=store).exists()


def test_a_viewer_cannot_set_the_key(store, member):
    with pytest.raises(RegularsError) as caught:
        do_set_inbound_sms_secret(store, member, TWILIO_TOKEN)

    assert caught.value.code == "forbidden"
    assert not ChannelConfig.objects.filter(store=store).exists()


def test_the_address_to_give_the_provider_names_the_store_by_its_public_id(store, settings):
    settings.BASE_URL = "https://regulars.example"

    assert inbound_sms_url(store) == (
        f"https://regulars.example/messaging/inbound/sms/{store.public_id}/"
    )
