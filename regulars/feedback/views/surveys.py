"""The survey page behind a send's signed link: /f/s/<token>/.

`?score=N` records the score at once: the customer taps a number in the e-mail and is done;
the page then shows the score, the reason box and, for a promoter, an invitation to write a
review, for a detractor an apology. A second tap updates the same answer.

Mail scanners open links too (scanners.py): a GET from one, or without a User-Agent, records
nothing, and HEAD never does. On the page itself the scores and the reason are one form (a
POST with CSRF, which scanners do not send): what the customer chooses there is kept against
links opened later (surveys.do_answer, `from_page`). Every step works without JavaScript. The
page speaks the customer's language; a bad token gets a bare 404 that does not say why.
Limited per IP address (forged tokens count too) and per link.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from regulars.core.errors import RateLimited, RegularsError
from regulars.core.ratelimit import hit
from regulars.feedback import links
from regulars.feedback.models import QuestionType, SurveyAnswer, SurveyKind, SurveySend
from regulars.feedback.scanners import is_link_scanner
from regulars.feedback.services import surveys
from regulars.feedback.survey_texts import text, texts_for
from regulars.messaging.services.preferences import customer_language

# Requests per minute from one IP address (the setting messaging's link pages use too) and to
# one survey link: a customer taps a few scores and sends a reason; a script does more.
PUBLIC_PAGE_RATE_LIMIT = 120
SURVEY_LINK_RATE_LIMIT = 30


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    ip_limit = getattr(settings, "REGULARS_PUBLIC_PAGE_RATE_LIMIT", PUBLIC_PAGE_RATE_LIMIT)
    try:
        hit(f"feedback:survey:{request.META.get('REMOTE_ADDR', '')}", limit=ip_limit)
    except RateLimited as exc:
        return _rate_limited(request, exc.retry_after, "en")
    try:
        send = surveys.access_send(token)
    except links.BadLink:
        return _message(request, "en", "not_found_title", "not_found", status=404)
    language = customer_language(send.customer)
    link_limit = getattr(settings, "REGULARS_SURVEY_LINK_RATE_LIMIT", SURVEY_LINK_RATE_LIMIT)
    try:
        hit(f"feedback:survey-send:{send.pk}", limit=link_limit)
    except RateLimited as exc:
        return _rate_limited(request, exc.retry_after, language)
    if request.method == "POST":
        return _post(request, send, language)
    error, kept = None, None
    raw_score = request.GET.get("score", "")
    # A tap in the e-mail is a GET; HEAD (link checkers) and known scanners never record.
    if (
        request.method == "GET"
        and raw_score.strip()
        and surveys.scale_of(send.survey)
        and not is_link_scanner(request.headers.get("User-Agent", ""))
    ):
        try:
            answered = surveys.do_answer(
                send, score=raw_score, now=timezone.now(), language=language
            )
        except surveys.AnswerError as exc:
            error = exc
        else:
            kept = answered.answer.score if answered.kept else None
    sent = request.GET.get("sent") == "1"
    return _survey_page(request, send, language, error=error, sent=sent, kept=kept)


def _post(request: HttpRequest, send: SurveySend, language: str) -> HttpResponse:
    survey = send.survey
    # A score button of the page, rather than "Send": back to the page, the score chosen.
    tapped = survey.kind != SurveyKind.CUSTOM and bool(request.POST.get("score"))
    try:
        if survey.kind == SurveyKind.CUSTOM:
            answers = {q["id"]: request.POST.get(f"q-{q['id']}", "") for q in survey.questions}
            surveys.do_answer(
                send, answers=answers, now=timezone.now(), language=language, from_page=True
            )
        else:
            surveys.do_answer(
                send,
                score=request.POST.get("score") or None,
                comment=request.POST.get("comment") if "comment" in request.POST else None,
                now=timezone.now(),
                language=language,
                from_page=True,
            )
    except surveys.AnswerError as exc:
        return _survey_page(request, send, language, error=exc, posted=request.POST)
    # After a POST, a GET: reloading the page sends nothing twice.
    return HttpResponseRedirect(request.path if tapped else f"{request.path}?sent=1", status=303)


def _survey_page(
    request: HttpRequest,
    send: SurveySend,
    language: str,
    *,
    error: RegularsError | None = None,
    sent: bool = False,
    posted=None,
    kept: int | None = None,
) -> HttpResponse:
    survey, store = send.survey, send.store
    answer = SurveyAnswer.objects.filter(send=send).first()
    words = texts_for(language)
    mood = surveys.sentiment(survey.kind, answer.score if answer else None)
    context = {
        "store": store,
        "survey": survey,
        "answer": answer,
        "t": words,
        "sent": sent and answer is not None,
        "mood": mood,
        "detractor_text": text(language, "detractor", store=store.name),
        "review_url": surveys.review_link(send) if mood == surveys.PROMOTER else "",
        "error": _error_text(error, language),
        "error_field": error.field if error else "",
        # The link's score was not taken: the customer chose this one on the page before.
        "kept_text": text(language, "kept_score", score=kept) if kept is not None else "",
    }
    if survey.kind == SurveyKind.CUSTOM:
        context["questions"] = _questions(survey, answer, posted, error, language)
        if any(row["error"] for row in context["questions"]):
            context["error"] = ""  # shown beside its question instead
    else:
        context |= _scale(survey, answer, language, store.name)
        context["comment"] = (
            posted.get("comment", "") if posted is not None else (answer.comment if answer else "")
        )
    status = 400 if error else 200
    return _render(request, "feedback/survey.html", context, language, status=status)


def _scale(survey, answer: SurveyAnswer | None, language: str, store_name: str) -> dict:
    low, high = surveys.SCALES[survey.kind]
    kind = "nps" if survey.kind == SurveyKind.NPS else "csat"
    current = answer.score if answer else None
    return {
        "question": survey.question or text(language, f"{kind}_question", store=store_name),
        "reason_question": survey.reason_question or text(language, "reason_question"),
        "scale": [{"score": n, "current": n == current} for n in range(low, high + 1)],
        "low_label": text(language, f"{kind}_low"),
        "high_label": text(language, f"{kind}_high"),
        "score_saved": text(language, "score_saved", score=current) if current is not None else "",
    }


def _questions(survey, answer, posted, error, language: str) -> list[dict]:
    given = answer.answers if answer else {}
    rows = []
    for question in survey.questions:
        name = f"q-{question['id']}"
        value = posted.get(name, "") if posted is not None else given.get(question["id"], "")
        row = {
            "name": name,
            "type": question["type"],
            "label": question["label"],
            "required": question.get("required", False),
            "value": "" if value is None else str(value),
            "error": (
                _error_text(error, language)
                if error and error.field == f"answers.{question['id']}"
                else ""
            ),
        }
        if question["type"] == QuestionType.SCALE:
            row["choices"] = [str(n) for n in range(question["min"], question["max"] + 1)]
            row["min_label"] = question.get("min_label", "")
            row["max_label"] = question.get("max_label", "")
        elif question["type"] == QuestionType.CHOICE:
            row["choices"] = list(question["options"])
        rows.append(row)
    return rows


def _error_text(error: RegularsError | None, language: str) -> str:
    if error is None:
        return ""
    reason = getattr(error, "reason", "")
    if reason in texts_for("en"):
        return text(language, reason, **getattr(error, "values", {}))
    return error.message


def _render(request, template: str, context: dict, language: str, *, status: int = 200):
    with translation.override(language):
        response = render(request, template, context, status=status)
    # Set here, or LocaleMiddleware would label the page with the browser's language.
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response


def _message(request, language: str, title: str, body: str, *, status: int, **values):
    context = {"title": text(language, title), "body": text(language, body, **values)}
    return _render(request, "feedback/survey_message.html", context, language, status=status)


def _rate_limited(request, retry_after: int, language: str) -> HttpResponse:
    response = _message(
        request, language, "rate_limited_title", "rate_limited", status=429, seconds=retry_after
    )
    response["Retry-After"] = str(retry_after)
    return response
