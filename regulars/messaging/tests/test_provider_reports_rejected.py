"""A provider that refuses to send: because of the address (bounced and suppressed), or for
a reason of its own or the sender's set-up (failed, the address stays usable)."""

import pytest

from regulars.messaging.models import Suppression
from regulars.messaging.tests.provider_webhooks import (
    make_customer,
    post_postmark,
    post_sparkpost,
    postmark,
    sent_message,
    sparkpost,
    use_webhook_settings,
)

POSTMARK_ID = "883953f4-6105-42a2-a16a-77a8eac79483"


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    use_webhook_settings(settings)


def test_a_refusal_of_a_malformed_address_suppresses_it_as_invalid(client, store):
    message = sent_message(store, make_customer(store), POSTMARK_ID)
    body = postmark(
        "postmark_bounce.json",
        message,
        Type="BadEmailAddress",
        TypeCode=100000,
        Name="Invalid email address",
        Description="The address is not a valid email address.",
        Details="Invalid 'To' address",
    )

    assert post_postmark(client, body).status_code == 200

    message.refresh_from_db()
    assert message.status == "bounced"
    assert message.status_reason == ("Postmark refused the address (invalid): Invalid 'To' address")
    suppression = Suppression.objects.get(store=store)
    assert (suppression.address, suppression.reason) == ("ana@example.com", "invalid")


def test_a_refusal_for_the_senders_dmarc_policy_fails_without_suppressing(client, store):
    message = sent_message(store, make_customer(store), POSTMARK_ID)
    body = postmark(
        "postmark_bounce.json",
        message,
        Type="DMARCPolicy",
        TypeCode=100009,
        Name="DMARC Policy",
        Description="The message was rejected because of the sender's DMARC policy.",
        Details="smtp;550 5.7.1 Unauthenticated email from example.com is not accepted",
    )

    assert post_postmark(client, body).status_code == 200

    message.refresh_from_db()
    assert message.status == "failed"
    assert message.status_reason == (
        "Postmark refused to send it: smtp;550 5.7.1 Unauthenticated email from example.com"
        " is not accepted"
    )
    assert not Suppression.objects.exists()


def test_a_receiver_blocking_the_message_as_spam_does_not_suppress_the_address(client, store):
    # SparkPost class 51 "Spam Block": the receiving server refused this message, not the
    # address.
    message = sent_message(store, make_customer(store), "84345317650824116")
    body = sparkpost(
        message,
        bounce_class="51",
        raw_reason="554 5.7.1 Message rejected as spam by Content Filtering",
    )

    assert post_sparkpost(client, body).status_code == 200

    message.refresh_from_db()
    assert message.status == "bounced"
    assert not Suppression.objects.exists()
