"""do_answer: one answer per send, mirrored into insights' SurveyResponse; a second answer
updates both; bad scores are refused with nothing written; events and journeys follow."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.core.events import subscribe, unsubscribe
from regulars.feedback import events
from regulars.feedback.models import FollowUp, SurveyAnswer
from regulars.feedback.services import survey_checks, surveys
from regulars.feedback.tests.survey_data import csat_send, customer, nps_send, order_with_product
from regulars.insights.models import SurveyResponse
from regulars.journeys.models import Enrollment, Journey, Trigger

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def heard():
    calls = []

    def handler(**payload):
        calls.append(payload)

    subscribe(events.SURVEY_ANSWERED, handler)
    yield calls
    unsubscribe(events.SURVEY_ANSWERED, handler)


def test_the_first_answer_writes_the_answer_and_the_insights_response(store):
    ana = customer(store)
    order = order_with_product(store, ana)
    send = nps_send(store, ana, order=order)

    result = surveys.do_answer(send, score="7", now=NOW, language="en")

    assert result.first and result.changed and result.sentiment == surveys.PASSIVE
    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.customer, answer.answered_at) == (7, ana, NOW)
    response = SurveyResponse.objects.get()
    assert (response.store, response.kind, response.score, response.order) == (
        store,
        "nps",
        7,
        order,
    )
    assert (response.external_id, response.source, response.answered_at) == (
        f"send:{send.pk}",
        "survey",
        NOW,
    )
    assert answer.response == response


def test_a_second_answer_updates_both_rows_and_keeps_the_first_time(store, heard):
    send = csat_send(store, customer(store))
    with_commit = surveys.do_answer(send, score=2, now=NOW)
    later = NOW + timedelta(minutes=3)

    again = surveys.do_answer(send, score=5, comment="  All good now \r\n", now=later)

    assert with_commit.first and not again.first
    assert again.sentiment == surveys.PROMOTER
    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.comment, answer.answered_at) == (5, "All good now", NOW)
    response = SurveyResponse.objects.get()
    assert (response.kind, response.score, response.comment) == ("csat", 5, "All good now")


def test_the_same_tap_twice_writes_nothing_the_second_time(
    store, heard, django_capture_on_commit_callbacks
):
    send = nps_send(store, customer(store))
    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(send, score=10, now=NOW)
        repeated = surveys.do_answer(send, score="10", now=NOW + timedelta(seconds=5))

    assert not repeated.changed
    assert [call["first"] for call in heard] == [True]
    assert heard[0]["answer_id"] == SurveyAnswer.objects.get().pk


@pytest.mark.parametrize("score", ["11", "-1", "abc", "3.5", "1e1", True])
def test_a_score_off_the_scale_is_refused_and_nothing_is_written(store, score):
    send = nps_send(store, customer(store))

    with pytest.raises(surveys.AnswerError) as refused:
        surveys.do_answer(send, score=score, now=NOW)

    assert refused.value.field == "score"
    assert "from 0 to 10" in refused.value.message
    assert not SurveyAnswer.objects.exists() and not SurveyResponse.objects.exists()


def test_csat_has_its_own_scale(store):
    send = csat_send(store, customer(store))

    with pytest.raises(surveys.AnswerError) as refused:
        surveys.do_answer(send, score=0, now=NOW)

    assert refused.value.values == {"low": 1, "high": 5}
    assert not SurveyAnswer.objects.exists()


def test_a_reason_without_a_score_is_refused(store):
    send = nps_send(store, customer(store))

    with pytest.raises(surveys.AnswerError) as refused:
        surveys.do_answer(send, comment="Nice", now=NOW)

    assert (refused.value.field, refused.value.reason) == ("score", "score_first")
    assert not SurveyAnswer.objects.exists()


def test_a_reason_too_long_is_refused_and_the_score_kept(store):
    send = nps_send(store, customer(store))
    surveys.do_answer(send, score=8, now=NOW)

    with pytest.raises(surveys.AnswerError) as refused:
        surveys.do_answer(send, comment="x" * (survey_checks.MAX_COMMENT + 1), now=NOW)

    assert refused.value.field == "comment"
    assert SurveyAnswer.objects.get().comment == ""


@pytest.mark.parametrize(
    ("kind", "score", "mood"),
    [
        ("nps", 0, "detractor"),
        ("nps", 6, "detractor"),
        ("nps", 7, "passive"),
        ("nps", 8, "passive"),
        ("nps", 9, "promoter"),
        ("csat", 2, "detractor"),
        ("csat", 3, "passive"),
        ("csat", 4, "passive"),
        ("csat", 5, "promoter"),
    ],
)
def test_sentiment_follows_the_usual_cut_offs(kind, score, mood):
    assert surveys.sentiment(kind, score) == mood


def test_a_detractor_gets_one_follow_up_whatever_is_edited_later(store):
    send = nps_send(store, customer(store))

    surveys.do_answer(send, score=4, now=NOW)
    surveys.do_answer(send, comment="Late and damaged", now=NOW)
    surveys.do_answer(send, score=9, now=NOW)
    surveys.do_answer(send, score=1, now=NOW)

    follow_up = FollowUp.objects.get()
    assert follow_up.answer == SurveyAnswer.objects.get()
    assert follow_up.due_at == NOW + timedelta(hours=24)
    assert follow_up.reason == "Detractor: NPS (0–10) score 4"


def test_a_passive_and_a_promoter_get_no_follow_up(store):
    surveys.do_answer(nps_send(store, customer(store, "bo"), "k1"), score=8, now=NOW)
    surveys.do_answer(csat_send(store, customer(store, "cy"), "k2"), score=5, now=NOW)

    assert not FollowUp.objects.exists()


def test_the_follow_up_is_due_within_the_stores_reply_time(store):
    from regulars.feedback.models import FeedbackSettings

    FeedbackSettings.objects.create(store=store, reply_within_hours=4)

    surveys.do_answer(csat_send(store, customer(store)), score=1, now=NOW)

    assert FollowUp.objects.get().due_at == NOW + timedelta(hours=4)


def test_a_first_answer_enrolls_the_customer_in_survey_answered_journeys(
    store, django_capture_on_commit_callbacks
):
    journey = Journey.objects.create(
        store=store,
        key="thanks_for_answering",
        name="Thanks for answering",
        trigger=Trigger.SURVEY_ANSWERED,
        enabled=True,
        allow_reentry=True,
        steps=[{"type": "exit"}],
    )
    ana = customer(store)
    order = order_with_product(store, ana)
    send = nps_send(store, ana, order=order)

    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(send, score=9, now=NOW)
        surveys.do_answer(send, comment="Love it", now=NOW)

    enrollment = Enrollment.objects.get(journey=journey)
    assert (enrollment.customer, enrollment.order) == (ana, order)
    assert enrollment.entry_key == f"a{SurveyAnswer.objects.get().pk}"
