"""SMS, WhatsApp, push and chat apps through an Apprise URL the store configures.

The store's URL names the service and carries its tokens (kept encrypted, see secrets.py) and
a placeholder where each message's recipient goes, e.g. ``twilio://SID:TOKEN@+15551230000/{phone}``
or ``json://example.com/hook?:to={phone}``. Each send fills the placeholders with the customer's
values, URL-quoted, and notifies that one service.

Apprise reports a failure as False, not as an exception; the reason is in the warnings its
plugin logs, which `notify()` returns with the result. Those carry the provider's answer
("..., error=503."), from which the failure is classified. The tokens of the URL are blanked
out of every reason before it leaves this module, since reasons are stored and shown.
"""

import email.charset
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlsplit

import apprise
from apprise.manager_plugins import NotificationManager

from regulars.core.errors import RegularsError
from regulars.messaging.channels.base import ChannelError, ChannelNotConfigured, Outgoing
from regulars.messaging.models import Channel
from regulars.messaging.secrets import SecretError, decrypt


def _load_plugins_keeping_the_mail_charsets() -> None:
    """Apprise's e-mail plugin, imported with all the others on first use, re-registers utf-8
    in the standard library's charset table as quoted-printable; from then on every e-mail
    Django builds in this process would encode its headers differently (Q instead of B).
    Load the plugins once, now, and put the table back."""
    saved = dict(email.charset.CHARSETS)
    NotificationManager().load_modules()
    email.charset.CHARSETS.clear()
    email.charset.CHARSETS.update(saved)


_load_plugins_keeping_the_mail_charsets()

PLACEHOLDERS = ("phone", "external_id", "email", "customer_id")
# What must be in a channel's URL so that every customer gets their own message.
REQUIRED_PLACEHOLDERS = {
    Channel.SMS: ("phone",),
    Channel.WHATSAPP: ("phone",),
    Channel.PUSH: PLACEHOLDERS,
}
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# Values that stand in for a customer when a URL is checked at set-up.
_SAMPLE = {
    "phone": "+14155550123",
    "external_id": "sample-customer",
    "email": "customer@example.com",
    "customer_id": "1",
}

# Provider error codes (not HTTP statuses) that say the address itself is wrong: Twilio's
# 21211 "Invalid 'To' Phone Number" and 21614 "'To' number is not a valid mobile number".
_DEAD_ADDRESS_CODES = {21211, 21614}
_ERROR_CODE = re.compile(r"error=(\d+)")
# A plugin drops a recipient it finds malformed ("Dropped invalid phone # (...) specified.");
# some (Twilio) then send to the account's own number instead, so such a send must not go on.
_DROPPED = re.compile(r"^Dropped invalid", re.IGNORECASE)


def _asset() -> apprise.AppriseAsset:
    # Memory only: Apprise would otherwise keep per-plugin state files on disk.
    return apprise.AppriseAsset(app_id="Regulars", storage_mode="memory")


def placeholders_in(url: str) -> set[str]:
    return set(_PLACEHOLDER.findall(url))


def fill(url: str, values: dict[str, str]) -> str:
    """The URL with each placeholder replaced by its value, quoted for any part of a URL."""
    return _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), url)


def redact(text: str, url: str) -> str:
    """`text` without any of the URL's credentials, tokens, path parts or query values.

    The host name stays when it has a dot (a DNS name or an IP address): it says where a
    failure happened and is no secret. Short plain words ("send", "hook") stay too, so the
    reason remains readable; anything of 6 characters or more, or with a digit, goes.
    """
    for token in sorted(_url_tokens(url), key=len, reverse=True):
        text = text.replace(token, "…").replace(quote(token, safe=""), "…")
    return text


def _secret_looking(token: str) -> bool:
    if len(token) < 3 or _PLACEHOLDER.fullmatch(token):
        return False
    return len(token) >= 6 or any(c.isdigit() for c in token)


def _url_tokens(url: str) -> set[str]:
    # The scheme names the service, not a secret; the rest is parsed as a URL's parts.
    parts = urlsplit("x://" + url.split("://", 1)[-1])
    tokens = {t for t in re.split(r"[:@]", parts.netloc) if "." not in t}
    tokens.update(parts.path.split("/"))
    tokens.update(pair.partition("=")[2] for pair in parts.query.split("&"))
    return {form for t in tokens for form in (t, unquote(t)) if _secret_looking(form)}


