"""Surveys: a store's built-in NPS and CSAT surveys and its custom ones, the sends (one signed
link each), the customer's answer (one per send: a second tap updates it) mirrored into
insights' SurveyResponse, and what follows an answer: promoters are invited to write a review;
detractors get an apology, and staff a follow-up task and an alert e-mail, once per answer.

The checks of questions and answers are in survey_checks.py; docs/feedback.md ("Surveys")
describes the behaviour for merchants.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from regulars.commerce.models import Customer, Order, OrderLine
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.events import enqueue_on_commit
from regulars.core.models import Membership, Store
from regulars.core.roles import Permission, Role
from regulars.core.services import check_permission
from regulars.core.timeutil import zoneinfo_or_utc
from regulars.feedback import events, links
from regulars.feedback.models import (
    FollowUp,
    FollowUpStatus,
    Survey,
    SurveyAnswer,
    SurveyKind,
    SurveySend,
)
from regulars.feedback.services.settings import settings_of
from regulars.feedback.services.survey_checks import (
    SCALES,
    AnswerError,
    check_answers,
    check_comment,
    check_score,
    check_survey_questions,
    first_scale_question,
    scale_of,
)
from regulars.feedback.survey_texts import text
from regulars.insights.models import SurveyResponse
from regulars.journeys.handlers import enroll_for
from regulars.journeys.models import Trigger
from regulars.messaging.models import Channel, Purpose
from regulars.messaging.services.preferences import customer_language
from regulars.messaging.services.sending import do_queue_message

# The built-in surveys every store has (created on demand), by key.
NPS, CSAT = "nps", "csat"
BUILT_IN = {
    NPS: (SurveyKind.NPS, "Net Promoter Score"),
    CSAT: (SurveyKind.CSAT, "Customer satisfaction"),
}

PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"

MAX_REPLY = 5000
# How long a detractor's alert waits for the reason typed after the one-tap score.
ALERT_DELAY = timedelta(minutes=5)
# The note on a follow-up closed because the customer's new score is no detractor's.
SCORE_CHANGED_NOTE = "the customer changed the score to"
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


@dataclass(frozen=True)
class Answered:
    answer: SurveyAnswer
    first: bool  # no answer to this send existed before
    changed: bool  # something was written (a repeated tap of the same score writes nothing)
    sentiment: str  # promoter, passive, detractor; "" for a custom survey
    # A link's score was not taken: the customer had chosen on the page since (see do_answer).
    kept: bool = False


# --- surveys ----------------------------------------------------------------------------------


def ensure_surveys(store: Store) -> dict[str, Survey]:
    """The store's built-in surveys by key, created the first time they are asked for."""
    found = {s.key: s for s in Survey.objects.filter(store=store, key__in=list(BUILT_IN))}
    for key, (kind, name) in BUILT_IN.items():
        if key in found:
            continue
        try:
            with transaction.atomic():
                found[key] = Survey.objects.create(store=store, key=key, name=name, kind=kind)
        except IntegrityError:  # created by a concurrent call a moment ago
            found[key] = Survey.objects.get(store=store, key=key)
    return found


def access_survey(store: Store, key: str) -> Survey:
    if key in BUILT_IN:
        return ensure_surveys(store)[key]
    survey = Survey.objects.filter(store=store, key=key).first()
    if survey is None:
        raise RegularsError(
            f"This store has no survey {key!r}.", code=CoreErrorCode.NOT_FOUND, field="key"
        )
    return survey


def _check_editor(store: Store, user) -> None:
    """`user` None: the store itself (the API, a test); else one who may change settings."""
    if user is None:
        return
    check_permission(store, user, Permission.SETTINGS)


def do_save_custom_survey(
    store: Store,
    *,
    key: str,
    name: str,
    questions,
    enabled: bool = True,
    create: bool = False,
    user=None,
) -> Survey:
    """Create or update the custom survey `key` of the store; `create`: only create (a key
    already taken is refused, rather than replacing that survey)."""
    _check_editor(store, user)
    key = (key or "").strip().lower()
    if not _KEY.fullmatch(key):
        raise RegularsError(
            "A survey key is 1 to 60 lower-case letters, digits, '-' or '_'.", field="key"
        )
    if key in BUILT_IN:
        raise RegularsError(f"{key!r} is a built-in survey; pick another key.", field="key")
    if create and Survey.objects.filter(store=store, key=key).exists():
        raise RegularsError(
            f"The store already has a survey {key!r}; pick another key.", field="key"
        )
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise RegularsError("Give the survey a name of at most 200 characters.", field="name")
    checked = check_survey_questions(questions)
    survey, _ = Survey.objects.update_or_create(
        store=store,
        key=key,
        defaults={
            "name": name,
            "kind": SurveyKind.CUSTOM,
            "questions": checked,
            "enabled": bool(enabled),
        },
    )
    return survey


