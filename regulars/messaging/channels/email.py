"""E-mail through Django's e-mail backend: SMTP by default, any django-anymail provider.

One connection is opened per batch and reused for every message in it. Marketing e-mail
carries List-Unsubscribe with the https one-click URL and List-Unsubscribe-Post (RFC 8058),
as Gmail and Yahoo require of bulk senders. The Message-ID is built from the message's token,
so a bounce or a provider report can be traced back to it. Over SMTP the message's bytes are
written by email_mime.py, equal to what Django would send; other back-ends get Django's
message.
"""

import contextlib
import smtplib
import socket
from email import charset
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

from regulars.messaging.channels.base import ChannelError, Outgoing
from regulars.messaging.channels.email_mime import EmailBytes

# SMTP reply codes meaning the mailbox does not exist (RFC 5321, RFC 3463 x.1.x).
_DEAD_MAILBOX_CODES = {550, 551, 553}


def open_sender(config, store) -> "EmailSender":
    return EmailSender(config, store)


class EmailSender:
    def __init__(self, config, store):
        # Apprise's e-mail plugin, once loaded, switches the process-wide UTF-8 charset to
        # quoted-printable; put back Python's own (base64 headers, the shorter for Thai and
        # Armenian) so that what the customer receives does not depend on it.
        charset.add_charset("utf-8", charset.SHORTEST, charset.BASE64, "utf-8")
        address = (config.sender if config and config.sender else "") or settings.DEFAULT_FROM_EMAIL
        name = (config.sender_name if config else "") or store.name
        self.from_email = formataddr((name, address))
        self.envelope_from = sanitize_address(address, settings.DEFAULT_CHARSET)
        self.reply_to = [config.reply_to] if config and config.reply_to else []
        self.domain = address.rpartition("@")[2] or "localhost"
        self.connection = get_connection(fail_silently=False)
        self.is_open = False
        # Made on the first SMTP send, inside its error handling (a bad From fails the message).
        self.writer: EmailBytes | None = None

    def send(self, outgoing: Outgoing) -> str:
        message_id = f"<{outgoing.token}@{self.domain}>"
        headers = {"Message-ID": message_id}
        if outgoing.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{outgoing.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        try:
            if not self.is_open:
                self.connection.open()
                self.is_open = True
            provider_id = self._deliver(outgoing, headers)
        except Exception as error:
            failure = classify(error)
            if failure.transient:
                self.close()  # the connection may be broken: the next message opens a new one
            raise failure from error
        return provider_id or message_id

    def _email(self, outgoing: Outgoing, headers: dict[str, str]) -> EmailMultiAlternatives:
        email = EmailMultiAlternatives(
            subject=outgoing.subject,
            body=outgoing.body_text,
            from_email=self.from_email,
            to=[outgoing.to_address],
            reply_to=self.reply_to,
            headers=headers,
            connection=self.connection,
        )
        if outgoing.body_html:
            email.attach_alternative(outgoing.body_html, "text/html")
        return email

    def _deliver(self, outgoing: Outgoing, headers: dict[str, str]) -> str:
        """Send one message; the provider's message id, or "" when it gives none."""
        smtp = getattr(self.connection, "connection", None)
        to_address = outgoing.to_address
        if isinstance(self.connection, SmtpBackend) and smtp is not None and to_address.isascii():
            # What Django's SMTP back-end does for one message, less re-parsing the From
            # address (checked once per batch here) and an ASCII recipient (IDN needs Django's
            # encoding); the bytes are Django's, written without its MIME objects
            # (email_mime.py), which cost most of a bulk send's CPU.
            if self.writer is None:
                self.writer = EmailBytes(self.from_email, self.reply_to)
            data = self.writer.build(
                subject=outgoing.subject,
                to=to_address,
                body_text=outgoing.body_text,
                body_html=outgoing.body_html,
                headers=headers,
            )
            if data is None:  # a shape only Django builds (a line too long for SMTP)
                data = self._email(outgoing, headers).message().as_bytes(linesep="\r\n")
            smtp.sendmail(self.envelope_from, [to_address], data)
            return ""
        email = self._email(outgoing, headers)
        email.send()
        status = getattr(email, "anymail_status", None)
        return str(status.message_id) if status is not None and status.message_id else ""

    def close(self) -> None:
        if self.is_open:
            self.is_open = False
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.connection.close()


def classify(error: Exception) -> ChannelError:
    """Transient (retry later) or permanent, and whether the address is dead."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        code = max(codes) if codes else 550
        text = "; ".join(
            f"{c} {t.decode(errors='replace') if isinstance(t, bytes) else t}"
            for c, t in error.recipients.values()
        )
        return ChannelError(
            f"recipient refused: {text}",
            transient=400 <= code < 500,
            dead_address=code in _DEAD_MAILBOX_CODES,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        kind = "sender refused" if isinstance(error, smtplib.SMTPSenderRefused) else "SMTP error"
        return ChannelError(
            f"{kind}: {error.smtp_code} {text}", transient=400 <= error.smtp_code < 500
        )
    if isinstance(
        error, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout | TimeoutError
    ):
        return ChannelError(f"mail server unreachable: {error}", transient=True)
    if isinstance(error, OSError | smtplib.SMTPException):
        return ChannelError(f"mail server error: {error}", transient=True)
    return _classify_anymail(error)


def _classify_anymail(error: Exception) -> ChannelError:
    try:
        from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        raise error from None
    if isinstance(error, AnymailRecipientsRefused):
        return ChannelError(
            f"provider refused the recipient: {error}", transient=False, dead_address=True
        )
    if isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None)
        transient = status is None or status == 429 or status >= 500
        return ChannelError(f"e-mail provider error: {error}", transient=transient)
    raise error
