"""Input and output models of the coupons API (/api/v1/coupons)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import model_validator

from regulars.commerce.schemas import FilterText, Moment, PageParams
from regulars.promotions.models import CouponKind, CouponStatus
from regulars.promotions.services.coupons import MAX_VALID_DAYS
from regulars.promotions.services.webhook import decimal_text


class CouponIn(Schema):
    """A coupon for one customer of the store; amounts are in the store's currency."""

    customer_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    customer_external_id: Annotated[str, Field(max_length=64)] = ""
    kind: CouponKind = Field(description="percent or fixed_amount")
    value: Decimal = Field(description="Percent (15 = 15 %) or the amount off")
    currency: Annotated[str, Field(max_length=3)] = Field(
        "", description="Optional; if given, it must be the store's currency"
    )
    minimum_spend: Decimal | None = None
    expires_at: Moment | None = Field(
        None, description="When it stops working; naive times are in the store's zone"
    )
    valid_days: Annotated[int, Field(ge=1, le=MAX_VALID_DAYS)] | None = Field(
        None, description="Or: usable until the end of this many days, in the customer's zone"
    )
    prefix: Annotated[str, Field(max_length=12)] = Field("", description="e.g. WELCOME")
    idempotency_key: Annotated[str, Field(max_length=200)] = Field(
        "", description="The same key again returns the first coupon"
    )

    @model_validator(mode="after")
    def _one_customer(self):
        if not (self.customer_id or self.customer_external_id):
            raise ValueError("give customer_id or customer_external_id")
        return self


class CouponOut(Schema):
    id: int
    code: str
    kind: CouponKind
    value: str
    currency: str
    minimum_spend: str | None
    description: str
    status: CouponStatus
    customer_id: int
    customer_external_id: str
    customer_email: str
    source: str
    issued_at: datetime
    expires_at: datetime | None
    redeemed_at: datetime | None
    redeemed_order_id: int | None
    redeemed_order_external_id: str | None
    announced_at: datetime | None

    @staticmethod
    def resolve_value(coupon) -> str:
        return decimal_text(coupon.value, coupon.kind, coupon.currency)

    @staticmethod
    def resolve_minimum_spend(coupon) -> str | None:
        if coupon.minimum_spend is None:
            return None
        return decimal_text(coupon.minimum_spend, CouponKind.FIXED_AMOUNT, coupon.currency)

    @staticmethod
    def resolve_description(coupon) -> str:
        from regulars.promotions.services.coupons import describe

        return describe(coupon)

    @staticmethod
    def resolve_status(coupon) -> str:
        return coupon.state

    @staticmethod
    def resolve_customer_external_id(coupon) -> str:
        return coupon.customer.external_id

    @staticmethod
    def resolve_customer_email(coupon) -> str:
        return coupon.customer.email

    @staticmethod
    def resolve_redeemed_order_external_id(coupon) -> str | None:
        order = coupon.redeemed_order
        return order.external_id if order is not None else None


class CouponFilters(PageParams):
    customer_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    customer_external_id: Annotated[FilterText, Field(max_length=64)] = ""
    status: CouponStatus | None = None
    source: Annotated[FilterText, Field(max_length=60)] = ""


class CouponPage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[CouponOut]
