"""The provider account is the installation's, its reports are not: a report about one
store's message touches only that store's message, suppression list and customer."""

import pytest

from regulars.commerce.models import ConsentChange
from regulars.messaging.models import MessageEvent, Suppression
from regulars.messaging.tests.provider_webhooks import (
    make_customer,
    post_postmark,
    postmark,
    sent_message,
    use_webhook_settings,
)


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    use_webhook_settings(settings)


def test_a_bounce_in_one_store_leaves_the_same_address_in_another_store_alone(
    client, store, other_store
):
    # The same person buys in both stores.
    ours = sent_message(store, make_customer(store), "883953f4-6105-42a2-a16a-77a8eac79483")
    theirs_customer = make_customer(other_store)
    theirs = sent_message(other_store, theirs_customer, "5a7f7e51-0c44-4be4-8f0e-2d0f0b1a7c11")

    post_postmark(client, postmark("postmark_bounce.json", ours))
    post_postmark(client, postmark("postmark_spam_complaint.json", ours))

    assert list(Suppression.objects.values_list("store_id", "address")) == [
        (store.pk, "ana@example.com")
    ]
    assert not Suppression.objects.filter(store=other_store).exists()
    theirs.refresh_from_db()
    theirs_customer.refresh_from_db()
    assert theirs.status == "sent"
    assert not MessageEvent.objects.filter(message=theirs).exists()
    assert theirs_customer.email_consent == "subscribed"
    assert not ConsentChange.objects.filter(customer=theirs_customer, state="unsubscribed").exists()


def test_a_message_id_shared_by_two_stores_touches_neither(client, store, other_store):
    shared = "883953f4-6105-42a2-a16a-77a8eac79483"
    ours = sent_message(store, make_customer(store), shared)
    theirs = sent_message(other_store, make_customer(other_store), shared)

    assert post_postmark(client, postmark("postmark_bounce.json", ours)).status_code == 200

    assert not Suppression.objects.exists()
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == ("sent", "sent")
