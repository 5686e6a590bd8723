"""Signed links: each purpose reads only its own tokens, and nothing in a token can be changed."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from regulars.messaging import links
from regulars.messaging.tests.link_pages import make_customer


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def _other_character(token: str, index: int) -> str:
    return token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]


def test_each_link_is_absolute_under_the_base_url(store):
    customer = make_customer(store)
    assert links.unsubscribe_url(customer, "email").startswith(f"{settings.BASE_URL}/messaging/u/")
    assert links.preferences_url(customer).startswith(f"{settings.BASE_URL}/messaging/p/")
    assert links.confirm_url(customer).startswith(f"{settings.BASE_URL}/messaging/confirm/")
    assert links.tracked_url("tok", "https://shop.example/").startswith(
        f"{settings.BASE_URL}/messaging/c/"
    )


def test_a_link_reads_back_as_the_store_customer_and_channel_it_was_made_for(store):
    customer = make_customer(store)
    unsubscribe = links.read_unsubscribe(_token(links.unsubscribe_url(customer, "sms")))
    assert unsubscribe == links.CustomerLink(store.pk, customer.pk, "sms")
    assert links.read_preferences(_token(links.preferences_url(customer))) == links.CustomerLink(
        store.pk, customer.pk
    )
    assert links.read_confirm(_token(links.confirm_url(customer))) == links.CustomerLink(
        store.pk, customer.pk
    )
    tracked = links.read_tracked(_token(links.tracked_url("msg-token", "https://a.example/x?y=1")))
    assert tracked == links.TrackedLink("msg-token", "https://a.example/x?y=1")


def test_tokens_are_compact(store):
    customer = make_customer(store)
    assert len(_token(links.unsubscribe_url(customer, "whatsapp"))) < 80
    assert len(_token(links.preferences_url(customer))) < 70
    assert len(_token(links.confirm_url(customer))) < 80


def test_it_rejects_a_token_with_one_character_changed(store):
    customer = make_customer(store)
    token = _token(links.unsubscribe_url(customer, "email"))
    for index in (0, len(token) // 2, len(token) - 1):
        with pytest.raises(links.BadLink):
            links.read_unsubscribe(_other_character(token, index))


def test_it_rejects_a_forged_token():
    for forged in ("WzEsMSwiZW1haWwiXQ:forged", "", "abc", "a:b:c", "%%%:%%%"):
        with pytest.raises(links.BadLink) as caught:
            links.read_unsubscribe(forged)
        assert caught.value.code == "not_found"


def test_a_token_is_refused_for_another_purpose(store):
    customer = make_customer(store)
    preferences_token = _token(links.preferences_url(customer))
    unsubscribe_token = _token(links.unsubscribe_url(customer, "email"))
    with pytest.raises(links.BadLink):
        links.read_unsubscribe(preferences_token)
    with pytest.raises(links.BadLink):
        links.read_confirm(preferences_token)
    with pytest.raises(links.BadLink):
        links.read_preferences(unsubscribe_token)
    with pytest.raises(links.BadLink):
        links.read_tracked(unsubscribe_token)


def test_a_token_signed_with_another_secret_key_is_refused(store, settings):
    customer = make_customer(store)
    token = _token(links.preferences_url(customer))
    settings.SECRET_KEY = "another-installation-entirely-0123456789"
    with pytest.raises(links.BadLink):
        links.read_preferences(token)


def test_unsubscribe_and_preference_links_never_expire(store):
    customer = make_customer(store)
    unsubscribe = _token(links.unsubscribe_url(customer, "email"))
    preferences = _token(links.preferences_url(customer))
    with time_machine.travel(timezone.now() + timedelta(days=3650), tick=False):
        assert links.read_unsubscribe(unsubscribe).customer_id == customer.pk
        assert links.read_preferences(preferences).customer_id == customer.pk


def test_a_confirm_link_lasts_seven_days(store):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        customer = make_customer(store)
        token = _token(links.confirm_url(customer))
    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        assert links.read_confirm(token).customer_id == customer.pk
    with (
        time_machine.travel(start + timedelta(days=7, seconds=1), tick=False),
        pytest.raises(links.BadLink),
    ):
        links.read_confirm(token)


def test_only_consent_channels_get_unsubscribe_links(store):
    customer = make_customer(store)
    with pytest.raises(ValueError, match="webhook"):
        links.unsubscribe_url(customer, "webhook")


def test_only_http_destinations_can_be_tracked():
    for url in ("javascript:alert(1)", "mailto:ana@example.com", "//evil.example/", "data:x"):
        with pytest.raises(ValueError, match="only http and https"):
            links.tracked_url("tok", url)


def test_a_link_names_the_store_of_the_customer_it_was_made_for(store, other_store):
    customer = make_customer(store)
    # A link made (correctly signed) for a customer id under the wrong store names that store.
    mismatched = SimpleNamespace(store_id=other_store.pk, pk=customer.pk)
    link = links.read_preferences(_token(links.preferences_url(mismatched)))
    assert link == links.CustomerLink(other_store.pk, customer.pk)
