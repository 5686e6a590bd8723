"""The bytes of an e-mail as Django's `EmailMultiAlternatives` writes them, built directly.

Django builds a tree of `email.mime` objects and the standard library's generator then folds
every header through `email.header.Header`: in a bulk send that was about 40% of a worker's
CPU per e-mail. `EmailBytes` writes the same bytes for the shapes the e-mail channel sends (a
text part, an HTML part, or both as multipart/alternative; UTF-8; no attachments). Headers
that need encoding or folding still go through Django's `forbid_multi_line_headers` and the
standard library's fold; short printable ASCII ones, where folding changes nothing, are
written as they are. A body with a line over 998 bytes (which Django sends quoted-printable)
is not handled: `build` returns None and the caller lets Django build the message.
tests/test_email_mime.py holds the bytes equal to Django's for generated subjects, addresses
and bodies (Thai, Armenian, long lines, every kind of line break).
"""

import random
import re
import sys
from email.policy import compat32
from email.utils import formatdate

from django.conf import settings
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers

# What Django's as_bytes(linesep="\r\n") folds with: compat32, 78 columns.
_POLICY = compat32.clone(linesep="\r\n")
_MAX_LINE = _POLICY.max_line_length
# The generator turns every line break in a body into the line separator.
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# The standard library's multipart boundary: 15 "=", a random 19-digit number, "==".
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))


def header(name: str, value: str) -> bytes:
    """One header as Django sets it and the generator writes it (encoded, folded)."""
    if value.isascii() and value.isprintable() and value == value.strip():
        # Nothing to encode. The fold gives a value that fits back unchanged, and moves a
        # single word that does not fit (a List-Unsubscribe URL) to a line of its own.
        if len(name) + 2 + len(value) <= _MAX_LINE:
            return f"{name}: {value}\r\n".encode("ascii")
        if " " not in value:
            return f"{name}: \r\n {value}\r\n".encode("ascii")
    name, value = forbid_multi_line_headers(name, value, "utf-8")
    return _POLICY.fold_binary(name, value)


def _text_part(subtype: str, text: str) -> tuple[bytes, bytes] | None:
    """A text/<subtype> part's headers and body in UTF-8, 7bit or 8bit; None when Django
    would quote it."""
    # Django's own test for lines SMTP cannot carry (SafeMIMEText.set_payload).
    if any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in text.splitlines()
    ):
        return None
    body = text.encode("utf-8")
    encoding = "7bit" if body.isascii() else "8bit"
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"MIME-Version: 1.0\r\nContent-Transfer-Encoding: {encoding}\r\n".encode("ascii"),
        _LINE_BREAK.sub(b"\r\n", body),
    )


def _boundary(parts: list[bytes]) -> str:
    boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{_BOUNDARY_DIGITS}d}" + "=="
    text = b"\r\n".join(parts)
    candidate, counter = boundary, 0
    while b"--" + candidate.encode("ascii") in text:
        candidate = f"{boundary}.{counter}"
        counter += 1
    return candidate


def _multipart_content_type(boundary: str) -> bytes:
    value = f'multipart/alternative; boundary="{boundary}"'
    if len(boundary) != len(_SAMPLE_BOUNDARY):
        return header("Content-Type", value)
    # The fold splits only at the space, never inside the boundary, so any boundary of the
    # usual length folds like the sample.
    before, after = _SAMPLE_CONTENT_TYPE
    return before + boundary.encode("ascii") + after


_SAMPLE_BOUNDARY = "=" * 15 + "0" * _BOUNDARY_DIGITS + "=="
_SAMPLE_CONTENT_TYPE = header(
    "Content-Type", f'multipart/alternative; boundary="{_SAMPLE_BOUNDARY}"'
).partition(_SAMPLE_BOUNDARY.encode("ascii"))[::2]


class EmailBytes:
    """Builds the messages of one sender: its From and Reply-To headers are folded once."""

    def __init__(self, from_email: str, reply_to: list[str]):
        self.usable = settings.DEFAULT_CHARSET.lower() == "utf-8"
        self._from = header("From", from_email)
        self._reply_to = header("Reply-To", ", ".join(reply_to)) if reply_to else b""

    def build(
        self,
        *,
        subject: str,
        to: str,
        body_text: str,
        body_html: str,
        headers: dict[str, str],
        date: str | None = None,
        boundary: str | None = None,
    ) -> bytes | None:
        """The message's bytes (CRLF line ends), or None when only Django can build it.

        `headers` are added after Date in their order and must hold the Message-ID (Django
        would make one up) and no From, To, Cc, Reply-To or Date. `date` and `boundary` are for
        tests; by default the current time and a random boundary, as Django's.
        """
        if not self.usable or "Message-ID" not in headers:
            return None
        parts = []
        for subtype, text in (("plain", body_text), ("html", body_html)):
            # Django leaves out an empty text part when there is HTML, and has no HTML part
            # when there is no HTML.
            if (subtype == "plain" and (text or not body_html)) or (subtype == "html" and text):
                part = _text_part(subtype, text)
                if part is None:
                    return None
                parts.append(part)
        top = [
            header("Subject", subject),
            self._from,
            header("To", to),
            self._reply_to,
            header("Date", date or formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
            *(header(name, value) for name, value in headers.items()),
        ]
        if not body_html:
            [(part_headers, body)] = parts
            return b"".join([part_headers, *top, b"\r\n", body])
        flattened = [part_headers + b"\r\n" + body for part_headers, body in parts]
        boundary = boundary or _boundary(flattened)
        content_type = _multipart_content_type(boundary)
        delimiter = f"--{boundary}".encode("ascii")
        return b"".join(
            [
                content_type,
                b"MIME-Version: 1.0\r\n",
                *top,
                b"\r\n",
                delimiter + b"\r\n",
                (b"\r\n" + delimiter + b"\r\n").join(flattened),
                b"\r\n" + delimiter + b"--\r\n",
            ]
        )
