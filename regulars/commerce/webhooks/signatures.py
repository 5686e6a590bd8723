"""Webhook signatures: base64(HMAC-SHA256(secret, raw body)), the rule Shopify and WooCommerce share.

The signature covers the raw request bytes, so it is checked before anything parses the body,
and compared in constant time so response timing does not reveal how much of a forgery matched.
"""

import base64
import hashlib
import hmac

# WooCommerce signs with wp_specialchars_decode($secret, ENT_QUOTES): a secret stored with HTML
# entities is decoded before use. Applying the same decoding lets a merchant paste either form.
_WP_SPECIALCHARS = (
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&#039;", "'"),
    ("&#39;", "'"),
    ("&#x27;", "'"),
    ("&amp;", "&"),
)


def hmac_sha256_base64(secret: str, body: bytes) -> bytes:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest)


def signature_matches(secret: str, body: bytes, signature: str) -> bool:
    """True when `signature` (the header value) is the base64 HMAC-SHA256 of `body`."""
    expected = hmac_sha256_base64(secret, body)
    return hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace"))


def wp_specialchars_decode(secret: str) -> str:
    """The secret as WooCommerce's signing code sees it (ENT_QUOTES decoding, `&amp;` last)."""
    if "&" not in secret:
        return secret
    for entity, char in _WP_SPECIALCHARS:
        secret = secret.replace(entity, char)
    return secret
