"""Every public link in a message, signed with django.core.signing, a salt per purpose.

A token is the only authentication of the page it opens (no login, no cookie), so it carries
what the page acts on (store id, customer id, channel; or the message and the destination of a
tracked link) and nothing can be changed without breaking the signature. Unsubscribe and
preference links never expire: an e-mail from years ago must still let its reader opt out.
The double opt-in link lasts a week.
"""

import functools
import html
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import get_urlconf, reverse

from regulars.commerce.models import CONSENT_CHANNELS
from regulars.core.errors import CoreErrorCode, RegularsError

CONFIRM_MAX_AGE = timedelta(days=7)

_SALT_UNSUBSCRIBE = "regulars.messaging.unsubscribe"
_SALT_PREFERENCES = "regulars.messaging.preferences"
_SALT_CONFIRM = "regulars.messaging.confirm"
_SALT_CLICK = "regulars.messaging.click"

_TRACKED_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class CustomerLink:
    """What a customer link's token says: whose page it is, and for an unsubscribe, which channel."""

    store_id: int
    customer_id: int
    channel: str = ""


@dataclass(frozen=True)
class TrackedLink:
    message_token: str
    url: str


class BadLink(RegularsError):
    """A forged, altered, expired or wrong-purpose token. Deliberately says no more than that."""

    def __init__(self):
        super().__init__("This link is not valid.", code=CoreErrorCode.NOT_FOUND)


# --- writing links ----------------------------------------------------------------------------


def _absolute(name: str, token: str) -> str:
    # reverse() costs more than the signing; a bulk send builds thousands of links.
    prefix, suffix = _route(name, get_urlconf(), settings.BASE_URL)
    return f"{prefix}{token}{suffix}"


@functools.lru_cache(maxsize=64)
def _route(name: str, urlconf, base_url: str) -> tuple[str, str]:
    """The text before and after the token in the absolute URL of route `name`."""
    marker = "TOKEN0MARKER"
    url = base_url + reverse(f"messaging:{name}", args=[marker], urlconf=urlconf)
    before, _, after = url.partition(marker)
    return before, after


def _sign(payload: list, salt: str) -> str:
    return signing.Signer(salt=salt).sign_object(payload, compress=True)


def unsubscribe_url(customer, channel: str) -> str:
    if channel not in CONSENT_CHANNELS:
        raise ValueError(f"no unsubscribe link for channel {channel!r}")
    token = _sign([customer.store_id, customer.pk, channel], _SALT_UNSUBSCRIBE)
    return _absolute("unsubscribe", token)


def preferences_url(customer) -> str:
    return _absolute("preferences", _sign([customer.store_id, customer.pk], _SALT_PREFERENCES))


def confirm_url(customer) -> str:
    # Timestamped: read_confirm refuses it after CONFIRM_MAX_AGE.
    token = signing.TimestampSigner(salt=_SALT_CONFIRM).sign_object(
        [customer.store_id, customer.pk], compress=True
    )
    return _absolute("confirm", token)


def tracked_url(message_token: str, url: str) -> str:
    if not is_trackable_scheme(url):
        raise ValueError(f"only http and https links can be tracked, not {url!r}")
    return _absolute("click", _sign([message_token, url], _SALT_CLICK))


