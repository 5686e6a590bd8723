"""Input and output models of the messaging API (/api/v1/messages)."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import model_validator

from regulars.commerce.schemas import FilterText, Moment, PageParams
from regulars.messaging.models import Channel, MessageStatus, Purpose


class MessageIn(Schema):
    """One message to one customer of the store, rendered from one of its templates."""

    customer_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    channel: Channel
    purpose: Purpose
    template_key: Annotated[str, Field(min_length=1, max_length=60)]
    language: Annotated[str, Field(max_length=12)] = ""
    # Extra template variables, e.g. {"reply": "Your parcel left today."}.
    context: dict = Field(default_factory=dict)
    priority: Annotated[int, Field(ge=-100, le=100)] = 0
    idempotency_key: Annotated[str, Field(max_length=200)] = ""
    send_after: Moment | None = None
    deadline: Moment | None = None

    @model_validator(mode="after")
    def _one_customer(self):
        if not (self.customer_id or self.customer_external_id):
            raise ValueError("give customer_id or customer_external_id")
        return self


class MessageOut(Schema):
    id: int
    customer_id: int
    channel: str
    purpose: str
    template_key: str
    language: str
    source: str
    priority: int
    to_address: str
    subject: str
    status: str
    status_reason: str
    send_after: datetime
    deadline: datetime | None
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    clicks: int


class MessageDetailOut(MessageOut):
    body_text: str
    body_html: str


class MessageFilters(PageParams):
    customer_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    customer_external_id: Annotated[FilterText, Field(max_length=64)] = ""
    status: MessageStatus | None = None
    channel: Channel | None = None
    created_since: Moment | None = None


class MessagePage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[MessageOut]
