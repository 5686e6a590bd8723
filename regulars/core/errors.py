"""Error codes of the core app; API and CLI errors carry a code, a field and a message."""

from enum import StrEnum


class CoreErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"


class RegularsError(Exception):
    """Base of every expected, user-facing error: code, optional field, message."""

    def __init__(
        self, message: str, *, code: str = CoreErrorCode.INVALID, field: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.field = field

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message}


class StorePermissionDenied(RegularsError):
    def __init__(self, message: str = "Your role in this store does not allow this."):
        super().__init__(message, code=CoreErrorCode.FORBIDDEN)


class RateLimited(RegularsError):
    def __init__(self, retry_after: int):
        super().__init__(
            f"Too many requests; try again in {retry_after} s.", code=CoreErrorCode.RATE_LIMITED
        )
        self.retry_after = retry_after
