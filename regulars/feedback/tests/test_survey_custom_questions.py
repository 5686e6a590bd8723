"""Custom surveys: a few questions (scale, choice, text) checked with errors that name the field
(`questions[1].options`), rendered as a plain form, answered with per-question errors."""

import html
import re

import pytest

from regulars.core.errors import RegularsError
from regulars.feedback.models import SurveyAnswer
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import customer, page_path
from regulars.insights.models import SurveyResponse

QUESTIONS = [
    {"id": "speed", "type": "scale", "label": "How fast was the delivery?", "min": 1, "max": 5},
    {
        "id": "found",
        "type": "choice",
        "label": "How did you find us?",
        "options": ["Search", "A friend", "Instagram"],
        "required": True,
    },
    {"type": "text", "label": "Anything else?"},
]


def _survey(store):
    return surveys.do_save_custom_survey(
        store, key="after-delivery", name="After delivery", questions=QUESTIONS
    )


@pytest.mark.parametrize(
    ("questions", "field", "says"),
    [
        ([], "questions", "at least one question"),
        ("nope", "questions", "at least one question"),
        ([{"type": "scale", "label": "q"}] * 11, "questions", "at most 10"),
        (["text"], "questions[0]", "must be an object"),
        ([{"type": "slider", "label": "q"}], "questions[0].type", "'slider' is not a question"),
        ([{"type": "text", "label": "  "}], "questions[0].label", "its text"),
        (
            [{"type": "text", "label": "q", "colour": "red"}],
            "questions[0].colour",
            "not a question field",
        ),
        (
            [{"type": "text", "label": "a"}, {"type": "choice", "label": "b", "options": ["x"]}],
            "questions[1].options",
            "2 to 10 options",
        ),
        (
            [
                {"type": "text", "label": "a"},
                {"type": "choice", "label": "b", "options": ["x", " "]},
            ],
            "questions[1].options",
            "Option 2 is empty",
        ),
        (
            [{"type": "choice", "label": "b", "options": ["x", "x"]}],
            "questions[0].options",
            "there twice",
        ),
        (
            [{"type": "text", "label": "a", "options": ["x", "y"]}],
            "questions[0].options",
            "Only a choice",
        ),
        (
            [{"type": "scale", "label": "a", "min": 5, "max": 5}],
            "questions[0].max",
            "greater than min",
        ),
        ([{"type": "scale", "label": "a", "max": 11}], "questions[0].max", "from 0 to 10"),
        ([{"type": "scale", "label": "a", "min": "1"}], "questions[0].min", "whole number"),
        ([{"type": "text", "label": "a", "min": 1}], "questions[0].min", "Only a scale"),
        (
            [{"type": "text", "label": "a", "required": "yes"}],
            "questions[0].required",
            "true or false",
        ),
        ([{"id": "Bad Id", "type": "text", "label": "a"}], "questions[0].id", "lower-case"),
        (
            [{"id": "a", "type": "text", "label": "x"}, {"id": "a", "type": "text", "label": "y"}],
            "questions[1].id",
            "used by two questions",
        ),
    ],
)
def test_bad_questions_are_refused_naming_the_field(questions, field, says):
    with pytest.raises(RegularsError) as refused:
        surveys.check_survey_questions(questions)

    assert refused.value.field == field
    assert says in refused.value.message


def test_questions_are_normalised(store):
    survey = _survey(store)

    assert survey.kind == "custom"
    assert [q["id"] for q in survey.questions] == ["speed", "found", "q3"]
    assert survey.questions[0] == {
        "id": "speed",
        "type": "scale",
        "label": "How fast was the delivery?",
        "required": False,
        "min": 1,
        "max": 5,
    }


def test_a_built_in_key_cannot_be_taken_by_a_custom_survey(store):
    with pytest.raises(RegularsError) as refused:
        surveys.do_save_custom_survey(store, key="nps", name="Mine", questions=QUESTIONS)

    assert refused.value.field == "key"


def test_the_page_renders_the_questions_and_records_the_answers(client, store):
    send = surveys.do_send_for(_survey(store), customer(store), "custom:1")

    page = client.get(page_path(send))
    body = html.unescape(page.content.decode())
    assert "How fast was the delivery?" in body and "Anything else?" in body
    assert re.findall(r'name="q-speed" value="(\d)"', body) == ["1", "2", "3", "4", "5"]
    assert re.findall(r'name="q-found" value="([^"]+)"', body) == [
        "Search",
        "A friend",
        "Instagram",
    ]

    posted = client.post(
        page_path(send), {"q-speed": "4", "q-found": "A friend", "q-q3": "Lovely <i>box</i>"}
    )

    assert posted.status_code == 303
    answer = SurveyAnswer.objects.get()
    assert answer.answers == {"speed": 4, "found": "A friend", "q3": "Lovely <i>box</i>"}
    assert answer.score == 4  # the first scale question
    assert not SurveyResponse.objects.exists()  # insights reads NPS and CSAT only


def test_a_missing_required_answer_is_shown_beside_its_question(client, store):
    send = surveys.do_send_for(_survey(store), customer(store), "custom:1")

    page = client.post(page_path(send), {"q-speed": "2", "q-found": ""})

    assert page.status_code == 400
    body = html.unescape(page.content.decode())
    question = body.index("How did you find us?")
    assert body.index("Please answer this question.") > question
    assert body.count("Please answer this question.") == 1
    assert 'value="2" checked' in body  # what was chosen stays chosen
    assert not SurveyAnswer.objects.exists()


def test_an_option_that_is_not_offered_is_refused(client, store):
    send = surveys.do_send_for(_survey(store), customer(store), "custom:1")

    page = client.post(page_path(send), {"q-speed": "2", "q-found": "TV"})

    assert page.status_code == 400
    assert "Please choose one of the options." in page.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_the_one_tap_score_fills_the_first_scale_question(client, store):
    send = surveys.do_send_for(_survey(store), customer(store), "custom:1")

    client.get(page_path(send, 5))
    refused = client.get(page_path(send, 6))

    assert refused.status_code == 400
    assert "from 1 to 5" in refused.content.decode()
    assert SurveyAnswer.objects.get().answers == {"speed": 5}
