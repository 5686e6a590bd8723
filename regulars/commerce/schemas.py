"""Validated input for every way data arrives (JSON API, webhooks, CSV): one definition.

The JSON API takes these models as request bodies; the webhook adapters build them from the
platforms' payloads; the services accept nothing else. Naive datetimes are read in the store's
time zone by the services.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Schema
from pydantic import Field, field_validator, model_validator

from regulars.commerce.models import Consent, FulfillmentStatus, OrderStatus
from regulars.core.money import MoneyError, check_currency
from regulars.core.timeutil import TimeError, check_timezone

ExternalId = Annotated[str, Field(min_length=1, max_length=64)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=3)]
ShortText = Annotated[str, Field(max_length=100)]
_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
_EVENT_KIND = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
_url = URLValidator(schemes=["http", "https"])


def clean_email(value: str | None) -> str:
    value = (value or "").strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValueError(f"{value!r} is not an e-mail address") from exc
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


def clean_url(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        _url(value)
    except ValidationError as exc:
        raise ValueError(f"{value!r} is not an http(s) URL") from exc
    return value


def clean_language(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not _LANGUAGE.match(value):
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
    first_seen_at: datetime | None = None
    email_consent: Consent | None = None
    email_consent_at: datetime | None = None
    sms_consent: Consent | None = None
    sms_consent_at: datetime | None = None
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    updated_at: datetime | None = Field(None, description="When the store last changed it")

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
    updated_at: datetime | None = None

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
    placed_at: datetime
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_at: datetime | None = None
    cart_token: Annotated[str, Field(max_length=128)] = Field(
        "", description="The cart or checkout this order completed"
    )
    lines: list[OrderLineIn] = Field(default_factory=list, max_length=1000)
    updated_at: datetime | None = None

    @field_validator("email")
    @classmethod
    def check_email(cls, v):
        return clean_email(v)

    @field_validator("currency")
    @classmethod
    def check_currency(cls, v):
        return _clean_currency(v)


class FulfillmentIn(Schema):
    external_id: ExternalId
    order_external_id: ExternalId
    carrier: ShortText = ""
    tracking_number: ShortText = ""
    tracking_url: str = ""
    status: FulfillmentStatus = FulfillmentStatus.IN_TRANSIT
    shipped_at: datetime
    delivered_at: datetime | None = None
    updated_at: datetime | None = None

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
    updated_at: datetime
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
        return clean_url(v)


class EventIn(Schema):
    external_id: Annotated[str, Field(max_length=64)] = ""
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    email: str = ""
    kind: str = Field(
        description="product_viewed, searched, page_viewed, added_to_cart, or your own name"
    )
    properties: dict[str, Any] = Field(default_factory=dict)
    occurred_at: datetime

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
