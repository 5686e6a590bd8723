"""One dispatch serves many stores: each store's e-mail carries that store's sender, and one
store's suppression list does not stop another store's mail to the same address."""

import pytest

from regulars.messaging.models import Channel, MessageStatus, Purpose, SuppressionReason
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.services.sending import do_suppress
from regulars.messaging.tests.email_delivery import BASE_URL, dispatch, make_customer, queue_email


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "mail@regulars.example"


def _sender(email) -> tuple[str, str]:
    [address] = email["From"].addresses
    return address.display_name, address.addr_spec


def test_each_stores_email_is_sent_with_that_stores_sender(
    store, other_store, outsider, smtp_server
):
    do_configure_channel(
        other_store,
        outsider,
        channel=Channel.EMAIL,
        enabled=True,
        sender="hello@bangkokbeats.example",
        sender_name="Bangkok Beats Records",
    )
    queue_email(store, make_customer(store, "ada@example.com"), subject="From Vinyl Corner")
    queue_email(
        other_store, make_customer(other_store, "ada@example.com"), subject="From Bangkok Beats"
    )

    assert dispatch() == 2

    by_subject = {email["Subject"]: email for email in smtp_server.messages()}
    # No e-mail set-up: the store's name and the installation's address.
    assert _sender(by_subject["From Vinyl Corner"]) == ("Vinyl Corner", "mail@regulars.example")
    assert _sender(by_subject["From Bangkok Beats"]) == (
        "Bangkok Beats Records",
        "hello@bangkokbeats.example",
    )
    assert by_subject["From Bangkok Beats"]["Message-ID"].endswith("@bangkokbeats.example>")
    envelopes = {r.parsed()["Subject"]: r.mail_from for r in smtp_server.received}
    assert envelopes == {
        "From Vinyl Corner": "mail@regulars.example",
        "From Bangkok Beats": "hello@bangkokbeats.example",
    }


def test_a_suppression_in_one_store_does_not_stop_another_stores_email(
    store, other_store, smtp_server
):
    ours = make_customer(store, "ada@example.com")
    theirs = make_customer(other_store, "ada@example.com")
    do_suppress(
        store, channel=Channel.EMAIL, address="ada@example.com", reason=SuppressionReason.MANUAL
    )
    suppressed = queue_email(store, ours, purpose=Purpose.TRANSACTIONAL, subject="Vinyl Corner")
    delivered = queue_email(
        other_store, theirs, purpose=Purpose.TRANSACTIONAL, subject="Bangkok Beats"
    )

    assert dispatch() == 2

    assert [email["Subject"] for email in smtp_server.messages()] == ["Bangkok Beats"]
    suppressed.refresh_from_db()
    delivered.refresh_from_db()
    assert suppressed.status == MessageStatus.SUPPRESSED
    assert suppressed.status_reason == "the address is on the suppression list"
    assert delivered.status == MessageStatus.SENT
