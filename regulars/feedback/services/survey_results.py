"""Read-only: a store's surveys with their figures, and each survey's answers as the merchant
reads them (the dashboard's Surveys pages, the CSV export, the API).

Every figure is one GROUP BY in the database (a survey may have hundreds of thousands of
answers): the sends and answers per survey, the answers per score, per option of a choice
question and per value of each scale question (read from the answers' JSON by key). Nothing
here writes, except `survey_list`, which creates the built-in NPS and CSAT surveys the first
time a store's surveys are listed (as every other entry point does).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from regulars.core.models import Store
from regulars.feedback.models import QuestionType, Survey, SurveyAnswer, SurveyKind, SurveySend
from regulars.feedback.services.survey_checks import SCALES, first_scale_question, scale_of
from regulars.feedback.services.surveys import ensure_surveys, question_ids_in_use
from regulars.feedback.services.timefmt import iso_utc
from regulars.insights.surveys import ScoreSummary, summarize


@dataclass(frozen=True)
class Bar:
    """One bar of a distribution: a score or an option, its count and share of the answers."""

    label: str
    count: int
    share: float  # 0..100, of the answers to that question
    width: int  # 0..100, of the longest bar: how long the page draws it


@dataclass(frozen=True)
class QuestionFigures:
    question: dict
    answered: int
    bars: list[Bar] = field(default_factory=list)  # empty for a text question


@dataclass(frozen=True)
class SurveyFigures:
    survey: Survey
    sends: int
    answers: int
    comments: int  # answers with a comment (NPS, CSAT) or a text answer (custom)
    summary: ScoreSummary | None  # NPS or CSAT, with its interval
    scores: list[Bar]  # the score's distribution: NPS, CSAT, a custom survey's first scale
    questions: list[QuestionFigures]  # a custom survey's questions, one by one

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answers / self.sends, 1) if self.sends else None


def survey_list(store: Store) -> list[Survey]:
    """The store's surveys (the built-in ones first), each annotated with `send_count`,
    `answer_count` and `last_answered_at`; two queries whatever their number."""
    ensure_surveys(store)
    sends = (
        SurveySend.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answers = (
        SurveyAnswer.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"), last=Max("answered_at"))
    )
    rows = Survey.objects.filter(store=store).annotate(
        send_count=Coalesce(Subquery(sends), 0),
        answer_count=Coalesce(Subquery(answers.values("n")), 0),
        last_answered_at=Subquery(answers.values("last")),
    )
    order = {SurveyKind.NPS: 0, SurveyKind.CSAT: 1}
    return sorted(rows, key=lambda s: (order.get(s.kind, 2), s.name.lower(), s.pk))


def survey_answers(survey: Survey, *, since: datetime | None = None):
    """The survey's answers, newest first, with what a list shows of each."""
    answers = (
        SurveyAnswer.objects.filter(store_id=survey.store_id, survey=survey)
        .select_related("customer", "send__order")
        .order_by("-answered_at", "-pk")
    )
    if since is not None:
        answers = answers.filter(answered_at__gte=since)
    return answers


def survey_figures(survey: Survey) -> SurveyFigures:
    answers = SurveyAnswer.objects.filter(store_id=survey.store_id, survey=survey).order_by()
    sends = SurveySend.objects.filter(store_id=survey.store_id, survey=survey).count()
    text_ids = [q["id"] for q in survey.questions if q.get("type") == QuestionType.TEXT]
    has_text = ~Q(comment="")
    for qid in text_ids:
        has_text |= Q(answers__has_key=qid)  # an emptied answer is removed, not kept as ""
    totals = answers.aggregate(n=Count("pk"), comments=Count("pk", filter=has_text))
    by_score = dict(
        answers.exclude(score=None).values_list("score").annotate(n=Count("pk")).order_by()
    )
    scale = scale_of(survey)
    scores = _bars(by_score, range(scale[0], scale[1] + 1)) if scale else []
    summary = summarize(survey.kind, by_score) if survey.kind in SCALES else None
    questions = []
    if survey.kind == SurveyKind.CUSTOM:
        questions = [_question_figures(answers, survey, q) for q in survey.questions]
    return SurveyFigures(
        survey=survey,
        sends=sends,
        answers=totals["n"],
        comments=totals["comments"],
        summary=summary,
        scores=scores,
        questions=questions,
    )


