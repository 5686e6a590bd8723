"""Feedback → Surveys: the store's surveys (NPS, CSAT and its custom ones) with their figures,
which one the delivery follow-up asks, a custom survey created or edited (up to 10 questions),
the wording of NPS and CSAT, and each survey's answers: counts, the score's distribution, the
latest answers with their comments, and every answer as CSV.

Everyone on the staff reads; creating and editing surveys and choosing the follow-up's survey
need SETTINGS (admins and owners). Every form posts to a feedback or journeys service, which
decides; its errors are shown beside the field they name. No page needs JavaScript.
"""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.feedback_forms import (
    CustomSurveyForm,
    FollowUpSurveyForm,
    SurveyWordingForm,
)
from regulars.dashboard.forms import apply_service_error
from regulars.dashboard.views.base import page, store_view
from regulars.feedback.models import SurveyKind
from regulars.feedback.services import survey_results, surveys
from regulars.journeys.services import access_journey, do_update_journey_settings

ANSWERS_PAGE_SIZE = 25
FOLLOW_UP = "delivery_followup"
# A cell that a spreadsheet would read as a formula is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _survey_or_404(store, key: str):
    try:
        return surveys.access_survey(store, key)
    except RegularsError as exc:
        if exc.code == CoreErrorCode.NOT_FOUND:
            raise Http404("No such survey.") from exc
        raise


def _follow_up_key(store) -> str:
    journey = access_journey(store, FOLLOW_UP)
    return journey.settings.get("survey") or surveys.NPS


# --- the list ---------------------------------------------------------------------------------


@store_view(Permission.VIEW)
def survey_list(request):
    return _list_page(request)


def _list_page(request, *, follow_up_form=None, status: int = 200):
    store = request.store
    rows = survey_results.survey_list(store)
    follow_up = _follow_up_key(store)
    form = follow_up_form or FollowUpSurveyForm(surveys=rows, initial={"survey": follow_up})
    return page(
        request,
        "dashboard/feedback/surveys.html",
        {
            "section": "feedback",
            "tab": "surveys",
            "surveys": rows,
            "follow_up": follow_up,
            "follow_up_form": form,
        },
        status=status,
    )


@store_view(Permission.SETTINGS)
def follow_up_survey(request):
    if request.method != "POST":
        return redirect("dashboard:feedback_surveys", request.store.slug)
    store = request.store
    form = FollowUpSurveyForm(request.POST, surveys=survey_results.survey_list(store))
    if form.is_valid():
        try:
            do_update_journey_settings(
                store, FOLLOW_UP, {"survey": form.cleaned_data["survey"]}, user=request.user
            )
        except RegularsError as exc:
            form.add_error("survey", exc.message)
        else:
            messages.success(request, "The delivery follow-up will ask this survey.")
            return redirect("dashboard:feedback_surveys", store.slug)
    return _list_page(request, follow_up_form=form, status=400)


# --- creating and editing ---------------------------------------------------------------------


@store_view(Permission.SETTINGS)
def survey_new(request):
    form = CustomSurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        survey = _save_custom(request, form, create=True)
        if survey is not None:
            messages.success(request, f"The survey “{survey.name}” is created.")
            return redirect("dashboard:feedback_survey", request.store.slug, survey.key)
    return _edit_page(request, None, form, status=400 if request.method == "POST" else 200)


@store_view(Permission.SETTINGS)
def survey_edit(request, key: str):
    survey = _survey_or_404(request.store, key)
    data = request.POST if request.method == "POST" else None
    if survey.kind == SurveyKind.CUSTOM:
        form = CustomSurveyForm(data, survey=survey)
        saved = form.is_valid() and _save_custom(request, form, survey=survey)
    else:
        initial = {
            "question": survey.question,
            "reason_question": survey.reason_question,
            "enabled": survey.enabled,
        }
        form = SurveyWordingForm(data, initial=initial)
        saved = form.is_valid() and _save_wording(request, form, survey)
    if saved:
        messages.success(request, f"The survey “{survey.name}” is saved.")
        return redirect("dashboard:feedback_survey", request.store.slug, survey.key)
    return _edit_page(request, survey, form, status=400 if data is not None else 200)


def _save_custom(request, form: CustomSurveyForm, *, create: bool = False, survey=None):
    data = form.cleaned_data
    taken = surveys.question_ids_in_use(survey) if survey is not None else set()
    try:
        return surveys.do_save_custom_survey(
            request.store,
            key=survey.key if survey is not None else data["key"],
            name=data["name"],
            questions=form.questions(taken),
            enabled=data["enabled"],
            create=create,
            user=request.user,
        )
    except RegularsError as exc:
        form.add_error(form.field_for(exc.field), exc.message)
        return None


def _save_wording(request, form: SurveyWordingForm, survey):
    try:
        return surveys.do_update_survey(survey, user=request.user, **form.cleaned_data)
    except RegularsError as exc:
        apply_service_error(form, exc)
        return None


def _edit_page(request, survey, form, *, status: int):
    return page(
        request,
        "dashboard/feedback/survey_edit.html",
        {"section": "feedback", "tab": "surveys", "survey": survey, "form": form},
        status=status,
    )


# --- the answers ------------------------------------------------------------------------------


@store_view(Permission.VIEW)
def survey_detail(request, key: str):
    survey = _survey_or_404(request.store, key)
    figures = survey_results.survey_figures(survey)
    answers = survey_results.survey_answers(survey)
    page_obj = Paginator(answers, ANSWERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "dashboard/feedback/survey_detail.html",
        {
            "section": "feedback",
            "tab": "surveys",
            "survey": survey,
            "figures": figures,
            "page_obj": page_obj,
            "answers": [_answer_row(survey, answer) for answer in page_obj],
            "is_follow_up": _follow_up_key(request.store) == survey.key,
        },
    )


def _answer_row(survey, answer) -> dict:
    """An answer as the list shows it: the score, and each question's answer by its label."""
    given = answer.answers or {}
    details = [
        {"label": q["label"], "value": given[q["id"]], "text": q["type"] == "text"}
        for q in survey.questions
        if q["id"] in given
    ]
    return {
        "answer": answer,
        "mood": surveys.sentiment(survey.kind, answer.score),
        "details": details,
    }


class _Echo:
    """A file-like object whose write returns the line: csv.writer, streamed."""

    def write(self, value: str) -> str:
        return value


def _spreadsheet_safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@store_view(Permission.VIEW)
def survey_csv(request, key: str):
    survey = _survey_or_404(request.store, key)
    columns = survey_results.answer_columns(survey)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([_spreadsheet_safe(heading) for _, heading in columns])
        for row in survey_results.answer_rows(survey, columns):
            yield writer.writerow([_spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"{slugify(request.store.slug)}-survey-{survey.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
