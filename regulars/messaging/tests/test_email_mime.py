"""The e-mail channel's own MIME writer sends exactly the bytes Django would: same headers in
the same order, same encoded words and folding, same parts and transfer encodings, for
generated subjects, senders and bodies in English, Thai and Armenian."""

import random
import re
import sys
from email import charset, message_from_bytes, policy

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from regulars.messaging.channels.email_mime import EmailBytes, header

THAI = "ขอบคุณสำหรับคำสั่งซื้อของคุณ"
ARMENIAN = "Շնորհակալություն ձեր պատվերի համար"
UNSUBSCRIBE = (
    "<https://regulars.example/messaging/u/"
    "WzEsMSwiZW1haWwiXQ:KK8-ykVDxO9fVIz9G5OoK7I2-j0_4zQ3dn6f2Q4tXCI/>"
)

# Letters that exercise every branch: ASCII words and spaces, tabs, each kind of line break,
# Thai and Armenian, an emoji, text that looks like an encoded word or a boundary.
pieces = st.sampled_from(
    [
        "Ada",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        ",",
        ";",
        "=?utf-8?b?",
        "--",
        "From ",
        "thank you for order #1001",
        THAI,
        ARMENIAN,
        "🎁",
        "x" * 80,
        THAI * 12,  # a line of over 998 bytes once repeated
    ]
)
texts = st.lists(pieces, max_size=30).map("".join)
one_line = texts.map(lambda t: re.sub(r"[\r\n]", "", t))
# One word of any length (the fold cannot split it): a URL, a long subject without spaces.
words = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=200)
senders = st.sampled_from(
    [
        "Vinyl Corner <shop@vinylcorner.example>",
        "shop@vinylcorner.example",
        f"{THAI} <shop@thai-shop.example>",
        f"Երաժշտություն {ARMENIAN} <shop@hy.example>",
        '"Corner, Vinyl & Co." <shop@vinylcorner.example>',
    ]
)
recipients = st.sampled_from(
    ["ada@example.com", "a.very.long.local.part.of.an.address" * 2 + "@example.com"]
)


def _django(subject, to, text, html, headers, from_email, reply_to) -> bytes:
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=[to],
        reply_to=reply_to,
        headers=headers,
    )
    if html:
        email.attach_alternative(html, "text/html")
    return email.message().as_bytes(linesep="\r\n")


def _parsed(raw: bytes):
    # As a mail store keeps it, with plain newlines (the parser keeps CRLF inside bodies).
    return message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=policy.default)


def _outcome(build):
    try:
        return build()
    except BadHeaderError as error:
        return type(error)


def _compare(subject, to, text, html, headers, from_email, reply_to):
    # What the e-mail sender does first (Apprise may have changed the registry).
    charset.add_charset("utf-8", charset.SHORTEST, charset.BASE64, "utf-8")
    theirs = _outcome(lambda: _django(subject, to, text, html, headers, from_email, reply_to))
    if not isinstance(theirs, bytes):
        ours = _outcome(
            lambda: EmailBytes(from_email, reply_to).build(
                subject=subject, to=to, body_text=text, body_html=html, headers=headers
            )
        )
        # The same refusal, or left to Django (a line too long for SMTP) which then refuses.
        assert ours in (theirs, None)
        return None
    date = re.search(rb"^Date: (.*)\r$", theirs, re.M).group(1).decode()
    boundary = re.search(rb'boundary="([^"]+)"', theirs)
    ours = EmailBytes(from_email, reply_to).build(
        subject=subject,
        to=to,
        body_text=text,
        body_html=html,
        headers=headers,
        date=date,
        boundary=boundary.group(1).decode() if boundary else None,
    )
    if ours is None:
        # Left to Django only for a line SMTP cannot carry, which Django quotes.
        assert b"Content-Transfer-Encoding: quoted-printable" in theirs
        return None
    assert ours == theirs
    return ours


@settings(max_examples=300, deadline=None)
@given(
    subject=one_line | texts | words,
    to=recipients,
    text=texts,
    html=texts,
    from_email=senders,
    reply_to=st.sampled_from([[], ["help@vinylcorner.example"]]),
    unsubscribe=st.none() | st.just(UNSUBSCRIBE) | words.map(lambda w: f"<https://{w}>"),
)
@example(
    subject=f"{THAI} / {ARMENIAN}",
    to="ada@example.com",
    text=f"{THAI}\n{ARMENIAN}",
    html=f"<p>{THAI}</p><p>{ARMENIAN}</p>",
    from_email=f"{THAI} <shop@thai-shop.example>",
    reply_to=[],
    unsubscribe=UNSUBSCRIBE,
)
def test_the_bytes_equal_djangos(subject, to, text, html, from_email, reply_to, unsubscribe):
    headers = {"Message-ID": "<b5e1c0d2@vinylcorner.example>"}
    if unsubscribe:
        headers |= {
            "List-Unsubscribe": unsubscribe,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    _compare(subject, to, text, html, headers, from_email, reply_to)


def test_a_thai_and_armenian_message_is_built_here_not_left_to_django():
    headers = {"Message-ID": "<b5e1c0d2@vinylcorner.example>", "List-Unsubscribe": UNSUBSCRIBE}
    built = _compare(
        f"{THAI} / {ARMENIAN}",
        "ada@example.com",
        f"{THAI}\n{ARMENIAN}\n",
        f"<p>{THAI}</p>",
        headers,
        f"{THAI} <shop@thai-shop.example>",
        [],
    )

    assert built is not None
    email = _parsed(built)
    assert email["Subject"].lstrip() == f"{THAI} / {ARMENIAN}"
    plain, html = email.iter_parts()
    assert plain.get_content() == f"{THAI}\n{ARMENIAN}\n"
    assert plain["Content-Transfer-Encoding"] == "8bit"
    assert html.get_content() == f"<p>{THAI}</p>"


def test_a_body_holding_the_random_boundary_gets_another_one():
    random.seed(4)
    taken = "=" * 15 + f"{random.randrange(sys.maxsize):019d}" + "=="
    text = f"quoted from an earlier e-mail:\n--{taken}\nthe end"
    random.seed(4)  # the writer draws the same boundary first

    built = EmailBytes("shop@vinylcorner.example", []).build(
        subject="Re: your order",
        to="ada@example.com",
        body_text=text,
        body_html="<p>the end</p>",
        headers={"Message-ID": "<b5e1c0d2@vinylcorner.example>"},
    )

    assert f'boundary="{taken}.0"'.encode() in built
    email = _parsed(built)
    plain, html = email.iter_parts()
    assert plain.get_content() == text
    assert html.get_content() == "<p>the end</p>"


def test_a_short_printable_header_is_written_as_it_is_and_others_are_folded_by_the_library():
    assert header("Subject", "Ada, your order") == b"Subject: Ada, your order\r\n"
    assert header("List-Unsubscribe", UNSUBSCRIBE) == (
        f"List-Unsubscribe: \r\n {UNSUBSCRIBE}\r\n".encode()
    )
    assert header("Subject", THAI) == (
        b"Subject: \r\n =?utf-8?b?4LiC4Lit4Lia4LiE4Li44LiT4Liq4Liz4Lir4Lij4Lix4Lia4LiE4Liz4Liq4Lix?=\r\n"
        b" =?utf-8?b?4LmI4LiH4LiL4Li34LmJ4Lit4LiC4Lit4LiH4LiE4Li44LiT?=\r\n"
    )