@contextmanager
def _warnings_of_this_thread() -> Iterator[list[str]]:
    """Apprise's warnings from this thread while the block runs, kept out of the log.

    At `add()` time a plugin reports what it refused (sometimes quoting the token it refused),
    but `add()` itself only answers True or False. The records are taken off the log here and
    surface only redacted, in our own errors; other threads' records pass untouched.
    """
    captured: list[str] = []
    thread = threading.get_ident()

    class _Capture(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if record.thread != thread:
                return True
            if record.levelno >= logging.WARNING:
                captured.append(record.getMessage())
            return False

    capture = _Capture()
    apprise_logger = logging.getLogger(apprise.logger.name)
    apprise_logger.addFilter(capture)
    try:
        yield captured
    finally:
        apprise_logger.removeFilter(capture)


def check_url(channel: str, url: str) -> str:
    """The URL, trimmed, if Apprise accepts it and it reaches each customer; else a field error."""
    url = (url or "").strip()
    if not url:
        raise RegularsError("Paste the Apprise URL of the service.", field="secret")
    needed = REQUIRED_PLACEHOLDERS[channel]
    if not placeholders_in(url) & set(needed):
        names = " or ".join("{" + name + "}" for name in needed)
        raise RegularsError(
            f"Put {names} in the URL where the recipient goes, so each customer gets their own "
            "message (e.g. twilio://SID:TOKEN@+15551230000/{phone}).",
            field="secret",
        )
    apobj = apprise.Apprise(asset=_asset())
    with _warnings_of_this_thread() as warnings:
        accepted = apobj.add(fill(url, _SAMPLE))
    problems = [redact(w, url) for w in warnings]
    if not accepted or problems:
        detail = f" ({'; '.join(problems)})" if problems else ""
        raise RegularsError(
            f"Apprise does not accept this URL{detail}. Check the service name before :// and "
            "its tokens against https://appriseit.com/services/.",
            field="secret",
        )
    if len(apobj) != 1:
        raise RegularsError("Give one Apprise URL, not several.", field="secret")
    return url


def recipient_values(outgoing: Outgoing) -> dict[str, str]:
    values = {name: str(outgoing.extra.get(name) or "") for name in PLACEHOLDERS}
    if outgoing.channel in (Channel.SMS, Channel.WHATSAPP) and outgoing.to_address:
        values["phone"] = outgoing.to_address
    values["customer_id"] = values["customer_id"] or str(outgoing.customer_id)
    return values


def classify(warnings: list[str], *, timed_out: bool = False) -> ChannelError:
    """A ChannelError from the warnings a failed notify() returned (already redacted)."""
    reason = "; ".join(warnings) or "the service reported a failure without a reason"
    if timed_out:
        return ChannelError(f"timed out: {reason}", transient=True)
    for warning in warnings:
        found = _ERROR_CODE.search(warning)
        if found is None:
            continue
        code = int(found.group(1))
        if 100 <= code < 600:
            return ChannelError(reason, transient=code in (408, 429) or code >= 500)
        # A provider's own error code: the request was understood and refused.
        return ChannelError(reason, transient=False, dead_address=code in _DEAD_ADDRESS_CODES)
    # A connection error, a time-out, or nothing said: worth another try later.
    return ChannelError(reason, transient=True)


class AppriseSender:
    def __init__(self, channel: str, url: str):
        self.channel = channel
        self.url = url
        self.asset = _asset()

    def send(self, outgoing: Outgoing) -> str:
        values = recipient_values(outgoing)
        missing = sorted(n for n in placeholders_in(self.url) if not values[n])
        if missing:
            raise ChannelError(
                f"the customer has no {', '.join(missing)} for the {self.channel} address",
                transient=False,
            )
        apobj = apprise.Apprise(asset=self.asset)
        with _warnings_of_this_thread() as warnings:
            accepted = apobj.add(fill(self.url, values))
        dropped = [redact(w, self.url) for w in warnings if _DROPPED.match(w)]
        if dropped:
            raise ChannelError("; ".join(dropped), transient=False, dead_address=True)
        if not accepted:
            reasons = "; ".join(redact(w, self.url) for w in warnings)
            raise ChannelError(
                f"Apprise no longer accepts the channel's URL: {reasons or 'no reason given'}",
                transient=False,
            )
        result = apobj.notify(
            body=outgoing.body_text,
            title=outgoing.subject or "",
            body_format=apprise.NotifyFormat.TEXT,
        )
        if result:
            return ""
        logged = [
            redact(entry.message, self.url)
            for entry in result.logs()
            if entry.level in ("WARNING", "ERROR", "CRITICAL")
        ]
        raise classify(logged, timed_out=result.status == apprise.AppriseResultStatus.TIMEOUT)

    def close(self) -> None:
        """Nothing is held between messages: each send opens its own request."""


def open_sender(config) -> AppriseSender:
    if not config.enabled or not config.secret_encrypted:
        raise ChannelNotConfigured(config.channel)
    try:
        url = decrypt(config.secret_encrypted)
    except SecretError as exc:
        raise ChannelError(exc.message, transient=False) from exc
    return AppriseSender(config.channel, url)