def do_update_survey(
    survey: Survey,
    *,
    question: str | None = None,
    reason_question: str | None = None,
    enabled: bool | None = None,
    user=None,
) -> Survey:
    """The store's own wording of a built-in survey (NPS, CSAT): `question` and
    `reason_question`, empty for the default wording in the customer's language; and whether
    the survey is sent at all (`enabled`, any survey). None leaves a value as it is."""
    _check_editor(survey.store, user)
    fields = []
    for name, value in (("question", question), ("reason_question", reason_question)):
        if value is None:
            continue
        if survey.kind not in SCALES:
            raise RegularsError("A custom survey's wording is in its questions.", field=name)
        value = " ".join(str(value).split())
        if len(value) > 300:
            raise RegularsError("The wording is at most 300 characters.", field=name)
        setattr(survey, name, value)
        fields.append(name)
    if enabled is not None:
        survey.enabled = bool(enabled)
        fields.append("enabled")
    if fields:
        survey.save(update_fields=[*fields, "updated_at"])
    return survey


def question_ids_in_use(survey: Survey) -> set[str]:
    """Every question id the survey has or its answers hold: a new question takes another, so
    that it is never credited with the answers to a question that was removed."""
    used = {q.get("id") for q in survey.questions}
    for answers in (
        SurveyAnswer.objects.filter(store_id=survey.store_id, survey=survey)
        .values_list("answers", flat=True)
        .iterator()
    ):
        used.update(answers or ())
    return used


def sentiment(kind: str, score: int | None) -> str:
    if score is None or kind not in SCALES:
        return ""
    promoter, detractor = (9, 6) if kind == SurveyKind.NPS else (5, 2)
    if score >= promoter:
        return PROMOTER
    return DETRACTOR if score <= detractor else PASSIVE


# --- sends and links --------------------------------------------------------------------------


