"""What insights keeps: survey responses (NPS, CSAT), each customer's scores, store settings.

Metrics and models are computed from commerce's orders; only their results are kept here, so
the journeys (churn risk, segment entered) and the dashboard read them without recomputing.
"""

from django.db import models
from django.db.models import Q

from regulars.commerce.models import Customer, Order
from regulars.core.models import Store


class SurveyKind(models.TextChoices):
    NPS = "nps", "NPS (0–10)"
    CSAT = "csat", "CSAT (1–5)"


# The scale of each kind: the database refuses a score outside it.
SCORE_RANGE = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5)}


class SurveyResponse(models.Model):
    """One answer to an NPS or CSAT question: from Regulars' own surveys (feedback) or imported
    from another tool. `external_id` makes imports idempotent (unique per store when set)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="survey_responses")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    kind = models.CharField(max_length=8, choices=SurveyKind.choices)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True, default="")
    channel = models.CharField(max_length=20, blank=True, default="", help_text="email, sms, web")
    source = models.CharField(max_length=20, default="survey", help_text="survey or import")
    external_id = models.CharField(max_length=64, blank=True, default="")
    answered_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=SurveyKind.NPS, score__gte=0, score__lte=10)
                    | Q(kind=SurveyKind.CSAT, score__gte=1, score__lte=5)
                ),
                name="survey_score_in_its_scale",
            ),
            models.UniqueConstraint(
                fields=["store", "external_id"],
                condition=~Q(external_id=""),
                name="survey_response_unique_external_id",
            ),
        ]
        indexes = [models.Index(fields=["store", "kind", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.score}"


class Segment(models.TextChoices):
    """RFM segments (docs/insights.md has the map from scores to segment)."""

    CHAMPIONS = "champions", "Champions"
    LOYAL = "loyal", "Loyal"
    POTENTIAL_LOYALISTS = "potential_loyalists", "Potential loyalists"
    NEW = "new", "New customers"
    PROMISING = "promising", "Promising"
    NEED_ATTENTION = "need_attention", "Need attention"
    ABOUT_TO_SLEEP = "about_to_sleep", "About to sleep"
    AT_RISK = "at_risk", "At risk"
    CANNOT_LOSE = "cannot_lose", "Can't lose them"
    HIBERNATING = "hibernating", "Hibernating"
    LOST = "lost", "Lost"


class CustomerScore(models.Model):
    """A customer's scores as of `computed_at`: RFM, and the CLV models' predictions.

    The model fields are None when the store's data could not support a fit (too few repeat
    customers): the dashboard then says why instead of showing a number.
    """

    customer = models.OneToOneField(
        Customer, primary_key=True, on_delete=models.CASCADE, related_name="score"
    )
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="customer_scores")
    # The inputs, in days, as the models saw them (shown as "why" on the customer page).
    frequency = models.IntegerField(help_text="repeat purchases (days with an order, minus one)")
    recency_days = models.FloatField(help_text="first to last purchase")
    age_days = models.FloatField(help_text="first purchase to the computation")
    days_since_last_order = models.FloatField()
    orders = models.IntegerField()
    total_spent = models.DecimalField(max_digits=14, decimal_places=3)
    average_repeat_spend = models.DecimalField(max_digits=14, decimal_places=3)
    recency_score = models.SmallIntegerField()
    frequency_score = models.SmallIntegerField()
    monetary_score = models.SmallIntegerField()
    segment = models.CharField(max_length=24, choices=Segment.choices)
    p_alive = models.FloatField(null=True, blank=True)
    expected_orders_90_days = models.FloatField(null=True, blank=True)
    expected_next_order_at = models.DateTimeField(null=True, blank=True)
    predicted_clv = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    churn_risk = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["store", "segment"]),
            models.Index(fields=["store", "churn_risk"]),
        ]


class InsightsSettings(models.Model):
    """A store's choices for the models (the defaults serve most stores)."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="insights_settings")
    churn_threshold = models.FloatField(
        default=0.3, help_text="a customer is at churn risk when P(alive) falls below this"
    )
    clv_horizon_months = models.PositiveSmallIntegerField(default=12)
    monthly_discount_rate = models.FloatField(default=0.01)


class StoreInsights(models.Model):
    """The store's figures as of the last full refresh (what the Insights page shows, computed by
    the worker so the page only reads), with the fitted model parameters that score customers
    between refreshes, and the watermark of the customers rescored since."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="insights")
    computed_at = models.DateTimeField()
    seconds = models.FloatField(help_text="how long the refresh took")
    figures = models.JSONField(default=dict)
    # Orders changed after this moment have customers whose scores are not up to date.
    scored_through = models.DateTimeField()
