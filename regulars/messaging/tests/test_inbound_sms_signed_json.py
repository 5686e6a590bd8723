"""STOP and START from any gateway as signed JSON; store isolation; the rate limit."""

import pytest
import time_machine

from regulars.commerce.models import ConsentChange
from regulars.messaging.services.inbound import do_set_inbound_sms_secret
from regulars.messaging.tests.inbound_helpers import customer_with_phone, signed_json_post

PHONE = "+66812345678"


@pytest.fixture
def key(store, owner):
    return do_set_inbound_sms_secret(store, owner)


def test_a_signed_stop_unsubscribes_the_customer(client, store, key):
    customer = customer_with_phone(store, PHONE)

    response = signed_json_post(client, store, {"from": PHONE, "text": "stop"}, key)

    assert response.status_code == 200
    assert response.json() == {"status": "unsubscribed", "changed": 1}
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.sms_consent_source) == ("unsubscribed", "sms_stop")


def test_every_customer_with_the_number_is_unsubscribed(client, store, key):
    first = customer_with_phone(store, PHONE, external_id="c1")
    second = customer_with_phone(store, PHONE, external_id="c2")

    response = signed_json_post(client, store, {"from": PHONE, "text": "STOP"}, key)

    assert response.json() == {"status": "unsubscribed", "changed": 2}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.sms_consent, second.sms_consent) == ("unsubscribed", "unsubscribed")


def test_a_repeated_stop_changes_nothing_more(client, store, key):
    customer_with_phone(store, PHONE)
    signed_json_post(client, store, {"from": PHONE, "text": "STOP"}, key)
    changes = ConsentChange.objects.count()

    response = signed_json_post(client, store, {"from": PHONE, "text": "STOP"}, key)

    assert response.json() == {"status": "unsubscribed", "changed": 0}
    assert ConsentChange.objects.count() == changes


def test_a_signed_start_subscribes_again(client, store, key):
    customer = customer_with_phone(store, PHONE, sms="unsubscribed")

    response = signed_json_post(client, store, {"from": "+66 81 234 5678", "text": "START"}, key)

    assert response.json() == {"status": "subscribed", "changed": 1}
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.sms_consent_source) == ("subscribed", "sms_start")


def test_a_forged_signature_changes_nothing(client, store, key):
    customer = customer_with_phone(store, PHONE)
    changes = ConsentChange.objects.count()

    response = signed_json_post(
        client, store, {"from": PHONE, "text": "STOP"}, key, signature="sha256=" + "0" * 64
    )

    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"
    assert ConsentChange.objects.count() == changes


def test_a_body_that_is_not_the_expected_json_is_refused_naming_the_field(client, store, key):
    response = signed_json_post(client, store, {"from": PHONE}, key)

    assert response.status_code == 400
    assert response.json() == {"error": "'text' must be a string", "field": "text"}


def test_an_unknown_number_is_ignored(client, store, key):
    customer = customer_with_phone(store, PHONE)

    response = signed_json_post(client, store, {"from": "+15550001111", "text": "STOP"}, key)

    assert response.json() == {"status": "unsubscribed", "changed": 0}
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"


def test_a_sender_that_is_not_a_phone_number_is_ignored(client, store, key):
    response = signed_json_post(client, store, {"from": "SHORTCODE", "text": "STOP"}, key)

    assert response.json() == {"status": "ignored", "changed": 0}


def test_another_stores_endpoint_does_not_touch_this_stores_customer(
    client, store, key, other_store, outsider
):
    mine = customer_with_phone(store, PHONE)
    theirs = customer_with_phone(other_store, PHONE)
    other_key = do_set_inbound_sms_secret(other_store, outsider)

    response = signed_json_post(client, other_store, {"from": PHONE, "text": "STOP"}, other_key)

    assert response.json() == {"status": "unsubscribed", "changed": 1}
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.sms_consent, theirs.sms_consent) == ("subscribed", "unsubscribed")


def test_this_stores_key_is_refused_at_another_stores_endpoint(
    client, store, key, other_store, outsider
):
    do_set_inbound_sms_secret(other_store, outsider)
    theirs = customer_with_phone(other_store, PHONE)

    response = signed_json_post(client, other_store, {"from": PHONE, "text": "STOP"}, key)

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.sms_consent == "subscribed"


def test_too_many_requests_from_one_address_are_refused(client, store, key, settings):
    settings.REGULARS_INBOUND_SMS_RATE_LIMIT = 2
    customer = customer_with_phone(store, PHONE, sms="unsubscribed")

    # The clock stands still, so all three fall in one rate-limit window.
    with time_machine.travel("2026-03-01 12:00:10 +00:00", tick=False):
        statuses = [
            signed_json_post(client, store, {"from": PHONE, "text": "hello"}, key).status_code
            for _ in range(2)
        ]
        limited = signed_json_post(client, store, {"from": PHONE, "text": "START"}, key)

    assert statuses == [200, 200]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "50"
    customer.refresh_from_db()
    assert customer.sms_consent == "unsubscribed"
