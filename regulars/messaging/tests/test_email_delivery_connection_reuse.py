"""A batch of e-mails goes over one SMTP session, not one connection per message."""

import pytest

from regulars.messaging.models import Message, MessageStatus, Purpose
from regulars.messaging.tests.email_delivery import BASE_URL, dispatch, make_customer, queue_email


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def test_twenty_messages_in_one_dispatch_use_one_smtp_session(store, smtp_server):
    addresses = [f"customer{n}@example.com" for n in range(20)]
    for address in addresses:
        queue_email(store, make_customer(store, address), purpose=Purpose.MARKETING)

    assert dispatch() == 20

    assert smtp_server.sessions == 1
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(addresses)
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 20


def test_after_a_transient_failure_the_rest_of_the_batch_goes_out_on_a_new_session(
    store, smtp_server
):
    # The sender drops a connection that answered 4xx (it may be broken) and opens another.
    first = queue_email(store, make_customer(store, "first@example.com"), priority=2)
    queue_email(store, make_customer(store, "second@example.com"), priority=1)
    smtp_server.refuse_next("RCPT", "451 4.3.0 try again later")

    assert dispatch() == 2

    assert smtp_server.sessions == 2
    assert [r.rcpt_tos for r in smtp_server.received] == [("second@example.com",)]
    first.refresh_from_db()
    assert (first.status, first.attempts) == (MessageStatus.QUEUED, 1)


def test_after_a_permanent_refusal_the_batch_continues_on_the_same_session(store, smtp_server):
    # smtplib resets the transaction (RSET) after a refused recipient; the session stays good.
    gone = queue_email(store, make_customer(store, "gone@example.com"), priority=2)
    queue_email(store, make_customer(store, "ada@example.com"), priority=1)
    smtp_server.refuse_next("RCPT", "550 5.1.1 no such user")

    assert dispatch() == 2

    assert smtp_server.sessions == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [("ada@example.com",)]
    gone.refresh_from_db()
    assert gone.status == MessageStatus.FAILED
