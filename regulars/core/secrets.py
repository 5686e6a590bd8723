"""Secrets at rest: Fernet with a key derived from SECRET_KEY, never shown back in full.

An Apprise URL carries the provider's tokens and a webhook's signing key must stay private
(messaging's channels, promotions' coupon webhook), so they are kept encrypted in the database.
The key is derived with HKDF from SECRET_KEY (a purpose-specific info string, so this key is
useless for anything else Django signs); a secret saved under a key listed in
SECRET_KEY_FALLBACKS still decrypts, which lets an installation rotate SECRET_KEY the way
Django documents.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from regulars.core.errors import RegularsError

# Named after the app that first kept secrets; changing them would make every stored secret
# unreadable, so they stay as they are.
_SALT = b"regulars.messaging.secrets"
_INFO = b"regulars messaging: channel secrets at rest, v1"


class SecretError(RegularsError):
    def __init__(self):
        super().__init__(
            "A stored channel secret cannot be decrypted: it was altered, or SECRET_KEY changed "
            "since it was saved. Enter the secret again in the channel set-up.",
            code="secret_unreadable",
            field="secret",
        )


@lru_cache(maxsize=8)
def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return _keys().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise SecretError() from exc


def hint(text: str) -> str:
    """Enough of a secret to recognise it ("…abcd"); nothing for one too short to spare 4."""
    if not text:
        return ""
    return "…" + text[-4:] if len(text) >= 8 else "…"