def is_trackable_scheme(url: str) -> bool:
    """An absolute http(s) URL with a host: the only kind a tracked link may lead to."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _TRACKED_SCHEMES and bool(parts.netloc)


# --- reading links ----------------------------------------------------------------------------


def _unsign(token: str, salt: str, *, max_age: timedelta | None = None):
    try:
        if max_age is None:
            return signing.Signer(salt=salt).unsign_object(token)
        return signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        # BadSignature covers SignatureExpired; ValueError a payload that is not JSON.
        raise BadLink() from exc


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _customer_link(payload, *, with_channel: bool) -> CustomerLink:
    size = 3 if with_channel else 2
    if not isinstance(payload, list) or len(payload) != size:
        raise BadLink()
    if not (_is_id(payload[0]) and _is_id(payload[1])):
        raise BadLink()
    if with_channel and payload[2] not in CONSENT_CHANNELS:
        raise BadLink()
    return CustomerLink(*payload)


def read_unsubscribe(token: str) -> CustomerLink:
    return _customer_link(_unsign(token, _SALT_UNSUBSCRIBE), with_channel=True)


def read_preferences(token: str) -> CustomerLink:
    return _customer_link(_unsign(token, _SALT_PREFERENCES), with_channel=False)


def read_confirm(token: str) -> CustomerLink:
    payload = _unsign(token, _SALT_CONFIRM, max_age=CONFIRM_MAX_AGE)
    return _customer_link(payload, with_channel=False)


def read_tracked(token: str) -> TrackedLink:
    payload = _unsign(token, _SALT_CLICK)
    if not isinstance(payload, list) or len(payload) != 2:
        raise BadLink()
    message_token, url = payload
    if not (isinstance(message_token, str) and isinstance(url, str)):
        raise BadLink()
    # Signed by us, but the redirect is the last line against an open redirect: http(s) only.
    if not is_trackable_scheme(url):
        raise BadLink()
    return TrackedLink(message_token, url)


# --- rewriting a message's links --------------------------------------------------------------

# A start tag with its attributes; quoted values may hold ">" and spaces.
_TAG = re.compile(
    r"""<(?P<name>a|area)\b(?P<attrs>(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""",
    re.IGNORECASE,
)
_ATTR = re.compile(
    r"""\s+(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)
# Browsers drop tabs and line breaks anywhere in a URL (WHATWG URL standard).
_BROWSER_IGNORED = re.compile(r"[\t\n\r]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TEXT_URL = re.compile(r"""https?://[^\s<>"'`]+""", re.IGNORECASE)
# Punctuation that ends a sentence rather than the URL ("see https://shop.example/sale."),
# Armenian and CJK full stops, commas and closing quotes included.
_TRAILING = ".,;:!?'\"։՝՞՜…。、，”’»"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _should_track(url: str) -> bool:
    if not is_trackable_scheme(url):
        return False
    # Our own unsubscribe and preference pages (and already tracked links) stay as they are:
    # a tracked unsubscribe link would break one-click unsubscribe and count opt-outs as clicks.
    own = settings.BASE_URL + "/messaging/"
    return not url.lower().startswith(own.lower())


def _attr_value(attr: re.Match) -> str | None:
    for group in ("dq", "sq", "bare"):
        if attr.group(group) is not None:
            return attr.group(group)
    return None


def _rewrite_tag(tag: re.Match, message_token: str) -> str:
    done = False

    def rewrite_attr(attr: re.Match) -> str:
        nonlocal done
        # Browsers follow the first href only, after decoding entities (&amp;) and trimming.
        if done or attr.group("name").lower() != "href":
            return attr.group(0)
        done = True
        raw = _attr_value(attr)
        if raw is None:
            return attr.group(0)
        url = _BROWSER_IGNORED.sub("", html.unescape(raw)).strip()
        if not _should_track(url):
            return attr.group(0)
        return f' {attr.group("name")}="{html.escape(tracked_url(message_token, url), quote=True)}"'

    whole, offset = tag.group(0), tag.start()
    start, end = tag.start("attrs") - offset, tag.end("attrs") - offset
    return whole[:start] + _ATTR.sub(rewrite_attr, tag.group("attrs")) + whole[end:]


def _track_html(body_html: str, message_token: str) -> str:
    # Links inside comments (Outlook conditionals aside) are not followed; leave them alone.
    pieces, last = [], 0
    for comment in _COMMENT.finditer(body_html):
        chunk = body_html[last : comment.start()]
        pieces.append(_TAG.sub(lambda tag: _rewrite_tag(tag, message_token), chunk))
        pieces.append(comment.group(0))
        last = comment.end()
    pieces.append(_TAG.sub(lambda tag: _rewrite_tag(tag, message_token), body_html[last:]))
    return "".join(pieces)


def _split_trailing(url: str) -> tuple[str, str]:
    """Split sentence punctuation and unbalanced closing brackets off the end of a URL."""
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING or (
            last in _CLOSERS and url[:end].count(last) > url[:end].count(_CLOSERS[last])
        ):
            end -= 1
        else:
            break
    return url[:end], url[end:]


def _track_text(body_text: str, message_token: str) -> str:
    def rewrite(found: re.Match) -> str:
        url, tail = _split_trailing(found.group(0))
        if not _should_track(url):
            return found.group(0)
        return tracked_url(message_token, url) + tail

    return _TEXT_URL.sub(rewrite, body_text)


def track_links(body_html: str, body_text: str, message_token: str) -> tuple[str, str]:
    """The message's bodies with every http(s) link leading through the click counter.

    HTML: the href of each <a> and <area>; text: each bare http(s) URL. Left alone: links to
    this installation's /messaging/ pages and other schemes (mailto:, tel:).
    """
    return _track_html(body_html or "", message_token), _track_text(body_text or "", message_token)
