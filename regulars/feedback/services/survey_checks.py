"""Checking what a merchant and a customer give a survey: a custom survey's questions (errors
naming the field, e.g. `questions[1].options`, indexes from 0), and the customer's score,
reason and answers (AnswerError, which the page turns into a sentence in the customer's
language). Pure checks: nothing here reads or writes the database.
"""

import re

from regulars.core.errors import RegularsError
from regulars.feedback.models import QuestionType, Survey, SurveyKind

# The scale of each built-in kind (insights' SurveyResponse holds the same).
SCALES = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5)}

MAX_QUESTIONS = 10
MAX_OPTIONS = 10
MAX_LABEL = 300
MAX_OPTION = 100
MAX_SCALE_LABEL = 60
MAX_COMMENT = 5000
MAX_TEXT_ANSWER = 2000
_QUESTION_FIELDS = (
    "id",
    "type",
    "label",
    "min",
    "max",
    "min_label",
    "max_label",
    "options",
    "required",
)
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class AnswerError(RegularsError):
    """An answer the page refuses. `reason` names the customer-facing sentence
    (survey_texts: bad_score, required, bad_choice, too_long, score_first) and `values` fills it."""

    def __init__(self, message: str, *, field: str, reason: str, **values):
        super().__init__(message, field=field)
        self.reason = reason
        self.values = values


