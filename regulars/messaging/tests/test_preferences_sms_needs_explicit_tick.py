"""SMS and WhatsApp are subscribed only by an explicit tick, never by default."""

import pytest

from regulars.commerce.models import ConsentChange
from regulars.core.errors import RegularsError
from regulars.messaging import links
from regulars.messaging.services.preferences import consent_texts, do_save_preferences
from regulars.messaging.tests.link_pages import make_customer, path_of


def test_saving_without_ticking_sms_leaves_it_unsubscribed(client, store):
    customer = make_customer(store)
    page = client.get(path_of(links.preferences_url(customer))).content.decode()
    assert 'value="sms" checked' not in page
    assert 'value="whatsapp" checked' not in page
    client.post(path_of(links.preferences_url(customer)), data={"channel": ["email"]})
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.whatsapp_consent) == ("unknown", "unknown")
    assert not ConsentChange.objects.filter(customer=customer, channel__in=["sms", "whatsapp"])


def test_ticking_sms_subscribes_with_the_wording_beside_the_box(client, store):
    customer = make_customer(store)
    client.post(path_of(links.preferences_url(customer)), data={"channel": ["email", "sms"]})
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.sms_consent_source) == ("subscribed", "preference_page")
    assert customer.whatsapp_consent == "unknown"
    change = ConsentChange.objects.get(customer=customer, channel="sms")
    assert change.text == (
        "I agree to receive marketing text messages from Vinyl Corner at my phone number. "
        "Message frequency varies. Message and data rates may apply. Reply STOP to opt out."
    )


def test_unticking_sms_unsubscribes(client, store):
    customer = make_customer(store, sms_consent="subscribed")
    client.post(path_of(links.preferences_url(customer)), data={"channel": ["email"]})
    customer.refresh_from_db()
    assert customer.sms_consent == "unsubscribed"


def test_the_service_subscribes_only_on_an_explicit_true(store):
    customer = make_customer(store)
    texts = consent_texts(store)
    with pytest.raises(RegularsError) as caught:
        do_save_preferences(customer, {"sms": "yes"}, source="test", texts=texts)
    assert caught.value.field == "sms"
    changed = do_save_preferences(customer, {"email": True}, source="test", texts=texts)
    assert changed == {}
    customer.refresh_from_db()
    assert customer.sms_consent == "unknown"
    assert not ConsentChange.objects.filter(customer=customer, channel="sms").exists()


def test_the_service_refuses_a_subscription_without_the_words_agreed_to(store):
    customer = make_customer(store)
    with pytest.raises(RegularsError) as caught:
        do_save_preferences(customer, {"whatsapp": True}, source="test", texts={"whatsapp": " "})
    assert caught.value.field == "whatsapp"
    assert "consent text" in caught.value.message
    customer.refresh_from_db()
    assert customer.whatsapp_consent == "unknown"


def test_the_service_refuses_an_unknown_channel(store):
    customer = make_customer(store)
    with pytest.raises(RegularsError) as caught:
        do_save_preferences(customer, {"fax": True}, source="test", texts={"fax": "yes"})
    assert caught.value.field == "channel"
    assert not ConsentChange.objects.filter(customer=customer).exclude(source="api").exists()
