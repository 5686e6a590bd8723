"""Input and output models of the journeys API (/api/v1/journeys)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from regulars.commerce.schemas import FilterText, Moment, PageParams
from regulars.journeys.models import EnrollmentStatus

Text = Annotated[str, Field(max_length=60)]
Scalar = StrictBool | int | float | Annotated[str, Field(max_length=200)]


class ConditionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    field: Text = Field(description="e.g. customer.orders_count, consent.sms, score.segment")
    op: Annotated[str, Field(max_length=5)] = Field("eq", description="eq ne gt gte lt lte in")
    value: Scalar | list[Scalar] | None = None


class CouponSettingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Text = Field("percent", description="percent or fixed_amount")
    value: Decimal = Field(description="Percent (15 = 15 %) or the amount off")
    minimum_spend: Decimal | None = None
    valid_days: Annotated[int, Field(ge=-(10**6), le=10**6)] = 30


class JourneySettingsIn(Schema):
    """The settings to change; those left out keep their value. Which ones a journey takes
    depends on the journey (see `settings` in its GET answer and docs/journeys.md)."""

    model_config = ConfigDict(extra="forbid")

    channel: Text | None = None
    delay_hours: Decimal | None = None
    delay_days: Decimal | None = None
    local_time: Annotated[str, Field(max_length=10)] | None = Field(
        None, description='A time of day such as "10:00" in the customer\'s zone, or ""'
    )
    abandoned_minutes: Decimal | None = None
    second_reminder: StrictBool | None = None
    second_delay_hours: Decimal | None = None
    sms_too: StrictBool | None = None
    coupon: CouponSettingsIn | None = Field(None, description="null: no coupon")
    threshold: Decimal | None = Field(None, description="P(alive) below it; null: the store's")
    when: Text | None = Field(None, description="churn_risk, expected_order_missed or days")
    lapsed_days: Decimal | None = None
    max_days_since_last_order: Decimal | None = None
    segment: Text | None = None
    survey: Text | None = Field(
        None, description="delivery_followup: the key of the store's survey it asks (nps)"
    )
    deadline_hours: Decimal | None = None
    allow_reentry: StrictBool | None = None
    conditions: Annotated[list[ConditionIn], Field(max_length=20)] | None = None


class JourneyPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool | None = None
    settings: JourneySettingsIn | None = None


class FiguresOut(Schema):
    entered: int
    active: int
    sent: int
    delivered: int
    clicked: int
    converted: int
    revenue: Decimal
    currency: str
    unsubscribes: int
    coupons_issued: int
    coupons_redeemed: int


class JourneyOut(Schema):
    key: str
    name: str
    description: str
    trigger: str
    enabled: bool
    enabled_at: datetime | None
    allow_reentry: bool
    channels: list[str]
    templates: list[str]
    settings: dict[str, Any]
    steps: list[dict[str, Any]]
    figures: FiguresOut
    figures_since: datetime | None


class JourneyList(Schema):
    items: list[JourneyOut]


class FiguresQuery(Schema):
    since: Moment | None = Field(
        None, description="Figures from this moment on (naive: the store's zone); default all"
    )


class EnrollmentOut(Schema):
    id: int
    customer_id: int
    customer_external_id: str
    customer_email: str
    status: str
    step_index: int
    step: str
    next_run_at: datetime | None
    entered_at: datetime
    finished_at: datetime | None
    exit_reason: str
    order_id: int | None
    fulfillment_id: int | None
    cart_id: int | None

    @staticmethod
    def resolve_customer_external_id(enrollment) -> str:
        return enrollment.customer.external_id

    @staticmethod
    def resolve_customer_email(enrollment) -> str:
        return enrollment.customer.email

    @staticmethod
    def resolve_step(enrollment) -> str:
        """The kind of the step the enrollment is at ("" once it is over)."""
        steps = enrollment.journey.steps or []
        if enrollment.status != EnrollmentStatus.ACTIVE or enrollment.step_index >= len(steps):
            return ""
        return str(steps[enrollment.step_index].get("type", ""))


class EnrollmentFilters(PageParams):
    status: EnrollmentStatus | None = None
    customer_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    customer_external_id: Annotated[FilterText, Field(max_length=64)] = ""
    entered_since: Moment | None = None


class EnrollmentPage(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[EnrollmentOut]
