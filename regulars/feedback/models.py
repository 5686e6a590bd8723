"""Feedback: surveys a customer answers in one tap, and product reviews the store answers in
public.

A SurveySend is one invitation (the signed link in one message points to it); the customer's
answer to it is one SurveyAnswer (a second tap updates it), mirrored for NPS and CSAT into
insights' SurveyResponse, which the figures read. A Review is one customer's rating of one
product; ProductRating keeps each product's published aggregates so that the public widget never
counts rows. A FollowUp is a task for staff: a detractor to call back, a bad review to answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from regulars.commerce.models import Customer, Order, OrderLine, Product
from regulars.core.models import Store
from regulars.insights.models import SurveyResponse


class SurveyKind(models.TextChoices):
    NPS = "nps", "NPS (0–10)"
    CSAT = "csat", "CSAT (1–5)"
    CUSTOM = "custom", "Custom questions"


class QuestionType(models.TextChoices):
    SCALE = "scale", "Scale"
    CHOICE = "choice", "Choice"
    TEXT = "text", "Text"


class Survey(models.Model):
    """A store's survey: the built-in NPS and CSAT ones, or a custom one of a few questions.

    For NPS and CSAT, `question` and `reason_question` override the default wording (empty: the
    wording in the customer's language). A custom survey's `questions` is a list of
    {"id", "type": scale|choice|text, "label", "min", "max", "options": [...], "required"}.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="surveys")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=SurveyKind.choices)
    question = models.CharField(max_length=300, blank=True, default="")
    reason_question = models.CharField(max_length=300, blank=True, default="")
    questions = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["store", "key"], name="survey_unique_key")]

    def __str__(self) -> str:
        return self.name


