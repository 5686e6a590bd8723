"""Journeys: a trigger, entry conditions and steps, run per customer by enrollments.

A Journey row is one store's copy of a built-in journey (library.py) with the merchant's
settings; its `steps` are rebuilt from the library and the settings whenever they change.
An Enrollment is one customer's way through one journey: the step it is at and when that step
is due (`next_run_at`). Each step taken leaves a StepRun, written in the same transaction as the
step's effect (a queued message, an issued coupon), so that a step is done exactly once.
"""

from django.db import models

from regulars.commerce.models import Cart, Customer, Fulfillment, Order
from regulars.core.models import Store


class Trigger(models.TextChoices):
    ORDER_PLACED = "order_placed", "Order placed"
    ORDER_PAID = "order_paid", "Order paid"
    FULFILLMENT_UPDATED = "fulfillment_updated", "Fulfillment created or updated"
    DELIVERED = "delivered", "Delivered"
    CART_ABANDONED = "cart_abandoned", "Cart abandoned"
    CUSTOMER_CREATED = "customer_created", "Customer created"
    FIRST_ORDER_ANNIVERSARY = "first_order_anniversary", "First-order anniversary"
    BIRTHDAY = "birthday", "Birthday"
    CHURN_RISK = "churn_risk", "Churn risk (P(alive) below the threshold)"
    LAPSED = "lapsed", "Lapsed (past the expected next order)"
    SEGMENT_ENTERED = "segment_entered", "Segment entered"
    SURVEY_ANSWERED = "survey_answered", "Survey answered"
    REVIEW_POSTED = "review_posted", "Review posted"


class Journey(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="journeys")
    key = models.SlugField(max_length=60, help_text="the built-in journey it comes from")
    name = models.CharField(max_length=200)
    trigger = models.CharField(max_length=30, choices=Trigger.choices)
    enabled = models.BooleanField(default=False)
    allow_reentry = models.BooleanField(default=True)
    # The merchant's choices (timings, channel, conditions, coupon); library.py documents each.
    settings = models.JSONField(default=dict, blank=True)
    # The steps built from the library and `settings`: a list of {"type": ...} dicts.
    steps = models.JSONField(default=list, blank=True)
    enabled_at = models.DateTimeField(null=True, blank=True)
    # Time-based triggers look at what happened after this moment (set by each evaluation).
    evaluated_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "key"], name="journey_unique_key"),
        ]
        indexes = [models.Index(fields=["trigger", "enabled"], name="journey_trigger")]

    def __str__(self) -> str:
        return f"{self.name} ({self.store_id})"


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "In progress"
    COMPLETED = "completed", "Completed"
    EXITED = "exited", "Exited"
    # Recorded but never run: e.g. already a champion when the journey was switched on.
    SKIPPED = "skipped", "Skipped"


class Enrollment(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="enrollments")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="enrollments")
    # What this enrollment is for (an order, a cart, a year's anniversary ...): the same
    # occurrence never enrolls twice; "c<customer>" alone when re-entry is not allowed, so
    # such a journey holds a customer once. With re-entry, two shipments of one customer
    # are two enrollments at the same time.
    entry_key = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    step_index = models.PositiveSmallIntegerField(default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfillment = models.ForeignKey(
        Fulfillment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cart = models.ForeignKey(
        Cart, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Facts fixed at entry that later steps compare against (e.g. the fulfillment status that
    # triggered a shipping update) and ids produced by steps (the coupon issued).
    context = models.JSONField(default=dict, blank=True)
    entered_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    exit_reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "entry_key"], name="enrollment_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_run_at"], name="enrollment_due"),
            models.Index(fields=["customer", "-entered_at"], name="enrollment_customer"),
            models.Index(fields=["journey", "-entered_at"], name="enrollment_journey"),
        ]


class StepOutcome(models.TextChoices):
    WAITED = "waited", "Waited"
    PASSED = "passed", "Condition met"
    BRANCHED = "branched", "Condition not met"
    QUEUED = "queued", "Message queued"
    COUPON = "coupon", "Coupon issued"
    SKIPPED = "skipped", "Skipped"
    EXITED = "exited", "Exited"


class StepRun(models.Model):
    """One step taken by one enrollment; unique, so a retried run cannot take it twice."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="runs")
    step_index = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12)
    outcome = models.CharField(max_length=10, choices=StepOutcome.choices)
    detail = models.CharField(max_length=300, blank=True, default="")
    # Messaging's row for a send step; an integer, not a foreign key: journeys reads the
    # message's fate through messaging's selectors and never writes it.
    message_id = models.BigIntegerField(null=True, blank=True)
    coupon_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "step_index"], name="step_run_once"),
        ]
        indexes = [models.Index(fields=["message_id"], name="step_run_message")]


class Conversion(models.Model):
    """An order attributed to a journey: placed within the window after one of its messages
    was clicked (else delivered)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="conversions")
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.BigIntegerField()
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="journey_conversion")
    via = models.CharField(max_length=10, help_text="clicked or delivered")
    revenue = models.DecimalField(max_digits=14, decimal_places=3)
    currency = models.CharField(max_length=3)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["journey", "-at"], name="conversion_journey")]


class JourneySettings(models.Model):
    """A store's rules common to every journey."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="journey_settings")
    attribution_days = models.PositiveSmallIntegerField(
        default=5, help_text="an order this many days after a journey message counts for it"
    )