def do_send_for(
    survey: Survey,
    customer: Customer,
    key: str,
    *,
    order: Order | None = None,
    channel: str = "email",
    source: str = "",
) -> SurveySend:
    """The send of `survey` to `customer` named `key` (unique per store), created once: the
    same key again returns the first send, so a message rendered twice links to one answer."""
    if customer.store_id != survey.store_id:
        raise RegularsError("The customer belongs to another store.", field="customer")
    if order is not None and order.store_id != survey.store_id:
        raise RegularsError("The order belongs to another store.", field="order")
    if not key or len(key) > 120:
        raise RegularsError("A send key is 1 to 120 characters.", field="key")
    if not survey.enabled:
        raise RegularsError(f"The survey {survey.key!r} is switched off.", field="survey")
    existing = SurveySend.objects.filter(store_id=survey.store_id, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                return SurveySend.objects.create(
                    store_id=survey.store_id,
                    survey=survey,
                    customer=customer,
                    order=order,
                    channel=(channel or "")[:20],
                    source=(source or "")[:80],
                    key=key,
                )
        except IntegrityError:  # the same key, sent by a concurrent call a moment ago
            existing = SurveySend.objects.get(store_id=survey.store_id, key=key)
    if existing.customer_id != customer.pk or existing.survey_id != survey.pk:
        raise RegularsError(
            f"The send key {key!r} is already used for another customer or survey.", field="key"
        )
    return existing


def survey_link(send: SurveySend) -> str:
    return links.survey_url(send.store_id, send.pk)


def score_links(send: SurveySend) -> list[dict]:
    """One link per score of the send's scale, [{"score": n, "url": ...}], for one-tap buttons."""
    scale = scale_of(send.survey)
    if scale is None:
        return []
    low, high = scale
    return [
        {"score": n, "url": links.survey_url(send.store_id, send.pk, n)}
        for n in range(low, high + 1)
    ]


def access_send(token: str) -> SurveySend:
    """The send a survey link names, looked up inside the store the link names (BadLink else)."""
    link = links.read_survey_token(token)
    send = (
        SurveySend.objects.select_related("survey", "customer", "store", "order")
        .filter(store_id=link.store_id, pk=link.send_id)
        .first()
    )
    if send is None:
        raise links.BadLink()
    return send


def review_link(send: SurveySend) -> str:
    """The review page of the send's order, when it has products to review ("" otherwise)."""
    if send.order_id is None or send.order.customer_id != send.customer_id:
        return ""
    if not OrderLine.objects.filter(order_id=send.order_id, product__isnull=False).exists():
        return ""
    try:
        return links.review_url(send.store_id, send.order_id, send.customer_id)
    except NoReverseMatch:  # no review page in this installation
        return ""


# --- answers ----------------------------------------------------------------------------------


def do_answer(
    send: SurveySend,
    *,
    score=None,
    comment: str | None = None,
    answers: dict | None = None,
    now: datetime | None = None,
    language: str = "",
    from_page: bool = False,
) -> Answered:
    """Record the customer's answer to `send`: the first one, or an update of it (a second tap,
    the reason typed after the one-tap score). For NPS and CSAT the answer is mirrored into
    insights' SurveyResponse (external_id "send:<id>"). A detractor's answer opens a follow-up
    and alerts staff, once per answer; a score changed to a non-detractor's closes the open
    follow-up, and one changed back reopens it (no second alert).

    `from_page`: the customer acted on the survey page (a POST, which mail scanners do not
    send), not opened a link from the message (a GET, which they do). An answer chosen on the
    page is the customer's explicit choice: a link's score opened later does not replace it
    (`kept`); the page itself still can.

    `score` and `comment` left None keep what was there; AnswerError (a RegularsError naming
    the field) for a score off the scale, text too long, a missing required answer.
    """
    now = now or timezone.now()
    survey = send.survey
    built_in = survey.kind in SCALES
    score = None if score is None or score == "" else check_score(survey, score)
    if comment is not None:
        comment = check_comment(comment)
    if answers is not None and built_in:
        raise RegularsError("Only a custom survey has questions to answer.", field="answers")
    with transaction.atomic():
        # Lock the send: two taps arriving together make one answer, not a failed insert.
        SurveySend.objects.select_for_update().filter(pk=send.pk).first()
        answer = SurveyAnswer.objects.filter(send=send).select_related("response").first()
        first = answer is None
        kept = (
            not from_page
            and answer is not None
            and answer.confirmed_at is not None
            and score is not None
            and score != answer.score
        )
        if kept:
            return Answered(answer, False, False, sentiment(survey.kind, answer.score), kept=True)
        if answer is None:
            answer = SurveyAnswer(
                store_id=send.store_id,
                send=send,
                survey=survey,
                customer_id=send.customer_id,
                answered_at=now,
            )
        before = (answer.score, answer.comment, dict(answer.answers), answer.language)
        _apply(answer, survey, score=score, comment=comment, answers=answers)
        if language:
            answer.language = language[:10]
        changed = first or before != (
            answer.score,
            answer.comment,
            answer.answers,
            answer.language,
        )
        confirmed = from_page and answer.confirmed_at is None
        if from_page and (changed or confirmed):
            answer.confirmed_at = now
        if changed or confirmed:
            answer.save()
        if changed and built_in:
            _mirror_response(answer, send)
        mood = sentiment(survey.kind, answer.score)
        _track_follow_up(answer, mood, now)
        if changed:
            events.survey_answered(
                store_id=send.store_id,
                answer_id=answer.pk,
                customer_id=send.customer_id,
                first=first,
            )
    return Answered(answer, first, changed, mood)


def _apply(answer: SurveyAnswer, survey: Survey, *, score, comment, answers) -> None:
    if survey.kind in SCALES:
        if score is not None:
            answer.score = score
        if answer.score is None:
            raise AnswerError(
                "Choose a score before giving a reason.", field="score", reason="score_first"
            )
        if comment is not None:
            answer.comment = comment
        return
    merged = dict(answer.answers)
    if answers is not None:
        merged = check_answers(survey, answers, existing=merged)
    scale = first_scale_question(survey)
    if score is not None and scale is not None:
        merged[scale["id"]] = score
    if not merged and comment is None:
        raise AnswerError("Answer at least one question.", field="answers", reason="required")
    answer.answers = merged
    answer.score = merged.get(scale["id"]) if scale is not None else None
    if comment is not None:
        answer.comment = comment


def _mirror_response(answer: SurveyAnswer, send: SurveySend) -> None:
    values = {
        "kind": answer.survey.kind,
        "score": answer.score,
        "comment": answer.comment,
        "channel": send.channel[:20],
        "source": "survey",
        "customer_id": send.customer_id,
        "order_id": send.order_id,
    }
    response, _ = SurveyResponse.objects.update_or_create(
        store_id=send.store_id,
        external_id=f"send:{send.pk}",
        defaults=values,
        create_defaults=values | {"answered_at": answer.answered_at},
    )
    if answer.response_id != response.pk:
        answer.response = response
        answer.save(update_fields=["response", "updated_at"])


def _score_changed_note(score) -> str:
    return f"{SCORE_CHANGED_NOTE} {score}"


def _track_follow_up(answer: SurveyAnswer, mood: str | None, now: datetime) -> None:
    """Keep the answer's follow-up in step with its score: a detractor's opens one (once),
    a score changed to a non-detractor's closes it (done_by None: no one on the staff did),
    and a change back to a detractor's reopens that one rather than make a second."""
    follow_up = FollowUp.objects.select_for_update().filter(answer=answer).order_by("pk").first()
    if mood == DETRACTOR:
        if follow_up is None:
            _follow_up(answer, now)
        elif (
            follow_up.status == FollowUpStatus.DONE
            and follow_up.done_by_id is None
            and follow_up.note.startswith(SCORE_CHANGED_NOTE)
        ):
            # As it was opened: the first detractor's score, due as then promised.
            follow_up.status = FollowUpStatus.OPEN
            follow_up.done_at = None
            follow_up.note = ""
            follow_up.save(update_fields=["status", "done_at", "note"])
    elif follow_up is not None and follow_up.status == FollowUpStatus.OPEN:
        follow_up.status = FollowUpStatus.DONE
        follow_up.done_at = now
        follow_up.done_by = None
        follow_up.note = _score_changed_note(answer.score)
        follow_up.save(update_fields=["status", "done_at", "done_by", "note"])


def _follow_up(answer: SurveyAnswer, now: datetime) -> FollowUp:
    hours = settings_of(answer.store).reply_within_hours
    follow_up = FollowUp.objects.create(
        store_id=answer.store_id,
        customer_id=answer.customer_id,
        answer=answer,
        reason=f"Detractor: {answer.survey.get_kind_display()} score {answer.score}",
        due_at=now + timedelta(hours=hours),
    )
    from regulars.feedback.tasks import send_detractor_alert

    # A customer who taps a score in the e-mail types the reason a moment later: the alert
    # waits a little so that it carries it (where the task backend can wait). With the
    # database backend the task row commits with the follow-up, or neither does.
    task = send_detractor_alert
    if task.get_backend().supports_defer:
        task = task.using(run_after=now + ALERT_DELAY)
    enqueue_on_commit(task, answer.pk)
    return follow_up


# --- staff alert ------------------------------------------------------------------------------


def alert_recipients(store: Store) -> list[str]:
    """The addresses alerted about a detractor: the store's alert e-mails, else its owners'
    and admins' own addresses."""
    configured = []
    for address in re.split(r"[\s,;]+", settings_of(store).alert_emails or ""):
        try:
            validate_email(address)
        except ValidationError:
            continue
        if address.lower() not in configured:
            configured.append(address.lower())
    if configured:
        return configured
    staff = Membership.objects.filter(store=store, role__in=[Role.OWNER, Role.ADMIN])
    emails = staff.exclude(user__email="").values_list("user__email", flat=True)
    return sorted({email.lower() for email in emails})


def do_send_detractor_alert(answer_id: int) -> int:
    """E-mail staff about a detractor's answer, through Django's e-mail backend (as every staff
    e-mail); the number of addresses it went to."""
    answer = (
        SurveyAnswer.objects.select_related("store", "customer", "survey", "send__order")
        .filter(pk=answer_id)
        .first()
    )
    # The alert waits a few minutes (see _follow_up): a score changed in the meantime to one
    # that is no longer a detractor's (a slip of the finger, or a mail scanner that opened
    # every button of the e-mail in turn) alerts no one.
    if answer is None or sentiment(answer.survey.kind, answer.score) != DETRACTOR:
        return 0
    recipients = alert_recipients(answer.store)
    if not recipients:
        return 0
    subject, body = _alert_text(answer)
    send_mail(subject, body, None, recipients, fail_silently=False)
    return len(recipients)


def _alert_text(answer: SurveyAnswer) -> tuple[str, str]:
    customer, store, survey = answer.customer, answer.store, answer.survey
    low, high = scale_of(survey) or (0, 0)
    who = str(customer) or customer.email or f"customer {customer.pk}"
    subject = f"{store.name}: {who} answered {answer.score} of {high} ({survey.name})"
    lines = [
        f"{who} gave {answer.score} on a scale of {low} to {high} to the survey “{survey.name}”.",
        "",
        f"Customer: {who}" + (f" <{customer.email}>" if customer.email else ""),
    ]
    order = answer.send.order
    if order is not None:
        lines.append(f"Order: {order}")
    comment = answer.comment or "(no reason given yet)"
    lines += ["", "Their reason:", comment, ""]
    follow_up = answer.followups.order_by("pk").first()
    if follow_up is not None:
        due = follow_up.due_at.astimezone(zoneinfo_or_utc(store.timezone))
        lines.append(f"A follow-up is due by {due:%Y-%m-%d %H:%M} ({store.timezone}).")
    page = _customer_page(store, customer)
    if page:
        lines.append(f"The customer in Regulars: {page}")
    return subject[:200], "\n".join(lines) + "\n"


def _customer_page(store: Store, customer: Customer) -> str:
    # By route name only: feedback does not import the dashboard.
    try:
        path = reverse(
            "dashboard:customer", kwargs={"store_slug": store.slug, "customer_id": customer.pk}
        )
    except NoReverseMatch:
        return ""
    return settings.BASE_URL + path


# --- the staff's reply ------------------------------------------------------------------------


def access_answer(store: Store, answer_id: int) -> SurveyAnswer:
    """The store's survey answer `answer_id` (with its customer and survey), else NOT_FOUND."""
    answer = (
        SurveyAnswer.objects.select_related("customer", "survey", "store")
        .filter(store=store, pk=answer_id)
        .first()
    )
    if answer is None:
        raise RegularsError("No such survey answer in this store.", code=CoreErrorCode.NOT_FOUND)
    return answer


def do_reply_to_answer(answer: SurveyAnswer, body: str, user) -> SurveyAnswer:
    """Send the staff's reply to a survey answer to the customer by e-mail (through messaging,
    transactional) and record it. `user` None: the API acting for the store. `replied_at`
    keeps the first reply's time (the inbox measures the time to first reply); `reply` and
    `reply_message_id` the latest. The same text twice queues one e-mail."""
    store = answer.store
    if user is not None:
        check_permission(store, user, Permission.SUPPORT)
    body = str(body or "").replace("\r\n", "\n").strip()
    if not body:
        raise RegularsError(
            "Write the reply before sending it.", code=CoreErrorCode.REQUIRED, field="body"
        )
    if len(body) > MAX_REPLY:
        raise RegularsError(f"A reply is at most {MAX_REPLY} characters.", field="body")
    customer = answer.customer
    if not customer.email:
        raise RegularsError("The customer has no e-mail address to reply to.", field="customer")
    language = answer.language or customer_language(customer)
    subject = text(language, "reply_subject", store=store.name)
    body_text, body_html = _reply_bodies(body, answer.comment, language)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    now = timezone.now()
    with transaction.atomic():
        message = do_queue_message(
            store,
            customer,
            channel=Channel.EMAIL,
            purpose=Purpose.TRANSACTIONAL,
            language=language,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            idempotency_key=f"feedback:survey-reply:{answer.pk}:{digest}",
            source="feedback:survey-reply",
        )
        answer.reply = body
        answer.replied_by = user
        answer.reply_message_id = message.pk
        answer.replied_at = answer.replied_at or now
        answer.save(
            update_fields=["reply", "replied_by", "reply_message_id", "replied_at", "updated_at"]
        )
    return answer


def _reply_bodies(body: str, comment: str, language: str) -> tuple[str, str]:
    text_parts = [body]
    html_parts = [_paragraphs(body)]
    if comment:
        quoted = "\n".join(f"> {line}" for line in comment.splitlines())
        text_parts += ["", text(language, "you_wrote"), quoted]
        html_parts.append(
            f"<p>{html.escape(text(language, 'you_wrote'))}</p>\n"
            f"<blockquote>{_paragraphs(comment)}</blockquote>"
        )
    return "\n".join(text_parts), "\n".join(html_parts)


def _paragraphs(value: str) -> str:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", value) if b.strip()]
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in block.splitlines()) + "</p>"
        for block in blocks
    )


# --- journeys ---------------------------------------------------------------------------------


def on_survey_answered(*, store_id: int, answer_id: int, customer_id: int, first: bool) -> None:
    """A first answer enrolls the customer in the store's journeys on "survey answered"."""
    if not first:
        return
    order_id = (
        SurveyAnswer.objects.filter(pk=answer_id, store_id=store_id)
        .values_list("send__order_id", flat=True)
        .first()
    )
    enroll_for(
        Trigger.SURVEY_ANSWERED,
        store_id,
        customer_id,
        occurrence=f"a{answer_id}",
        order_id=order_id,
    )
