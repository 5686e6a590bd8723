"""Error codes of commerce; every error names the field (and item) it is about."""

from enum import StrEnum

from regulars.core.errors import RegularsError


class CommerceErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    STALE = "stale"  # an update older than what is already kept
    BAD_SIGNATURE = "bad_signature"
    UNSUPPORTED_TOPIC = "unsupported_topic"


class IngestError(RegularsError):
    """A payload that cannot be applied; the message says which field and why."""

    def __init__(self, message: str, *, field: str | None = None, code=CommerceErrorCode.INVALID):
        super().__init__(message, code=code, field=field)


class OrderNotFound(IngestError):
    def __init__(self, external_id: str, field: str = "order_external_id"):
        super().__init__(
            f"No order with external id {external_id!r} in this store; send the order first.",
            field=field,
            code=CommerceErrorCode.NOT_FOUND,
        )