def check_survey_questions(questions) -> list[dict]:
    """A custom survey's questions, checked and normalised; a RegularsError naming the field,
    e.g. `questions[1].options`, otherwise (indexes count from 0)."""
    if not isinstance(questions, list) or not questions:
        raise RegularsError("Give the survey at least one question.", field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise RegularsError(
            f"A survey has at most {MAX_QUESTIONS} questions, not {len(questions)}.",
            field="questions",
        )
    checked: list[dict] = []
    for index, question in enumerate(questions):
        checked.append(_check_question(question, f"questions[{index}]", index))
    ids = [q["id"] for q in checked]
    for index, qid in enumerate(ids):
        if qid in ids[:index]:
            raise RegularsError(
                f"The id {qid!r} is used by two questions; give each its own.",
                field=f"questions[{index}].id",
            )
    return checked


def _check_question(question, where: str, index: int) -> dict:
    if not isinstance(question, dict):
        raise RegularsError(f"{where} must be an object with a type and a label.", field=where)
    for name in question:
        if name not in _QUESTION_FIELDS:
            raise RegularsError(
                f"{name!r} is not a question field; use {', '.join(_QUESTION_FIELDS)}.",
                field=f"{where}.{name}",
            )
    qid = question.get("id") or f"q{index + 1}"
    if not isinstance(qid, str) or not _ID.fullmatch(qid):
        raise RegularsError(
            "An id is 1 to 40 lower-case letters, digits, '-' or '_'.", field=f"{where}.id"
        )
    kind = question.get("type")
    if kind not in QuestionType.values:
        raise RegularsError(
            f"{kind!r} is not a question type; use {', '.join(QuestionType.values)}.",
            field=f"{where}.type",
        )
    label = question.get("label")
    if not isinstance(label, str) or not label.strip():
        raise RegularsError("Give the question its text.", field=f"{where}.label")
    if len(label.strip()) > MAX_LABEL:
        raise RegularsError(
            f"A question is at most {MAX_LABEL} characters.", field=f"{where}.label"
        )
    required = question.get("required", False)
    if not isinstance(required, bool):
        raise RegularsError("required is true or false.", field=f"{where}.required")
    checked = {"id": qid, "type": kind, "label": label.strip(), "required": required}
    if kind != QuestionType.CHOICE and question.get("options") not in (None, []):
        raise RegularsError("Only a choice question has options.", field=f"{where}.options")
    if kind != QuestionType.SCALE:
        for bound in ("min", "max", "min_label", "max_label"):
            if question.get(bound) not in (None, ""):
                raise RegularsError(
                    f"Only a scale question has a {bound}.", field=f"{where}.{bound}"
                )
    if kind == QuestionType.SCALE:
        checked |= _check_scale(question, where)
    elif kind == QuestionType.CHOICE:
        checked["options"] = _check_options(question.get("options"), where)
    return checked


def _check_scale(question: dict, where: str) -> dict:
    bounds = {}
    for bound, default in (("min", 1), ("max", 5)):
        value = question.get(bound, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise RegularsError(
                f"{bound} is a whole number from 0 to 10.", field=f"{where}.{bound}"
            )
        bounds[bound] = value
    if bounds["min"] >= bounds["max"]:
        raise RegularsError("max must be greater than min.", field=f"{where}.max")
    # What the ends of the scale mean ("Very slow", "Very fast"), shown beside them.
    for end in ("min_label", "max_label"):
        text = question.get(end)
        if text in (None, ""):
            continue
        if not isinstance(text, str) or len(text.strip()) > MAX_SCALE_LABEL:
            raise RegularsError(
                f"{end} is a text of at most {MAX_SCALE_LABEL} characters.",
                field=f"{where}.{end}",
            )
        if text.strip():
            bounds[end] = text.strip()
    return bounds


def _check_options(options, where: str) -> list[str]:
    field = f"{where}.options"
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        raise RegularsError(
            f"A choice question has 2 to {MAX_OPTIONS} options (a list of texts).", field=field
        )
    checked: list[str] = []
    for number, option in enumerate(options, start=1):
        if not isinstance(option, str) or not option.strip():
            raise RegularsError(f"Option {number} is empty; give it a text.", field=field)
        option = option.strip()
        if len(option) > MAX_OPTION:
            raise RegularsError(
                f"Option {number} is longer than {MAX_OPTION} characters.", field=field
            )
        if option in checked:
            raise RegularsError(f"Option {number} ({option!r}) is there twice.", field=field)
        checked.append(option)
    return checked


def scale_of(survey: Survey) -> tuple[int, int] | None:
    """The score's range: NPS 0-10, CSAT 1-5, a custom survey's first scale question."""
    if survey.kind in SCALES:
        return SCALES[survey.kind]
    question = first_scale_question(survey)
    return (question["min"], question["max"]) if question else None


def first_scale_question(survey: Survey) -> dict | None:
    return next((q for q in survey.questions if q.get("type") == QuestionType.SCALE), None)


def check_score(survey: Survey, raw) -> int:
    scale = scale_of(survey)
    if scale is None:
        raise AnswerError(
            "This survey has no score to give.", field="score", reason="bad_score", low=0, high=0
        )
    low, high = scale
    message = f"{raw!r} is not a score: give a whole number from {low} to {high}."
    if isinstance(raw, bool):
        raise AnswerError(message, field="score", reason="bad_score", low=low, high=high)
    try:
        score = int(str(raw).strip())
    except ValueError:
        raise AnswerError(message, field="score", reason="bad_score", low=low, high=high) from None
    if not low <= score <= high:
        raise AnswerError(message, field="score", reason="bad_score", low=low, high=high)
    return score


def check_comment(raw, *, field: str = "comment", limit: int = MAX_COMMENT) -> str:
    comment = str(raw or "").replace("\r\n", "\n").strip()
    if len(comment) > limit:
        raise AnswerError(
            f"The text is {len(comment)} characters; at most {limit}.",
            field=field,
            reason="too_long",
            limit=limit,
        )
    return comment


def check_answers(survey: Survey, raw: dict, *, existing: dict) -> dict:
    """A custom survey's answers by question id, merged into `existing`; every required
    question must then have one. An empty value clears that question's answer."""
    if not isinstance(raw, dict):
        raise RegularsError("answers maps question ids to answers.", field="answers")
    questions = {q["id"]: q for q in survey.questions}
    merged = dict(existing)
    for qid, value in raw.items():
        question = questions.get(qid)
        field = f"answers.{qid}"
        if question is None:
            raise RegularsError(f"{qid!r} is not a question of this survey.", field=field)
        if value is None or (isinstance(value, str) and not value.strip()):
            merged.pop(qid, None)
            continue
        merged[qid] = _check_answer(question, value, field)
    for question in survey.questions:
        if question.get("required") and question["id"] not in merged:
            raise AnswerError(
                f"{question['label']!r} needs an answer.",
                field=f"answers.{question['id']}",
                reason="required",
            )
    return merged


def _check_answer(question: dict, value, field: str):
    kind = question["type"]
    if kind == QuestionType.SCALE:
        low, high = question["min"], question["max"]
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise AnswerError(
                f"{value!r} is not on the scale {low} to {high}.",
                field=field,
                reason="bad_score",
                low=low,
                high=high,
            )
        return number
    if kind == QuestionType.CHOICE:
        if not isinstance(value, str) or value.strip() not in question["options"]:
            raise AnswerError(
                f"{value!r} is not one of the options.", field=field, reason="bad_choice"
            )
        return value.strip()
    return check_comment(value, field=field, limit=MAX_TEXT_ANSWER)
