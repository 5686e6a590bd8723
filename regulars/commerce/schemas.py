"""Validated input for every way data arrives (JSON API, webhooks, CSV): one definition.

The JSON API takes these models as request bodies; the webhook adapters build them from the
platforms' payloads; the services accept nothing else. Naive datetimes are read in the store's
time zone by the services.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Schema
from pydantic import AfterValidator, Field, field_validator, model_validator

from regulars.commerce.models import Consent, FulfillmentStatus, OrderStatus
from regulars.core.money import MoneyError, check_currency
from regulars.core.timeutil import TimeError, check_timezone

ExternalId = Annotated[str, Field(min_length=1, max_length=64)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=3)]
ShortText = Annotated[str, Field(max_length=100)]
_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
_EVENT_KIND = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
_url = URLValidator(schemes=["http", "https"])
# The largest amount the database keeps (14 digits, 3 after the point).
AMOUNT_LIMIT = Decimal("99999999999.999")


def check_plausible_time(value: datetime | None) -> datetime | None:
    # Years near 1 or 9999 overflow when moved to UTC; no store data is that old or that far off.
    if value is not None and not 1900 <= value.year <= 2200:
        raise ValueError(f"{value.isoformat()} is not a plausible time (years 1900 to 2200)")
    return value


Moment = Annotated[datetime, AfterValidator(check_plausible_time)]


def check_computed_amount(amount: Decimal, what: str) -> None:
    if amount > AMOUNT_LIMIT:
        raise ValueError(f"{what} comes to {amount}, more than the largest amount kept")


def clean_email(value: str | None) -> str:
    value = (value or "").strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValueError(f"{value!r} is not an e-mail address") from exc
    if len(value) > 254:
        raise ValueError("an e-mail address has at most 254 characters")
    return value


def clean_phone(value: str | None) -> str:
    """E.164 (+66812345678). Numbers must carry their country code."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(
            f"{value!r} is not a phone number with a country code (such as +66 81 234 5678)"
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{value!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_url(value: str | None, max_length: int = 1000) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > max_length:
        raise ValueError(f"a URL here has at most {max_length} characters")
    try:
        _url(value)
    except ValidationError as exc:
        raise ValueError(f"{value!r} is not an http(s) URL") from exc
    return value


def clean_language(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 12 or not _LANGUAGE.match(value):
        raise ValueError(f"{value!r} is not a language code (such as en, th, hy or pt-BR)")
    return value.replace("_", "-").lower()


class CustomerIn(Schema):
    external_id: Annotated[str, Field(max_length=64)] = ""
    email: str = ""
    phone: str = ""
    first_name: ShortText = ""
    last_name: ShortText = ""
    language: str = ""
    timezone: str = ""
    birthday: date | None = None
    first_seen_at: Moment | None = None
    email_consent: Consent | None = None
    email_consent_at: Moment | None = None
    sms_consent: Consent | None = None
    sms_consent_at: Moment | None = None
    whatsapp_consent: Consent | None = None
    whatsapp_consent_at: Moment | None = None
    push_consent: Consent | None = None
    push_consent_at: Moment | None = None
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    updated_at: Moment | None = Field(None, description="When the store last changed it")

    @field_validator("email")
    @classmethod
    def check_email(cls, v):
        return clean_email(v)

    @field_validator("phone")
    @classmethod
    def check_phone(cls, v):
        return clean_phone(v)

    @field_validator("language")
    @classmethod
    def check_language(cls, v):
        return clean_language(v)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if not value:
            return ""
        try:
            return check_timezone(value)
        except TimeError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("birthday")
    @classmethod
    def _birthday(cls, value: date | None) -> date | None:
        if value is not None and (value.year < 1900 or value > date.today()):
            raise ValueError(f"{value} is not a plausible birthday")
        return value

    @model_validator(mode="after")
    def _identified(self):
        if not (self.external_id or self.email or self.phone):
            raise ValueError("a customer needs an external_id, an email or a phone")
        return self


class ProductIn(Schema):
    external_id: ExternalId
    sku: Annotated[str, Field(max_length=64)] = ""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    url: str = ""
    image_url: str = ""
    price: Amount | None = None
    currency: str = ""
    category: Annotated[str, Field(max_length=200)] = ""
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    published: bool = True
    in_stock: bool = True
    updated_at: Moment | None = None

    @field_validator("url", "image_url")
    @classmethod
    def check_url(cls, v):
        return clean_url(v)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _clean_currency(value) if value else ""


def _clean_currency(value: str) -> str:
    try:
        return check_currency(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from exc


class OrderLineIn(Schema):
    external_id: Annotated[str, Field(max_length=64)] = ""
    product_external_id: Annotated[str, Field(max_length=64)] = ""
    sku: Annotated[str, Field(max_length=64)] = ""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    quantity: Annotated[int, Field(ge=0, le=1_000_000)] = 1
    unit_price: Amount = Decimal(0)
    total: Amount | None = Field(None, description="Defaults to quantity × unit_price")

    @model_validator(mode="after")
    def _total_fits(self):
        if self.total is None:
            check_computed_amount(self.unit_price * self.quantity, "quantity × unit_price")
        return self


class OrderIn(Schema):
    external_id: ExternalId
    name: Annotated[str, Field(max_length=64)] = ""
    customer: CustomerIn | None = Field(None, description="Created or updated with the order")
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    email: str = ""
    status: OrderStatus = OrderStatus.PENDING
    currency: str
    subtotal: Amount | None = None
    discount_total: Amount = Decimal(0)
    shipping_total: Amount = Decimal(0)
    tax_total: Amount = Decimal(0)
    total: Amount
    coupon_codes: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20
    )
    placed_at: Moment
    paid_at: Moment | None = None
    cancelled_at: Moment | None = None
    refunded_at: Moment | None = None
    cart_token: Annotated[str, Field(max_length=128)] = Field(
        "", description="The cart or checkout this order completed"
    )
    lines: list[OrderLineIn] = Field(default_factory=list, max_length=1000)
    updated_at: Moment | None = None

    @field_validator("email")
    @classmethod
    def check_email(cls, v):
        return clean_email(v)

    @field_validator("currency")
    @classmethod
    def check_currency(cls, v):
        return _clean_currency(v)

    @model_validator(mode="after")
    def _subtotal_fits(self):
        if self.subtotal is None:
            lines = (
                line.unit_price * line.quantity if line.total is None else line.total
                for line in self.lines
            )
            check_computed_amount(sum(lines, Decimal(0)), "the sum of the lines")
        return self


class FulfillmentIn(Schema):
    external_id: ExternalId
    order_external_id: ExternalId
    carrier: ShortText = ""
    tracking_number: ShortText = ""
    tracking_url: str = ""
    status: FulfillmentStatus = FulfillmentStatus.IN_TRANSIT
    shipped_at: Moment
    delivered_at: Moment | None = None
    updated_at: Moment | None = None

    @field_validator("tracking_url")
    @classmethod
    def check_url(cls, v):
        return clean_url(v)


class CartLineIn(Schema):
    product_external_id: Annotated[str, Field(max_length=64)] = ""
    sku: Annotated[str, Field(max_length=64)] = ""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    unit_price: Amount = Decimal(0)


class CartIn(Schema):
    token: Annotated[str, Field(min_length=1, max_length=128)]
    customer: CustomerIn | None = None
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    email: str = ""
    lines: list[CartLineIn] = Field(default_factory=list, max_length=500)
    value: Amount | None = Field(None, description="Defaults to the sum of the lines")
    currency: str
    checkout_url: str = Field("", description="Where the shopper can finish the checkout")
    updated_at: Moment
    completed_order_external_id: Annotated[str, Field(max_length=64)] = ""

    @field_validator("email")
    @classmethod
    def check_email(cls, v):
        return clean_email(v)

    @field_validator("currency")
    @classmethod
    def check_currency(cls, v):
        return _clean_currency(v)

    @field_validator("checkout_url")
    @classmethod
    def check_url(cls, v):
        return clean_url(v, max_length=2000)

    @model_validator(mode="after")
    def _value_fits(self):
        if self.value is None:
            lines = (line.unit_price * line.quantity for line in self.lines)
            check_computed_amount(sum(lines, Decimal(0)), "the sum of the lines")
        return self


class EventIn(Schema):
    external_id: Annotated[str, Field(max_length=64)] = ""
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    email: str = ""
    kind: str = Field(
        description="product_viewed, searched, page_viewed, added_to_cart, or your own name"
    )
    properties: dict[str, Any] = Field(default_factory=dict)
    occurred_at: Moment

    @field_validator("email")
    @classmethod
    def check_email(cls, v):
        return clean_email(v)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if not _EVENT_KIND.match(value):
            raise ValueError(
                f"{value!r} is not an event kind: lower-case letters, digits, _ and ., up to 40"
            )
        return value

    @field_validator("properties")
    @classmethod
    def _small(cls, value: dict) -> dict:
        if len(repr(value)) > 8000:
            raise ValueError("properties are limited to 8,000 characters")
        return value

    @model_validator(mode="after")
    def _who(self):
        if not (self.customer_external_id or self.email):
            raise ValueError("an event needs a customer_external_id or an email")
        return self


# --- JSON API: batch envelopes, filters and responses ---------------------------------------
# Everything below belongs to the JSON API (commerce/api.py). The input models above are
# shared by every ingestion path and stay the single definition of a valid item.

BATCH_LIMIT = 500
PAGE_LIMIT = 500
Outcome = Literal["created", "updated", "unchanged", "stale"]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it up front instead of failing in the database.
    if "\x00" in value:
        raise ValueError("text may not contain the NUL character")
    return value


FilterText = Annotated[str, Field(max_length=254), AfterValidator(_no_nul)]


class ApiEventIn(EventIn):
    """An event sent through the API must carry its own id, so a retried batch records it once."""

    external_id: ExternalId = Field(
        description="Your id for this event; the same id twice is recorded once"
    )


class CustomerBatchIn(Schema):
    items: list[CustomerIn] = Field(max_length=BATCH_LIMIT)


class ProductBatchIn(Schema):
    items: list[ProductIn] = Field(max_length=BATCH_LIMIT)


class OrderBatchIn(Schema):
    items: list[OrderIn] = Field(max_length=BATCH_LIMIT)


class FulfillmentBatchIn(Schema):
    items: list[FulfillmentIn] = Field(max_length=BATCH_LIMIT)


class CartBatchIn(Schema):
    items: list[CartIn] = Field(max_length=BATCH_LIMIT)


class EventBatchIn(Schema):
    items: list[ApiEventIn] = Field(max_length=BATCH_LIMIT)


class BatchItemOut(Schema):
    index: int = Field(description="Position of the item in the request, from 0")
    external_id: str
    outcome: Outcome
    id: int = Field(description="Regulars' id of the row")


class CartBatchItemOut(Schema):
    index: int
    token: str
    outcome: Outcome
    id: int


class BatchSummary(Schema):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


class BatchOut(Schema):
    items: list[BatchItemOut]
    summary: BatchSummary


class CartBatchOut(Schema):
    items: list[CartBatchItemOut]
    summary: BatchSummary


class ErrorOut(Schema):
    code: str = Field(description="required, invalid, not_found, unauthorized, ...")
    field: str | None = Field(None, description="e.g. items[3].lines[0].unit_price")
    message: str
    index: int | None = Field(None, description="The batch item the error is about")


class ErrorsOut(Schema):
    errors: list[ErrorOut]


class PageParams(Schema):
    limit: Annotated[int, Field(ge=1, le=PAGE_LIMIT)] = 100
    offset: Annotated[int, Field(ge=0, le=10**9)] = 0


class CustomerFilters(PageParams):
    email: FilterText = ""
    external_id: Annotated[FilterText, Field(max_length=64)] = ""
    updated_since: Moment | None = Field(None, description="Changed in Regulars at or after")


class OrderFilters(PageParams):
    customer_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    customer_external_id: Annotated[FilterText, Field(max_length=64)] = ""
    status: OrderStatus | None = None
    placed_since: Moment | None = None


class CustomerOut(Schema):
    id: int
    external_id: str
    email: str
    phone: str
    first_name: str
    last_name: str
    language: str
    timezone: str
    birthday: date | None
    first_seen_at: datetime
    email_consent: Consent
    sms_consent: Consent
    tags: list[str]
    orders_count: int
    total_spent: Decimal
    first_order_at: datetime | None
    last_order_at: datetime | None
    created_at: datetime
    updated_at: datetime


class CustomerCounts(Schema):
    orders: int = Field(description="Orders not cancelled or refunded")
    paid_orders: int
    carts: int
    abandoned_carts: int = Field(description="Carts no order has recovered")
    events: int


class CustomerDetailOut(CustomerOut):
    counts: CustomerCounts


class CustomerPage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[CustomerOut]


class OrderOut(Schema):
    id: int
    external_id: str
    name: str
    customer_id: int | None
    customer_external_id: str | None
    email: str
    status: OrderStatus
    currency: str
    subtotal: Decimal
    discount_total: Decimal
    shipping_total: Decimal
    tax_total: Decimal
    total: Decimal
    coupon_codes: list[str]
    placed_at: datetime
    paid_at: datetime | None
    cancelled_at: datetime | None
    refunded_at: datetime | None
    created_at: datetime
    updated_at: datetime


class OrderLineOut(Schema):
    id: int
    external_id: str
    product_external_id: str | None
    sku: str
    title: str
    quantity: int
    unit_price: Decimal
    total: Decimal


class FulfillmentOut(Schema):
    id: int
    external_id: str
    carrier: str
    tracking_number: str
    tracking_url: str
    status: FulfillmentStatus
    shipped_at: datetime
    delivered_at: datetime | None


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]
    fulfillments: list[FulfillmentOut]


class OrderPage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[OrderOut]
