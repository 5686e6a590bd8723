"""The feedback inbox: reviews and survey comments in one list, unhappy customers first, each
with how long it has waited for an answer; the open follow-ups; the time to first reply.

Reads, except `do_close_followup` (staff mark a follow-up done from the inbox). Replies and
moderation are written by surveys.py and reviews.py; the inbox only shows and links them.

Which items: reviews written through a request or the API (imports are history, not waiting
for anyone) that are waiting for moderation or published, and survey answers with a comment.
Negative means a review of 1-2 stars, an NPS detractor (0-6) or a CSAT of 1-2.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.roles import Permission
from regulars.core.services import check_permission
from regulars.feedback.models import (
    FeedbackSettings,
    FollowUp,
    FollowUpStatus,
    Review,
    ReviewSource,
    ReviewStatus,
    SurveyAnswer,
    SurveyKind,
)

REVIEW = "review"
SURVEY = "survey"
KINDS = (REVIEW, SURVEY)
STATES = ("unanswered", "answered", "all")
SENTIMENTS = ("negative", "neutral", "positive")
STARS = ("1", "2", "3", "4", "5")
REPLY_TIME_DAYS = 30
DEFAULT_REPLY_WITHIN_HOURS = FeedbackSettings._meta.get_field("reply_within_hours").default
INBOX_STATUSES = (ReviewStatus.PENDING, ReviewStatus.PUBLISHED)


def reply_within_hours(store) -> int:
    hours = (
        FeedbackSettings.objects.filter(store=store)
        .values_list("reply_within_hours", flat=True)
        .first()
    )
    return DEFAULT_REPLY_WITHIN_HOURS if hours is None else hours


# --- negative, neutral, positive ------------------------------------------------------------------


def answer_sentiment(kind: str, score: int | None) -> str:
    """NPS: 0-6 negative, 7-8 neutral, 9-10 positive; CSAT: 1-2, 3, 4-5; otherwise neutral."""
    if score is None or kind not in (SurveyKind.NPS, SurveyKind.CSAT):
        return "neutral"
    low, high = (6, 8) if kind == SurveyKind.NPS else (2, 3)
    return "negative" if score <= low else "neutral" if score <= high else "positive"


def review_sentiment(rating: int) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def is_detractor(kind: str, score: int | None) -> bool:
    return answer_sentiment(kind, score) == "negative"


_NEGATIVE_ANSWER = Q(survey__kind=SurveyKind.NPS, score__lte=6) | Q(
    survey__kind=SurveyKind.CSAT, score__lte=2
)
_POSITIVE_ANSWER = Q(survey__kind=SurveyKind.NPS, score__gte=9) | Q(
    survey__kind=SurveyKind.CSAT, score__gte=4
)
_ANSWER_SENTIMENT = {
    "negative": _NEGATIVE_ANSWER,
    "positive": _POSITIVE_ANSWER,
    "neutral": ~_NEGATIVE_ANSWER & ~_POSITIVE_ANSWER | Q(score__isnull=True),
}
_REVIEW_SENTIMENT = {
    "negative": Q(rating__lte=2),
    "neutral": Q(rating=3),
    "positive": Q(rating__gte=4),
}


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    kind: str = ""  # "", review, survey
    rating: str = ""  # "", negative, neutral, positive, or "1".."5" (reviews' stars)
    state: str = "unanswered"  # unanswered, answered, all
    language: str = ""

    def __post_init__(self):
        checks = (
            ("kind", self.kind, ("", *KINDS)),
            ("rating", self.rating, ("", *SENTIMENTS, *STARS)),
            ("state", self.state, STATES),
        )
        for field, value, allowed in checks:
            if value not in allowed:
                raise RegularsError(
                    f"{value!r} is not one of {', '.join(a for a in allowed if a)}.", field=field
                )


def _language(store):
    """The item's language, else its customer's, else the store's: lower-case, as stored."""
    return Lower(
        Coalesce(
            NullIf("language", Value("")),
            NullIf("customer__language", Value("")),
            Value(store.default_language or ""),
            output_field=CharField(),
        )
    )