def _question_figures(answers, survey: Survey, question: dict) -> QuestionFigures:
    qid = question["id"]
    given = answers.filter(answers__has_key=qid)
    if question["type"] == QuestionType.TEXT:
        return QuestionFigures(question, given.count())
    if question is first_scale_question(survey):
        # The first scale question's answer is the answer's score (an indexed column).
        counts = dict(
            answers.exclude(score=None).values_list("score").annotate(n=Count("pk")).order_by()
        )
    else:
        # KT: the value as text, the same on SQLite and PostgreSQL ("4", "A friend").
        rows = given.annotate(value=KT(f"answers__{qid}")).values_list("value")
        counts = {}
        for value, n in rows.annotate(n=Count("pk")).order_by():
            counts[_value(value, question)] = counts.get(_value(value, question), 0) + n
    if question["type"] == QuestionType.SCALE:
        labels = range(question["min"], question["max"] + 1)
    else:
        labels = question["options"]
    bars = _bars(counts, labels)
    return QuestionFigures(question, sum(counts.values()), bars)


def _value(raw, question: dict):
    if question["type"] != QuestionType.SCALE:
        return raw
    try:
        return int(raw)
    except (TypeError, ValueError):
        return raw


def _bars(counts: dict, labels) -> list[Bar]:
    total = sum(counts.values())
    longest = max(counts.values(), default=0)
    bars = []
    for label in labels:
        n = counts.get(label, 0)
        share = 100 * n / total if total else 0.0
        bars.append(Bar(str(label), n, share, round(100 * n / longest) if longest else 0))
    return bars


# --- the answers as a table (CSV, API) --------------------------------------------------------


def answer_columns(survey: Survey) -> list[tuple[str, str]]:
    """(key, heading) of the export's columns: who, when, then the survey's own answers (a
    custom survey's by question, those of removed questions last)."""
    columns = [
        ("answered_at", "answered_at"),
        ("customer_external_id", "customer_id"),
        ("customer_email", "customer_email"),
        ("customer_name", "customer_name"),
        ("order", "order"),
        ("language", "language"),
    ]
    if survey.kind in SCALES:
        columns += [("score", "score"), ("comment", "comment")]
    else:
        columns += [(f"q:{q['id']}", q["label"]) for q in survey.questions]
        # Answers to questions removed since: kept, under the question's id.
        current = {q["id"] for q in survey.questions}
        removed = sorted(question_ids_in_use(survey) - current)
        columns += [(f"q:{qid}", f"removed question {qid}") for qid in removed]
    columns += [("reply", "reply"), ("replied_at", "replied_at")]
    return columns


def answer_rows(survey: Survey, columns: list[tuple[str, str]]) -> Iterator[list[str]]:
    """Every answer of the survey as a row of texts in `columns`' order, newest first, read
    in chunks (an export of a large survey does not hold it in memory)."""
    for answer in survey_answers(survey).iterator(chunk_size=2000):
        yield [_cell(answer, key) for key, _ in columns]


def _cell(answer: SurveyAnswer, key: str) -> str:
    customer = answer.customer
    order = answer.send.order
    if key.startswith("q:"):
        value = (answer.answers or {}).get(key[2:])
        return "" if value is None else str(value)
    value = {
        "answered_at": iso_utc(answer.answered_at),
        "customer_external_id": customer.external_id,
        "customer_email": customer.email,
        "customer_name": f"{customer.first_name} {customer.last_name}".strip(),
        "order": (order.name or order.external_id) if order is not None else "",
        "language": answer.language,
        "score": "" if answer.score is None else str(answer.score),
        "comment": answer.comment,
        "reply": answer.reply,
        "replied_at": iso_utc(answer.replied_at),
    }[key]
    return value or ""
