"""Every change of a customer's marketing consent leaves an audit row: channel, old and new
state, source, the words agreed to, the staff user, the time. Unchanged consent leaves none."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.models import Consent, ConsentChange
from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import do_set_consent, upsert_customer

pytestmark = pytest.mark.django_db

AGREED = "Yes, text me offers from Vinyl Corner. Reply STOP to opt out."


def test_a_consent_change_keeps_the_words_agreed_to_and_who_made_it(store, owner):
    customer = upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj
    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    assert do_set_consent(
        customer,
        channel="whatsapp",
        state="subscribed",
        source="dashboard",
        at=at,
        text=AGREED,
        actor=owner,
    )

    change = ConsentChange.objects.get(customer=customer)
    assert (change.store_id, change.channel, change.previous, change.state) == (
        store.pk,
        "whatsapp",
        Consent.UNKNOWN,
        Consent.SUBSCRIBED,
    )
    assert (change.source, change.text, change.actor, change.at) == ("dashboard", AGREED, owner, at)
    customer.refresh_from_db()
    assert (customer.whatsapp_consent, customer.whatsapp_consent_at) == (Consent.SUBSCRIBED, at)


def test_setting_the_same_consent_again_writes_no_audit_row(store):
    customer = upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj
    do_set_consent(customer, channel="push", state="unsubscribed", source="app")

    assert not do_set_consent(customer, channel="push", state="unsubscribed", source="app")

    assert ConsentChange.objects.filter(customer=customer).count() == 1


def test_an_upsert_that_carries_consent_is_audited_per_channel(store):
    customer = upsert_customer(
        store,
        CustomerIn(
            external_id="7",
            email="ana@example.com",
            email_consent="subscribed",
            sms_consent="subscribed",
        ),
        source="shopify",
    ).obj
    upsert_customer(
        store,
        CustomerIn(external_id="7", email_consent="unsubscribed", sms_consent="subscribed"),
        source="shopify",
    )

    changes = list(
        ConsentChange.objects.filter(customer=customer)
        .order_by("pk")
        .values_list("channel", "previous", "state", "source")
    )
    assert changes == [
        ("email", "unknown", "subscribed", "shopify"),
        ("sms", "unknown", "subscribed", "shopify"),
        ("email", "subscribed", "unsubscribed", "shopify"),
    ]


def test_an_unknown_consent_channel_is_refused_and_nothing_is_written(store):
    customer = upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj

    with pytest.raises(ValueError, match="unknown consent channel 'fax'"):
        do_set_consent(customer, channel="fax", state="subscribed", source="api")

    assert not ConsentChange.objects.exists()