def _language_match(code: str) -> Q:
    code = code.strip().lower()
    return Q(lang=code) | Q(lang__startswith=f"{code}-")


def inbox_reviews(store, filters: InboxFilters):
    reviews = (
        Review.objects.filter(store=store, status__in=INBOX_STATUSES)
        .exclude(source=ReviewSource.IMPORT)
        .annotate(lang=_language(store))
    )
    if filters.rating in STARS:
        reviews = reviews.filter(rating=int(filters.rating))
    elif filters.rating:
        reviews = reviews.filter(_REVIEW_SENTIMENT[filters.rating])
    if filters.state == "unanswered":
        reviews = reviews.filter(replied_at__isnull=True)
    elif filters.state == "answered":
        reviews = reviews.filter(replied_at__isnull=False)
    if filters.language:
        reviews = reviews.filter(_language_match(filters.language))
    return reviews


def inbox_answers(store, filters: InboxFilters):
    answers = (
        SurveyAnswer.objects.filter(store=store).exclude(comment="").annotate(lang=_language(store))
    )
    if filters.rating in STARS:
        return answers.none()  # stars are a review's
    if filters.rating:
        answers = answers.filter(_ANSWER_SENTIMENT[filters.rating])
    if filters.state == "unanswered":
        answers = answers.filter(replied_at__isnull=True)
    elif filters.state == "answered":
        answers = answers.filter(replied_at__isnull=False)
    if filters.language:
        answers = answers.filter(_language_match(filters.language))
    return answers


def inbox_rows(store, filters: InboxFilters):
    """(kind, id, negative, at) of every item, negative first, then the longest waiting first.

    One UNION query, so the list pages and counts in the database whatever the mix; the page's
    rows are then loaded with `inbox_items`.
    """
    reviews = (
        inbox_reviews(store, filters)
        .annotate(
            kind=Value(REVIEW, output_field=CharField()),
            negative=Case(When(rating__lte=2, then=1), default=0, output_field=IntegerField()),
            at=F("written_at"),
        )
        .values_list("kind", "pk", "negative", "at")
        .order_by()
    )
    answers = (
        inbox_answers(store, filters)
        .annotate(
            kind=Value(SURVEY, output_field=CharField()),
            negative=Case(When(_NEGATIVE_ANSWER, then=1), default=0, output_field=IntegerField()),
            at=F("answered_at"),
        )
        .values_list("kind", "pk", "negative", "at")
        .order_by()
    )
    if filters.kind == REVIEW:
        rows = reviews
    elif filters.kind == SURVEY:
        rows = answers
    else:
        rows = reviews.union(answers, all=True)
    return rows.order_by("-negative", "at", "kind", "pk")


@dataclass
class InboxItem:
    kind: str
    obj: Review | SurveyAnswer
    sentiment: str
    at: datetime
    waiting_hours: int | None  # None once answered
    overdue: bool

    @property
    def is_review(self) -> bool:
        return self.kind == REVIEW

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.obj.pk}"


def inbox_items(store, rows, *, now: datetime, within_hours: int) -> list[InboxItem]:
    """The objects behind `rows` (a page of `inbox_rows`), in the same order, in three queries."""
    ids = {REVIEW: [], SURVEY: []}
    for kind, pk, _negative, _at in rows:
        ids[kind].append(pk)
    found = {}
    if ids[REVIEW]:
        for review in (
            Review.objects.filter(store=store, pk__in=ids[REVIEW])
            .annotate(lang=_language(store))
            .select_related("product", "customer", "replied_by", "order")
            .prefetch_related("photos")
        ):
            found[(REVIEW, review.pk)] = review
    if ids[SURVEY]:
        for answer in (
            SurveyAnswer.objects.filter(store=store, pk__in=ids[SURVEY])
            .annotate(lang=_language(store))
            .select_related("survey", "customer", "replied_by", "send__order")
        ):
            found[(SURVEY, answer.pk)] = answer
    items = []
    for kind, pk, _negative, at in rows:
        obj = found.get((kind, pk))
        if obj is None:
            continue
        sentiment = (
            review_sentiment(obj.rating)
            if kind == REVIEW
            else answer_sentiment(obj.survey.kind, obj.score)
        )
        waiting = None if obj.replied_at else waiting_hours(at, now)
        items.append(
            InboxItem(
                kind=kind,
                obj=obj,
                sentiment=sentiment,
                at=at,
                waiting_hours=waiting,
                overdue=waiting is not None and waiting >= within_hours,
            )
        )
    return items


