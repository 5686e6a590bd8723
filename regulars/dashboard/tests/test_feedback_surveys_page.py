"""Feedback → Surveys: the store's surveys with their figures; a custom survey created and edited
through a plain form (no JavaScript), its errors beside the field they name; the wording of
NPS and CSAT; the survey the delivery follow-up asks; a survey's answers (counts, the score's
distribution, the latest answers with comments) and their CSV export."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest

from regulars.dashboard.tests.shop import url
from regulars.feedback.models import Survey, SurveyAnswer
from regulars.feedback.services import surveys
from regulars.feedback.tests.inbox_data import T0, answer, customer
from regulars.journeys.models import Journey
from regulars.journeys.services import ensure_journeys

pytestmark = pytest.mark.django_db

CUSTOM = [
    {
        "id": "speed",
        "type": "scale",
        "label": "How fast was the delivery?",
        "min": 1,
        "max": 5,
        "min_label": "Very slow",
        "max_label": "Very fast",
    },
    {
        "id": "found",
        "type": "choice",
        "label": "How did you find us?",
        "options": ["Search", "A friend"],
        "required": True,
    },
    {"id": "more", "type": "text", "label": "Anything else?"},
]


def _row(i: int, type_: str, label: str, **fields) -> dict:
    data = {f"q{i}_type": type_, f"q{i}_label": label}
    data.update({f"q{i}_{name}": value for name, value in fields.items()})
    return data


def _blank(i: int) -> dict:
    return {f"q{i}_type": "text", f"q{i}_label": ""}


def _form(name="After delivery", key="after-delivery", *rows, enabled=True) -> dict:
    data = {"name": name, "key": key}
    if enabled:
        data["enabled"] = "on"
    for row in rows:
        data.update(row)
    return data


def _custom(store):
    return surveys.do_save_custom_survey(
        store, key="after-delivery", name="After delivery", questions=CUSTOM
    )


def _custom_answer(survey, who, at, **given):
    send = surveys.do_send_for(survey, who, f"t:{who.pk}:{at}")
    return surveys.do_answer(send, answers=given, now=at, from_page=True).answer


def _text(response) -> str:
    return unescape(response.content.decode())


def _field_error(html: str, name: str) -> str:
    """The error shown in the label that holds the field `name`."""
    match = re.search(
        rf'<label class="field field--error">(?:(?!</label>).)*?name="{name}"(?:(?!</label>).)*?'
        r'<span class="field__error">([^<]+)</span>',
        html,
        re.S,
    )
    return unescape(match.group(1)) if match else ""


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_every_survey_with_its_figures(client, store, owner):
    ana, bo = customer(store), customer(store, "c2", "bo@example.com")
    answer(store, ana, 9, "Great")
    answer(store, bo, 3, "", kind="csat")
    survey = _custom(store)
    surveys.do_send_for(survey, ana, "unanswered")
    client.force_login(owner)

    page = client.get(url("feedback_surveys", store))

    assert page.status_code == 200
    html = _text(page)
    rows = re.findall(
        r'data-survey="([^"]+)".*?data-sends>(\d+)<.*?data-answers>(\d+)<', html, re.S
    )
    assert rows == [("nps", "1", "1"), ("csat", "1", "1"), ("after-delivery", "1", "0")]
    assert "asked by the delivery follow-up" in html
    assert "New custom survey" in html
    assert 'name="survey"' in html  # the follow-up's choice, for an owner


def test_the_list_takes_the_same_queries_for_many_surveys(
    client, store, owner, django_assert_max_num_queries
):
    for n in range(8):
        surveys.do_save_custom_survey(store, key=f"s{n}", name=f"S{n}", questions=CUSTOM)
    client.force_login(owner)
    client.get(url("feedback_surveys", store))  # the built-in surveys and journeys exist now

    with django_assert_max_num_queries(12):
        page = client.get(url("feedback_surveys", store))

    assert page.content.decode().count("data-survey=") == 10


# --- creating and editing ---------------------------------------------------------------------


def test_a_custom_survey_is_created_through_the_plain_form(client, store, owner):
    client.force_login(owner)
    form = client.get(url("feedback_survey_new", store))
    assert form.status_code == 200
    assert form.content.decode().count("data-question-row=") == 3
    assert "<script" not in form.content.decode()

    response = client.post(
        url("feedback_survey_new", store),
        _form(
            "After delivery",
            "after-delivery",
            _row(0, "scale", "How fast?", min="1", max="5", min_label="Slow", max_label="Fast"),
            _row(
                1, "choice", "How did you find us?", options="Search\n\nA friend\n", required="on"
            ),
            _row(2, "text", "Anything else?", options="ignored for a text"),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == url("feedback_survey", store, "after-delivery")
    survey = Survey.objects.get(store=store, key="after-delivery")
    assert (survey.name, survey.kind, survey.enabled) == ("After delivery", "custom", True)
    assert survey.questions == [
        {
            "id": "q1",
            "type": "scale",
            "label": "How fast?",
            "required": False,
            "min": 1,
            "max": 5,
            "min_label": "Slow",
            "max_label": "Fast",
        },
        {
            "id": "q2",
            "type": "choice",
            "label": "How did you find us?",
            "required": True,
            "options": ["Search", "A friend"],
        },
        {"id": "q3", "type": "text", "label": "Anything else?", "required": False},
    ]
    assert "The survey “After delivery” is created." in _text(client.get(response["Location"]))


def test_a_mistake_is_shown_beside_its_field_and_nothing_is_saved(client, store, owner):
    client.force_login(owner)

    response = client.post(
        url("feedback_survey_new", store),
        _form(
            "After delivery",
            "after-delivery",
            _row(0, "text", "Anything else?"),
            _blank(1),
            _row(2, "choice", "How did you find us?", options="Only one"),
        ),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert (
        _field_error(html, "q2_options")
        == "A choice question has 2 to 10 options (a list of texts)."
    )
    assert 'value="How did you find us?"' in html  # what was typed is kept
    assert not Survey.objects.filter(key="after-delivery").exists()


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        (_form("After", "nps", _row(0, "text", "Q")), "key", "'nps' is a built-in survey"),
        (_form("After", "taken", _row(0, "text", "Q")), "key", "already has a survey 'taken'"),
        (_form("After", "new", _blank(0)), None, "at least one question"),
        (
            _form("After", "new", _row(0, "scale", "Q", min="4", max="2")),
            "q0_max",
            "max must be greater than min",
        ),
    ],
)
def test_service_errors_name_their_field(client, store, owner, data, field, says):
    surveys.do_save_custom_survey(store, key="taken", name="Taken", questions=CUSTOM[2:])
    client.force_login(owner)

    response = client.post(url("feedback_survey_new", store), data)

    assert response.status_code == 400
    html = response.content.decode()
    if field:
        assert says in _field_error(html, field)
    else:
        assert re.search(r'class="form-error" role="alert"><p>[^<]*' + says, unescape(html))
    assert Survey.objects.filter(store=store, kind="custom").count() == 1


def test_editing_keeps_answers_with_their_question_and_a_new_question_gets_a_new_id(
    client, store, owner
):
    survey = _custom(store)
    _custom_answer(survey, customer(store), T0, speed="4", found="Search", more="Lovely")
    client.force_login(owner)
    page = client.get(url("feedback_survey_edit", store, survey.key))
    assert page.content.decode().count("data-question-row=") == 5  # 3 and 2 spare
    assert 'value="Very slow"' in page.content.decode()

    response = client.post(
        url("feedback_survey_edit", store, survey.key),
        _form(
            "After your delivery",
            "ignored-on-edit",
            _row(0, "scale", "How fast was the delivery?", id="speed", min="1", max="5"),
            _row(1, "choice", "", id="found", options="Search\nA friend"),  # removed
            _row(2, "text", "Anything else to tell us?", id="more"),
            _row(3, "choice", "Would you order again?", options="Yes\nNo"),
            _blank(4),
        ),
    )

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.key == "after-delivery" and survey.name == "After your delivery"
    assert [(q["id"], q["label"]) for q in survey.questions] == [
        ("speed", "How fast was the delivery?"),
        ("more", "Anything else to tell us?"),
        ("q1", "Would you order again?"),
    ]
    assert SurveyAnswer.objects.get().answers == {"speed": 4, "found": "Search", "more": "Lovely"}


def test_the_nps_wording_is_changed_and_the_survey_page_shows_it(client, store, owner):
    client.force_login(owner)
    from regulars.feedback.tests.survey_data import nps_send, page_path

    response = client.post(
        url("feedback_survey_edit", store, "nps"),
        {
            "question": "Would you recommend   Vinyl Corner to a fellow collector?",
            "reason_question": "What made the difference?",
            "enabled": "on",
        },
    )

    assert response.status_code == 302
    nps = Survey.objects.get(store=store, key="nps")
    assert nps.question == "Would you recommend Vinyl Corner to a fellow collector?"
    assert nps.reason_question == "What made the difference?"
    send = nps_send(store, customer(store))
    public = _text(client.get(page_path(send, 8), HTTP_USER_AGENT="Mozilla/5.0 (Phone)"))
    assert "Would you recommend Vinyl Corner to a fellow collector?" in public
    assert "What made the difference?" in public


def test_the_wording_of_a_built_in_survey_is_limited(client, store, owner):
    client.force_login(owner)

    response = client.post(
        url("feedback_survey_edit", store, "csat"), {"question": "x" * 301, "enabled": "on"}
    )

    assert response.status_code == 400
    assert "at most 300 characters" in _field_error(response.content.decode(), "question")
    assert Survey.objects.get(store=store, key="csat").question == ""


def test_the_follow_up_asks_the_survey_chosen_on_the_page(client, store, owner):
    _custom(store)
    client.force_login(owner)

    response = client.post(url("feedback_follow_up_survey", store), {"survey": "after-delivery"})
    refused = client.post(url("feedback_follow_up_survey", store), {"survey": "nope"})

    assert response.status_code == 302
    journey = Journey.objects.get(store=store, key="delivery_followup")
    assert journey.settings["survey"] == "after-delivery"
    assert refused.status_code == 400
    assert "nope is not one of the available choices" in _field_error(
        refused.content.decode(), "survey"
    )
    assert Journey.objects.get(pk=journey.pk).settings["survey"] == "after-delivery"


# --- the answers ------------------------------------------------------------------------------


def test_the_answers_page_shows_counts_distribution_and_latest_comments(client, store, owner):
    ana, bo, cy = (customer(store, f"c{n}", f"c{n}@example.com") for n in (1, 2, 3))
    answer(store, ana, 10, "Fast <b>and</b> friendly", at=T0)
    answer(store, bo, 9, "", at=T0 + timedelta(hours=1))
    answer(store, cy, 3, "Box was crushed", at=T0 + timedelta(hours=2))
    surveys.do_send_for(surveys.ensure_surveys(store)["nps"], ana, "not answered")
    client.force_login(owner)

    page = client.get(url("feedback_survey", store, "nps"))

    assert page.status_code == 200
    html = page.content.decode()
    kpis = dict(re.findall(r'data-kpi="(\w+)">([^<]+)<', html))
    assert kpis == {"sends": "4", "answers": "3", "score": "33", "comments": "2"}
    bars = dict(re.findall(r'data-bar="(\d+)">.*?data-count>(\d+)<', html, re.S))
    assert bars == {str(n): ("1" if n in (3, 9, 10) else "0") for n in range(11)}
    assert "2 promoters, 0 passives, 1 detractors" in html
    rows = re.findall(r'data-answer="(\d+)"', html)
    assert len(rows) == 3
    assert html.index("Box was crushed") < html.index("Fast &lt;b&gt;and&lt;/b&gt; friendly")


def test_a_custom_surveys_page_shows_each_question(client, store, owner):
    survey = _custom(store)
    people = [customer(store, f"c{n}", f"c{n}@example.com") for n in range(3)]
    _custom_answer(survey, people[0], T0, speed="5", found="Search", more="Quick!")
    _custom_answer(survey, people[1], T0, speed="5", found="A friend")
    _custom_answer(survey, people[2], T0, speed="2", found="A friend")
    client.force_login(owner)

    html = _text(client.get(url("feedback_survey", store, survey.key)))

    sections = html.split('aria-label="How did you find us?"')[1]
    assert re.findall(
        r'data-bar="([^"]+)">.*?data-count>(\d+)<', sections.split("</section>")[0], re.S
    ) == [
        ("Search", "1"),
        ("A friend", "2"),
    ]
    assert "Scores</h2>" not in html  # a custom survey's score is its first question's
    assert "<dt>Anything else?</dt><dd>Quick!</dd>" in html
    assert 'data-kpi="comments">1<' in html


def test_the_answers_download_as_csv_safe_for_spreadsheets(client, store, member):
    survey = _custom(store)
    ana = customer(store, first_name="Ana", last_name="Lima")
    _custom_answer(survey, ana, T0, speed="4", found="Search", more='=HYPERLINK("x")')
    client.force_login(member)  # a viewer reads

    response = client.get(url("feedback_survey_csv", store, survey.key))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "answered_at",
        "customer_id",
        "customer_email",
        "customer_name",
        "order",
        "language",
        "How fast was the delivery?",
        "How did you find us?",
        "Anything else?",
        "reply",
        "replied_at",
    ]
    assert rows[1] == [
        "2026-03-02T09:00:00Z",
        "c1",
        "ana@example.com",
        "Ana Lima",
        "",
        "",
        "4",
        "Search",
        '\'=HYPERLINK("x")',
        "",
        "",
    ]


# --- who may do what, and whose ---------------------------------------------------------------


def test_a_viewer_reads_every_survey_page_but_changes_nothing(client, store, member):
    survey = _custom(store)
    ensure_journeys(store)
    client.force_login(member)

    for name, args in (
        ("feedback_surveys", ()),
        ("feedback_survey", (survey.key,)),
        ("feedback_survey", ("nps",)),
    ):
        page = client.get(url(name, store, *args))
        assert page.status_code == 200, name
        assert "Edit the survey" not in page.content.decode()
        assert "New custom survey" not in page.content.decode()
    assert client.get(url("feedback_survey_new", store)).status_code == 403
    assert client.get(url("feedback_survey_edit", store, survey.key)).status_code == 403
    posts = [
        (url("feedback_survey_new", store), _form("X", "x", _row(0, "text", "Q"))),
        (url("feedback_survey_edit", store, "nps"), {"question": "Hacked?", "enabled": "on"}),
        (url("feedback_follow_up_survey", store), {"survey": "csat"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403
    assert Survey.objects.get(store=store, key="nps").question == ""
    assert not Survey.objects.filter(key="x").exists()
    assert "survey" not in Journey.objects.get(store=store, key="delivery_followup").settings


def test_an_agent_cannot_edit_surveys_but_an_admin_can(client, store, agent, admin):
    client.force_login(agent)
    assert (
        client.post(url("feedback_survey_edit", store, "nps"), {"enabled": ""}).status_code == 403
    )
    client.force_login(admin)
    assert (
        client.post(url("feedback_survey_edit", store, "nps"), {"enabled": ""}).status_code == 302
    )
    assert Survey.objects.get(store=store, key="nps").enabled is False


def test_another_stores_surveys_are_not_found(client, store, other_store, owner, outsider):
    theirs = _custom(other_store)
    client.force_login(owner)

    for name in ("feedback_survey", "feedback_survey_edit", "feedback_survey_csv"):
        assert client.get(url(name, store, theirs.key)).status_code == 404, name
    assert client.post(url("feedback_survey_edit", store, theirs.key), {}).status_code == 404
    client.force_login(outsider)
    assert client.get(url("feedback_surveys", store)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "After delivery"


def test_answers_to_a_removed_question_stay_in_the_csv(client, store, owner):
    survey = _custom(store)
    _custom_answer(survey, customer(store), T0, speed="4", found="Search")
    surveys.do_save_custom_survey(
        store, key=survey.key, name=survey.name, questions=[CUSTOM[0], CUSTOM[2]]
    )
    client.force_login(owner)

    response = client.get(url("feedback_survey_csv", store, survey.key))

    header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert header[6:9] == ["How fast was the delivery?", "Anything else?", "removed question found"]
    assert row[6:9] == ["4", "", "Search"]


def test_a_question_label_that_looks_like_a_formula_is_safe_in_the_csv_heading(
    client, store, member
):
    # Labels are written by the store's admins; the file may be opened by anyone on the staff.
    questions = [{"id": "more", "type": "text", "label": '=HYPERLINK("http://x","y")'}]
    survey = surveys.do_save_custom_survey(store, key="odd", name="Odd", questions=questions)
    _custom_answer(survey, customer(store, first_name="Ana"), T0, more="fine")
    client.force_login(member)

    response = client.get(url("feedback_survey_csv", store, survey.key))

    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert header[6] == '\'=HYPERLINK("http://x","y")'
