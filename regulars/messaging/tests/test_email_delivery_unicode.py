"""Thai and Armenian text survives the trip through SMTP: the subject RFC 2047 encoded in
UTF-8, both bodies declared utf-8 and decoding to exactly what was written."""

import re

import pytest

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.models import Channel, MessageStatus, Purpose
from regulars.messaging.services.channels import do_configure_channel
from regulars.messaging.services.sending import do_queue_message
from regulars.messaging.services.templates import do_save_template
from regulars.messaging.tests.email_delivery import BASE_URL, dispatch, make_customer, queue_email

THAI = "ขอบคุณสำหรับคำสั่งซื้อของคุณ"
ARMENIAN = "Շնորհակալություն ձեր պատվերի համար"
# An encoded word of RFC 2047: =?charset?encoding?text?=
ENCODED_WORD = re.compile(r"=\?([^?]+)\?([bBqQ])\?[^?]*\?=")


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def _raw_header(raw: bytes, name: str) -> str:
    """The header as it went over the wire, its folded lines joined."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    match = re.search(rf"^{name}:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", head, re.M)
    return match.group(1).replace("\r\n", "")


def test_thai_and_armenian_arrive_intact_in_the_subject_and_both_bodies(store, smtp_server):
    customer = make_customer(store, "somchai@example.com", first_name="สมชาย")
    message = queue_email(
        store,
        customer,
        purpose=Purpose.TRANSACTIONAL,
        subject=f"{THAI} / {ARMENIAN}",
        body_text=f"{THAI}\n{ARMENIAN}",
        body_html=f"<p>{THAI}</p><p>{ARMENIAN}</p>",
    )

    assert dispatch() == 1

    [received] = smtp_server.received
    raw_subject = _raw_header(received.raw, "Subject")
    words = ENCODED_WORD.findall(raw_subject)
    assert words, raw_subject
    assert {(charset.lower(), encoding.lower()) for charset, encoding in words} == {("utf-8", "b")}
    assert ENCODED_WORD.sub("", raw_subject).strip() == ""  # nothing left unencoded
    email = received.parsed()
    # Django folds before the first encoded word; the parser keeps that folding space.
    assert email["Subject"].lstrip() == f"{THAI} / {ARMENIAN}"
    plain, html = email.iter_parts()
    for part in (plain, html):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "8bit"
    assert plain.get_content() == f"{THAI}\n{ARMENIAN}"
    assert html.get_content() == f"<p>{THAI}</p><p>{ARMENIAN}</p>"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.subject == f"{THAI} / {ARMENIAN}"


def test_a_long_thai_line_is_quoted_printable_and_still_decodes_intact(store, smtp_server):
    # SMTP forbids lines over 998 bytes; a one-line HTML body in Thai (3 bytes a letter) is
    # longer, so the backend must encode it rather than send it raw.
    customer = make_customer(store, "somchai@example.com")
    long_html = "<p>" + " ".join([THAI] * 20) + "</p>"
    assert len(long_html.encode()) > 998
    queue_email(store, customer, purpose=Purpose.TRANSACTIONAL, body_html=long_html)

    assert dispatch() == 1

    [received] = smtp_server.received
    assert max(len(line) for line in received.raw.split(b"\r\n")) <= 998
    html = received.parsed().get_body(preferencelist=("html",))
    assert html.get_content_charset() == "utf-8"
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert html.get_content() == long_html


def test_a_template_in_armenian_renders_the_customers_name_and_arrives_intact(
    store, owner, smtp_server
):
    do_save_template(
        store,
        owner,
        key="thanks",
        channel=Channel.EMAIL,
        language="hy",
        purpose=Purpose.TRANSACTIONAL,
        name="Thanks",
        subject="{{ customer.first_name }}, " + ARMENIAN,
        body_html="<p>{{ customer.first_name }}, " + ARMENIAN + "</p>",
        body_text="",
    )
    customer = make_customer(store, "anahit@example.com", first_name="Անահիտ", language="hy")
    do_queue_message(
        store, customer, channel=Channel.EMAIL, purpose=Purpose.TRANSACTIONAL, template_key="thanks"
    )

    assert dispatch() == 1

    [email] = smtp_server.messages()
    assert email["Subject"].lstrip() == f"Անահիտ, {ARMENIAN}"
    assert email.get_body(preferencelist=("html",)).get_content() == (f"<p>Անահիտ, {ARMENIAN}</p>")
    # The plain-text part, derived from the HTML when the template has none.
    assert email.get_body(preferencelist=("plain",)).get_content() == f"Անահիտ, {ARMENIAN}"


def test_an_sms_sent_through_apprise_first_does_not_change_how_the_email_is_encoded(
    store, owner, smtp_server, http_receiver
):
    # Apprise's own e-mail plugin re-registers utf-8 as quoted-printable in the standard
    # library when it loads; a worker that sent an SMS must still build e-mail the same way.
    do_configure_channel(
        store,
        owner,
        channel="sms",
        enabled=True,
        secret=f"json://127.0.0.1:{http_receiver.port}/sms?:to={{phone}}",
    )
    customer = upsert_customer(
        store,
        CustomerIn(email="somchai@example.com", phone="+66812345678", sms_consent="subscribed"),
        source="api",
    ).obj
    do_queue_message(
        store,
        customer,
        channel=Channel.SMS,
        purpose=Purpose.TRANSACTIONAL,
        body_text=THAI,
        priority=1,
    )
    queue_email(store, customer, purpose=Purpose.TRANSACTIONAL, subject=THAI)

    assert dispatch() == 2

    assert len(http_receiver.received) == 1
    [received] = smtp_server.received
    raw_subject = _raw_header(received.raw, "Subject")
    assert {e.lower() for _charset, e in ENCODED_WORD.findall(raw_subject)} == {"b"}
    assert received.parsed()["Subject"].lstrip() == THAI