def waiting_hours(since: datetime, now: datetime) -> int:
    """Whole hours from `since` to `now` (0 for a time in the future)."""
    return max(0, int((now - since).total_seconds() // 3600))


def inbox_languages(store) -> list[str]:
    """The languages the inbox has items in (for the filter)."""
    everything = InboxFilters(state="all")
    found = set(inbox_reviews(store, everything).values_list("lang", flat=True).distinct())
    found |= set(inbox_answers(store, everything).values_list("lang", flat=True).distinct())
    return sorted(code for code in found if code)


def unanswered_counts(store, *, now: datetime, within_hours: int) -> dict:
    """How many items wait for an answer, and how many of them longer than `within_hours`."""
    waiting = InboxFilters(state="unanswered")
    late = now - timedelta(hours=within_hours)
    reviews = inbox_reviews(store, waiting)
    answers = inbox_answers(store, waiting)
    return {
        "waiting": reviews.count() + answers.count(),
        "overdue": reviews.filter(written_at__lte=late).count()
        + answers.filter(answered_at__lte=late).count(),
    }


# --- time to first reply ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyTimes:
    n: int
    median_hours: float | None
    p90_hours: float | None


def reply_times(store, *, now: datetime, days: int = REPLY_TIME_DAYS) -> ReplyTimes:
    """Median and 90th percentile of the time to first reply, in hours, over the replies given in
    the last `days` days: replied_at - written_at for reviews, - answered_at for survey answers.
    Imported reviews are left out (their reply times are another tool's)."""
    since = now - timedelta(days=days)
    review_pairs = (
        Review.objects.filter(store=store, replied_at__gte=since, replied_at__lte=now)
        .exclude(source=ReviewSource.IMPORT)
        .values_list("replied_at", "written_at")
    )
    answer_pairs = SurveyAnswer.objects.filter(
        store=store, replied_at__gte=since, replied_at__lte=now
    ).values_list("replied_at", "answered_at")
    seconds = [
        max(0.0, (replied - written).total_seconds())
        for pairs in (review_pairs, answer_pairs)
        for replied, written in pairs
    ]
    if not seconds:
        return ReplyTimes(0, None, None)
    # Here, not at the top: this module loads in every process, NumPy in few of them.
    import numpy as np

    hours = np.asarray(seconds) / 3600
    return ReplyTimes(
        len(seconds),
        round(float(np.percentile(hours, 50)), 1),
        round(float(np.percentile(hours, 90)), 1),
    )


# --- follow-ups -------------------------------------------------------------------------------------


def open_followups(store):
    return (
        FollowUp.objects.filter(store=store, status=FollowUpStatus.OPEN)
        .select_related("customer", "answer__survey", "review__product", "assigned_to")
        .order_by("due_at", "pk")
    )


def access_followup(store, followup_id: int) -> FollowUp:
    followup = FollowUp.objects.filter(store=store, pk=followup_id).first()
    if followup is None:
        raise RegularsError("No such follow-up in this store.", code=CoreErrorCode.NOT_FOUND)
    return followup


def do_close_followup(followup: FollowUp, user, *, note: str = "", now=None) -> FollowUp:
    """Mark a follow-up done (staff who may act for customers); done twice changes nothing."""
    check_permission(followup.store, user, Permission.SUPPORT)
    now = now or timezone.now()
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk=followup.pk, status=FollowUpStatus.OPEN).update(
            status=FollowUpStatus.DONE,
            done_at=now,
            done_by=user,
            note=(note or "").strip() or F("note"),
        )
    followup.refresh_from_db()
    followup.closed_now = bool(changed)
    return followup
