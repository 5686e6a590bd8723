"""The store's contact budget and consent options: defaults until saved, each value checked."""

from datetime import time

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.models import MessagingSettings
from regulars.messaging.services.channels import do_save_messaging_settings, messaging_settings


def test_a_store_that_saved_nothing_gets_the_defaults_unsaved(store):
    rules = messaging_settings(store)

    assert rules.pk is None
    assert rules.frequency_cap_hours == 16
    assert rules.webhook_consent_channel == "email"
    assert not MessagingSettings.objects.filter(store=store).exists()


def test_saving_keeps_what_was_given_and_the_defaults_for_the_rest(store, owner):
    do_save_messaging_settings(
        store, owner, frequency_cap_hours="24", quiet_start="22:30", double_opt_in=True
    )

    rules = messaging_settings(store)
    assert rules.pk is not None
    assert rules.frequency_cap_hours == 24
    assert rules.quiet_start == time(22, 30)
    assert rules.quiet_end == time(8, 0)
    assert rules.double_opt_in is True
    assert rules.quiet_hours_for_email is False


def test_saving_twice_updates_the_one_row(store, owner):
    do_save_messaging_settings(store, owner, frequency_cap_hours=24)
    do_save_messaging_settings(store, owner, webhook_consent_channel="sms")

    assert MessagingSettings.objects.filter(store=store).count() == 1
    rules = messaging_settings(store)
    assert (rules.frequency_cap_hours, rules.webhook_consent_channel) == (24, "sms")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"frequency_cap_hours": 0}, "frequency_cap_hours"),
        ({"frequency_cap_hours": 721}, "frequency_cap_hours"),
        ({"frequency_cap_hours": "a day"}, "frequency_cap_hours"),
        ({"quiet_start": "25:00"}, "quiet_start"),
        ({"quiet_end": "late"}, "quiet_end"),
        ({"quiet_start": "08:00"}, "quiet_end"),
        ({"double_opt_in": "perhaps"}, "double_opt_in"),
        ({"webhook_consent_channel": "webhook"}, "webhook_consent_channel"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_an_invalid_value_is_refused_naming_its_field(store, owner, fields, field):
    with pytest.raises(RegularsError) as caught:
        do_save_messaging_settings(store, owner, **fields)

    assert caught.value.field == field
    assert not MessagingSettings.objects.filter(store=store).exists()


def test_a_viewer_cannot_change_the_settings(store, member):
    with pytest.raises(RegularsError) as caught:
        do_save_messaging_settings(store, member, frequency_cap_hours=1)

    assert caught.value.code == "forbidden"
    assert not MessagingSettings.objects.filter(store=store).exists()


def test_one_stores_settings_do_not_change_anothers(store, owner, other_store, outsider):
    do_save_messaging_settings(other_store, outsider, frequency_cap_hours=48)

    assert messaging_settings(store).pk is None
    assert messaging_settings(store).frequency_cap_hours == 16
