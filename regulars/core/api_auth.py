"""Bearer API-key authentication for the JSON API, with the per-key rate limit and key scope.

`Authorization: Bearer <key>`: the key is checked by `core.services.authenticate_api_key`
(hashed, revoked keys refused, last use recorded). The authenticated key becomes
`request.auth`; its store is the only store the request may read or change.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from regulars.core import ratelimit
from regulars.core.errors import RegularsError, StorePermissionDenied
from regulars.core.models import ApiKey, ApiKeyScope
from regulars.core.services import authenticate_api_key

UNAUTHORIZED = "unauthorized"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiAuthError(RegularsError):
    """No usable API key: answered with 401 and `WWW-Authenticate: Bearer`."""

    def __init__(self, message: str):
        super().__init__(message, code=UNAUTHORIZED, field="Authorization")


class ApiKeyAuth(HttpBearer):
    """Authenticates every API operation; read-only keys may only use safe methods."""

    def __call__(self, request: HttpRequest) -> ApiKey:
        header = request.headers.get(self.header, "")
        if not header.strip():
            raise ApiAuthError(
                "No API key: send the header `Authorization: Bearer <key>` "
                "with a key created under Settings → API keys."
            )
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise ApiAuthError(
                "The Authorization header must be `Bearer <key>` (one space, then the key)."
            )
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = authenticate_api_key(token)
        if key is None:
            raise ApiAuthError("This API key is unknown or has been revoked.")
        # Counted before the scope check, so a misbehaving client is throttled whatever it sends.
        ratelimit.hit(f"api:{key.pk}", limit=settings.REGULARS_API_RATE_LIMIT)
        if key.scope != ApiKeyScope.WRITE and request.method not in _SAFE_METHODS:
            raise StorePermissionDenied(
                "This API key is read-only; use a key with write access to send data."
            )
        return key