class SurveySend(models.Model):
    """One invitation to answer a survey, the target of one signed link.

    `key` makes creating it idempotent (a journey step asks for the link of its enrollment once
    per render): unique per store.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sends")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="survey_sends")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, blank=True, default="email")
    source = models.CharField(
        max_length=80, blank=True, default="", help_text="e.g. journey:delivery_followup"
    )
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "key"], name="survey_send_unique_key")
        ]


class SurveyAnswer(models.Model):
    """The answer to one send. `score` is the NPS or CSAT score (or the first scale question of a
    custom survey); `answers` holds every question's answer by question id."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    send = models.OneToOneField(SurveySend, on_delete=models.CASCADE, related_name="answer")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="survey_answers")
    score = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, default="")
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True, default="")
    # The same answer as insights reads it (NPS and CSAT only).
    response = models.OneToOneField(
        SurveyResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The staff's reply, sent to the customer by e-mail.
    reply = models.TextField(blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_message_id = models.BigIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField()
    # When the customer last answered on the survey page itself (a POST, which mail scanners
    # do not send): from then on a link opened from the message no longer changes the score.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["store", "answered_at"], name="survey_answer_recent")]


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    HIDDEN = "hidden", "Hidden"


class ReviewSource(models.TextChoices):
    REQUEST = "request", "Review request"
    API = "api", "API"
    IMPORT = "import", "Import"


class Review(models.Model):
    """One rating of one product. `verified` marks a review whose author received (a delivered
    fulfillment of) an order with a line of that product. One review per order and product."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="reviews")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.SmallIntegerField()
    title = models.CharField(max_length=200, blank=True, default="")
    body = models.TextField(blank=True, default="")
    author_name = models.CharField(max_length=120, blank=True, default="")
    author_email = models.EmailField(blank=True, default="")
    language = models.CharField(max_length=10, blank=True, default="")
    verified = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    # Why it waits or was rejected or hidden: the checks' findings or the moderator's reason.
    moderation_reason = models.CharField(max_length=300, blank=True, default="")
    flags = models.JSONField(default=list, blank=True, help_text='e.g. ["spam", "profanity"]')
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        max_length=10, choices=ReviewSource.choices, default=ReviewSource.REQUEST
    )
    external_id = models.CharField(max_length=64, blank=True, default="")
    # The merchant's public reply, shown under the review.
    reply = models.TextField(blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(help_text="when the customer wrote it (imports keep theirs)")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["store", "external_id"],
                condition=~Q(external_id=""),
                name="review_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=["order", "product"],
                condition=Q(order__isnull=False),
                name="review_one_per_order_and_product",
            ),
        ]
        indexes = [
            # The public list of a product: its published reviews, newest first.
            models.Index(fields=["product", "status", "-published_at"], name="review_product_list"),
            # The inbox and the moderation queue: worst first.
            models.Index(fields=["store", "status", "rating"], name="review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title or self.body[:40]}"


class ReviewPhoto(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="reviews/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.IntegerField()
    width = models.IntegerField(default=0)
    height = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class ProductRating(models.Model):
    """A product's published reviews in figures, kept up to date on every status change."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="rating")
    count = models.IntegerField(default=0)
    total = models.IntegerField(default=0, help_text="the sum of the ratings")
    stars_1 = models.IntegerField(default=0)
    stars_2 = models.IntegerField(default=0)
    stars_3 = models.IntegerField(default=0)
    stars_4 = models.IntegerField(default=0)
    stars_5 = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    @property
    def distribution(self) -> dict[int, int]:
        return {stars: getattr(self, f"stars_{stars}") for stars in range(1, 6)}


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class FollowUp(models.Model):
    """A task for staff: call back a detractor, answer a bad review."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="feedback_followups")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        SurveyAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    reason = models.CharField(max_length=300)
    status = models.CharField(
        max_length=6, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["store", "status", "due_at"], name="followup_open")]


class FeedbackSettings(models.Model):
    """A store's feedback choices. Reviews rated `auto_publish_min_rating` or more that pass the
    spam and language checks are published at once (0: every review waits for a moderator)."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="feedback_settings")
    auto_publish_min_rating = models.SmallIntegerField(default=4)
    # Words that send a review to the queue, one per line, on top of the built-in lists.
    blocked_words = models.TextField(blank=True, default="")
    # Staff e-mails alerted when a detractor answers (empty: the store's owners and admins).
    alert_emails = models.TextField(blank=True, default="")
    # "Unanswered for N hours" in the inbox; a follow-up's due time.
    reply_within_hours = models.IntegerField(default=24)
    # The outgoing webhook: review.published, survey.detractor (signed like the coupon webhook).
    webhook_url = models.URLField(max_length=1000, blank=True, default="")
    webhook_secret_encrypted = models.TextField(blank=True, default="")
    webhook_secret_hint = models.CharField(max_length=12, blank=True, default="")
    webhook_enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class FeedbackEvent(models.TextChoices):
    REVIEW_PUBLISHED = "review.published", "Review published"
    DETRACTOR = "survey.detractor", "Detractor answered"


class FeedbackWebhookDelivery(models.Model):
    """One attempt to post a feedback event to the store's webhook, kept as a log."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=30, choices=FeedbackEvent.choices)
    object_id = models.BigIntegerField()
    payload = models.JSONField(default=dict)
    attempt = models.IntegerField()
    status_code = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)


class ImportedPhotoStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be fetched"
    FETCHED = "fetched", "Fetched"
    REFUSED = "refused", "Refused"


class ImportedPhoto(models.Model):
    """A photo address of an imported review, fetched by a task (services/photo_fetch.py) and
    kept as a ReviewPhoto once it passes the checks of an uploaded photo. A refused one keeps
    its reason. One per review and address: importing again adds none."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="imported_photos")
    # The import that found it, where its failures are listed (the dashboard's imports page).
    run = models.ForeignKey(
        "commerce.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    line = models.IntegerField(default=0, help_text="the row of the file")
    url = models.CharField(max_length=1000)
    position = models.SmallIntegerField(help_text="1 for the row's first photo address")
    status = models.CharField(
        max_length=8, choices=ImportedPhotoStatus.choices, default=ImportedPhotoStatus.PENDING
    )
    error = models.CharField(max_length=300, blank=True, default="")
    attempts = models.SmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    photo = models.ForeignKey(
        ReviewPhoto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "url"], name="imported_photo_once")
        ]
        indexes = [models.Index(fields=["store", "status"], name="imported_photo_pending")]
