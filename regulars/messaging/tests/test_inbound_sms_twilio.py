"""STOP and START replies forwarded by Twilio, verified with X-Twilio-Signature."""

import pytest

from regulars.commerce.models import ConsentChange
from regulars.commerce.services import do_set_consent
from regulars.messaging.inbound import EMPTY_TWIML
from regulars.messaging.services.inbound import do_set_inbound_sms_secret
from regulars.messaging.tests.inbound_helpers import (
    TWILIO_TOKEN,
    customer_with_phone,
    twilio_post,
    twilio_signature,
    twilio_sms,
)

PHONE = "+15551234567"


@pytest.fixture
def twilio_store(store, owner):
    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)
    return store


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "  Unsubscribe ", "CANCEL", "end", "QUIT", "StopAll"]
)
def test_a_stop_keyword_unsubscribes_the_customer(client, twilio_store, word):
    customer = customer_with_phone(twilio_store, PHONE)

    response = twilio_post(client, twilio_store, twilio_sms(PHONE, word))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.decode() == EMPTY_TWIML
    customer.refresh_from_db()
    assert customer.sms_consent == "unsubscribed"
    assert customer.sms_consent_source == "sms_stop"
    change = ConsentChange.objects.filter(customer=customer).latest("pk")
    assert (change.channel, change.state, change.previous, change.source, change.text) == (
        "sms",
        "unsubscribed",
        "subscribed",
        "sms_stop",
        "",
    )


@pytest.mark.parametrize("word", ["START", "yes", "Unstop"])
def test_a_start_keyword_subscribes_again_keeping_the_words(client, twilio_store, word):
    customer = customer_with_phone(twilio_store, PHONE, sms="unsubscribed")

    response = twilio_post(client, twilio_store, twilio_sms(PHONE, f" {word} "))

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"
    assert customer.sms_consent_source == "sms_start"
    change = ConsentChange.objects.filter(customer=customer).latest("pk")
    assert (change.state, change.source, change.text) == ("subscribed", "sms_start", word)


def test_a_forged_signature_changes_nothing(client, twilio_store):
    customer = customer_with_phone(twilio_store, PHONE)
    changes_before = ConsentChange.objects.count()

    response = twilio_post(
        client, twilio_store, twilio_sms(PHONE, "STOP"), token="ffffffffffffffffffffffffffffffff"
    )

    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"
    assert ConsentChange.objects.count() == changes_before


def test_a_missing_signature_is_not_taken_for_twilio_and_changes_nothing(client, twilio_store):
    customer = customer_with_phone(twilio_store, PHONE)

    response = client.post(
        f"/messaging/inbound/sms/{twilio_store.public_id}/",
        data="From=%2B15551234567&Body=STOP",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"


def test_a_signature_for_other_parameters_changes_nothing(client, twilio_store):
    customer = customer_with_phone(twilio_store, PHONE)
    # Signed for "START", sent with "STOP": the body was altered on the way.
    signature = twilio_signature(twilio_store, twilio_sms(PHONE, "START"))

    response = twilio_post(client, twilio_store, twilio_sms(PHONE, "STOP"), signature=signature)

    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"


def test_any_other_text_is_ignored(client, twilio_store):
    customer = customer_with_phone(twilio_store, PHONE)
    changes_before = ConsentChange.objects.count()

    response = twilio_post(client, twilio_store, twilio_sms(PHONE, "Stop sending me jazz"))

    assert response.status_code == 200
    assert response.content.decode() == EMPTY_TWIML
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"
    assert ConsentChange.objects.count() == changes_before


def test_a_whatsapp_stop_unsubscribes_whatsapp_not_sms(client, twilio_store):
    customer = customer_with_phone(twilio_store, PHONE)
    do_set_consent(customer, channel="whatsapp", state="subscribed", source="checkout")

    response = twilio_post(client, twilio_store, twilio_sms(f"whatsapp:{PHONE}", "STOP"))

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.whatsapp_consent, customer.sms_consent) == ("unsubscribed", "subscribed")


def test_a_store_without_an_inbound_key_refuses_every_request(client, store):
    customer = customer_with_phone(store, PHONE)

    response = twilio_post(client, store, twilio_sms(PHONE, "STOP"))

    assert response.status_code == 403
    assert response.json()["error"] == "inbound SMS is not set up for this store"
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"


def test_an_unknown_store_address_is_not_found(client, db):
    response = client.post(
        "/messaging/inbound/sms/no-such-store/",
        data="From=%2B15551234567&Body=STOP",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 404


def test_only_post_is_accepted(client, twilio_store):
    response = client.get(f"/messaging/inbound/sms/{twilio_store.public_id}/")

    assert response.status_code == 405
