"""What the store-platform adapters share: the description of a platform (`PlatformSpec`) and
helpers that turn a platform's payload into the commerce input models.

A payload that does not fit raises `IngestError` whose message names the payload's own field
("line_items[2].price: ..."), because that is what the merchant can look up in their store.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import phonenumbers
from pydantic import ValidationError

from regulars.commerce.errors import IngestError
from regulars.commerce.schemas import clean_language, clean_url

# A topic handler takes (store, payload, kept headers) and returns a short summary of what it
# did, or Skip when there was nothing to apply (the delivery is then kept as "ignored").
Handler = Callable[[Any, dict, Mapping[str, str]], Any]


@dataclass(frozen=True)
class Skip:
    reason: str


def _same_secret(secret: str) -> str:
    return secret


@dataclass(frozen=True)
class PlatformSpec:
    """One store platform: where its headers are, how its secret is used, its topic handlers."""

    name: str
    label: str
    signature_header: str
    topic_header: str
    delivery_id_header: str
    topics: Mapping[str, Handler]
    signing_key: Callable[[str], str] = _same_secret
    # Returns a note when the request is the platform's unsigned "does this URL work?" ping.
    ping_note: Callable[[Mapping[str, str], bytes], str] | None = None


def header(headers: Mapping[str, str], name: str) -> str:
    """A header from a kept (plain dict) header set, matched without regard to case."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""


# --- building the input models --------------------------------------------------------------


def build(model, values: dict, origin: Mapping[str, str], prefix: str = ""):
    """`model(**values)`, with validation errors reported under the payload's field names.

    `origin` maps a model field to the payload field it came from ("unit_price" -> "price");
    `prefix` places the object inside the payload ("line_items[2]").
    """
    try:
        return model(**values)
    except ValidationError as exc:
        raise validation_error(exc, origin, prefix) from exc


def validation_error(
    exc: ValidationError, origin: Mapping[str, str] | None = None, prefix: str = ""
) -> IngestError:
    problems = [
        (_path(error["loc"], origin or {}, prefix), _message(error)) for error in exc.errors()
    ]
    message = "; ".join(f"{path}: {text}" for path, text in problems)
    return IngestError(message, field=problems[0][0] if problems else None)


def _path(loc: tuple, origin: Mapping[str, str], prefix: str) -> str:
    if not loc:
        return prefix or "payload"
    head, *rest = loc
    path = origin.get(head, str(head))
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else f".{origin.get(part, part)}"
    return f"{prefix}.{path}" if prefix else path


def _message(error: dict) -> str:
    text = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] != "missing" and (value is None or isinstance(value, str | int | Decimal)):
        shown = repr(value)
        text += f" (got {shown[:80]})"
    return text


# --- reading payload values -------------------------------------------------------------------


def ext_id(value: object) -> str:
    """A platform id as text. Ids above 2**53 stay exact: json gives Python ints, never floats."""
    if value is None or value == "" or value == 0:
        return ""
    return str(value).strip()


def text(value: object, limit: int) -> str:
    """Free text cut to the column's size: a long title must not cost the merchant an order."""
    if value is None:
        return ""
    return str(value).strip()[:limit]


def obj(value: object) -> dict:
    """A nested object, or {} when the platform sent null or left it out."""
    return value if isinstance(value, dict) else {}


def items(value: object) -> list:
    return value if isinstance(value, list) else []


def split_tags(value: object) -> list[str]:
    """Shopify sends tags as one comma-separated string; WooCommerce as [{"name": ...}]."""
    if isinstance(value, str):
        names = value.split(",")
    else:
        names = [t.get("name", "") if isinstance(t, dict) else str(t) for t in items(value)]
    return [name.strip()[:100] for name in names if name and name.strip()][:50]


def lenient_phone(value: object, region: object = None) -> str:
    """E.164 when the number can be read (with the address's country as a hint), else "".

    Address phones are often typed without a country code ("(555) 555-5555"); a number that
    cannot be read is left out rather than failing the whole order or customer.
    """
    if not value or not isinstance(value, str):
        return ""
    hint = region.upper() if isinstance(region, str) and len(region) == 2 else None
    try:
        number = phonenumbers.parse(value, hint)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def lenient_language(value: object) -> str:
    """A language code, or "" when the platform sent something that is not one."""
    try:
        return clean_language(value if isinstance(value, str) else "")
    except ValueError:
        return ""


def lenient_url(value: object) -> str:
    """An http(s) URL, or "" when the platform sent something else (an optional link only)."""
    try:
        return clean_url(value if isinstance(value, str) else "")
    except ValueError:
        return ""


_HAS_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)


def gmt(value: object) -> object:
    """A WooCommerce `*_gmt` time (no offset, but UTC) as text with its offset made explicit."""
    if not isinstance(value, str) or not value.strip():
        return value or None
    value = value.strip()
    return value if _HAS_OFFSET.search(value) else value + "+00:00"


def moment(value: object) -> object:
    """A time for the input models: text as sent (pydantic reads ISO 8601), None when absent."""
    if value in (None, ""):
        return None
    return value if isinstance(value, str | datetime) else str(value)
