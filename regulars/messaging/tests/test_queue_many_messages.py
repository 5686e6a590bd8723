"""A send to many customers at once: each gets their own rendering in their own language,
logged like a single message, and the dispatcher sends them all."""

import pytest
from django.core import mail

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.core.errors import RegularsError
from regulars.messaging.models import Message, MessageEvent, MessageStatus
from regulars.messaging.services.sending import dispatch_due, do_queue_messages
from regulars.messaging.services.templates import do_save_template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def templates(store, owner):
    for language, greeting in (("en", "Hello"), ("th", "สวัสดี")):
        do_save_template(
            store,
            owner,
            key="news",
            channel="email",
            language=language,
            purpose="marketing",
            name="News",
            subject=f"{greeting} {{{{ customer.first_name }}}}",
            body_html="<p>{{ data.line }}</p>",
            body_text="",
        )


def _customer(store, n, language):
    return upsert_customer(
        store,
        CustomerIn(
            external_id=f"c{n}",
            email=f"c{n}@example.com",
            first_name=f"N{n}",
            language=language,
            email_consent="subscribed",
        ),
        source="api",
    ).obj


def test_each_customer_gets_their_own_rendering_in_their_language(store, templates):
    customers = [_customer(store, 1, "en"), _customer(store, 2, "th"), _customer(store, 3, "")]

    messages = do_queue_messages(
        store,
        customers,
        channel="email",
        purpose="marketing",
        template_key="news",
        context_for=lambda c: {"data": {"line": f"for {c.first_name}"}},
        source="campaign:1",
    )

    assert [(m.subject, m.language) for m in messages] == [
        ("Hello N1", "en"),
        ("สวัสดี N2", "th"),
        ("Hello N3", "en"),
    ]
    assert [m.body_text for m in Message.objects.order_by("pk")] == ["for N1", "for N2", "for N3"]
    assert MessageEvent.objects.filter(status=MessageStatus.QUEUED).count() == 3

    assert dispatch_due() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "c1@example.com",
        "c2@example.com",
        "c3@example.com",
    ]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_a_customer_of_another_store_stops_the_whole_send(store, other_store, templates):
    outsider = upsert_customer(other_store, CustomerIn(email="x@example.com"), source="api").obj

    with pytest.raises(RegularsError, match="another store"):
        do_queue_messages(
            store,
            [_customer(store, 1, "en"), outsider],
            channel="email",
            purpose="marketing",
            template_key="news",
        )

    assert not Message.objects.exists()
