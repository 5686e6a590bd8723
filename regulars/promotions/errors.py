"""Error codes of the promotions app (API errors carry code, field and message)."""

from enum import StrEnum


class PromotionsErrorCode(StrEnum):
    CODE_UNAVAILABLE = "code_unavailable"
    WEBHOOK_NOT_SET_UP = "webhook_not_set_up"
