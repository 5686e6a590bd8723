"""do_unsubscribe: withdraws one channel's consent, once, with its source in the audit trail."""

import pytest

from regulars.commerce.models import ConsentChange
from regulars.core.errors import RegularsError
from regulars.messaging.services.preferences import do_unsubscribe
from regulars.messaging.tests.link_pages import make_customer


def test_it_withdraws_one_channel_and_keeps_the_others(store):
    customer = make_customer(store, sms_consent="subscribed")
    assert do_unsubscribe(customer, "sms", source="one_click") is True
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.email_consent) == ("unsubscribed", "subscribed")
    change = ConsentChange.objects.get(customer=customer, channel="sms", source="one_click")
    assert (change.previous, change.state, change.store_id) == (
        "subscribed",
        "unsubscribed",
        store.pk,
    )


def test_it_is_idempotent(store):
    customer = make_customer(store)
    do_unsubscribe(customer, "email", source="one_click")
    assert do_unsubscribe(customer, "email", source="one_click") is False
    assert ConsentChange.objects.filter(customer=customer, state="unsubscribed").count() == 1


def test_it_refuses_a_channel_without_consent(store):
    customer = make_customer(store)
    with pytest.raises(RegularsError) as caught:
        do_unsubscribe(customer, "webhook", source="one_click")
    assert caught.value.field == "channel"
    assert not ConsentChange.objects.filter(customer=customer, state="unsubscribed").exists()
