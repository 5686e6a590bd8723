"""The survey links journeys put in their messages: data.feedback_url and data.feedback_scores
(0..10) for the delivery follow-up, one send per enrollment however often it is rendered;
nothing (and no send) for other journeys, for a store that switched the survey off, or in the
dashboard's preview."""

from datetime import UTC, datetime

import pytest

from regulars.core.errors import RegularsError
from regulars.feedback import journey_links, links
from regulars.feedback.models import SurveySend
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import customer, order_with_product
from regulars.journeys.enroll import enroll
from regulars.journeys.models import Enrollment
from regulars.journeys.steps import LINK_BUILDERS, message_data
from regulars.journeys.tests.journey_data import journey_on

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _enrolled(store, key: str, ana=None) -> Enrollment:
    ana = ana or customer(store)
    order = order_with_product(store, ana)
    journey = journey_on(store, key)
    enrollment = enroll(journey, ana.pk, occurrence=f"o{order.pk}", now=NOW, order_id=order.pk)
    return Enrollment.objects.select_related("journey__store", "customer", "order").get(
        pk=enrollment.pk
    )


def test_both_links_are_registered_with_journeys():
    assert LINK_BUILDERS["feedback_url"] is journey_links.feedback_url
    assert LINK_BUILDERS["feedback_scores"] is journey_links.feedback_scores


def test_the_delivery_follow_up_gets_the_survey_link_and_eleven_one_tap_links(store):
    enrollment = _enrolled(store, "delivery_followup")

    data = message_data(enrollment)

    send = SurveySend.objects.get()
    assert send.key == f"journey:{enrollment.pk}"
    assert (send.customer, send.order, send.survey.key) == (
        enrollment.customer,
        enrollment.order,
        "nps",
    )
    assert (send.channel, send.source) == ("email", "journey:delivery_followup")
    assert data["feedback_url"] == surveys.survey_link(send)
    assert [s["score"] for s in data["feedback_scores"]] == list(range(11))
    for choice in data["feedback_scores"]:
        assert choice["url"] == f"{data['feedback_url']}?score={choice['score']}"
    token = data["feedback_url"].rstrip("/").rsplit("/", 1)[1]
    assert links.read_survey_token(token) == links.SurveyToken(store.pk, send.pk)


def test_rendering_again_links_to_the_same_send(store):
    enrollment = _enrolled(store, "delivery_followup")

    first = message_data(enrollment)
    again = message_data(Enrollment.objects.get(pk=enrollment.pk))

    assert SurveySend.objects.count() == 1
    assert first["feedback_url"] == again["feedback_url"]


def test_other_journeys_get_no_survey_and_create_no_send(store):
    enrollment = _enrolled(store, "order_confirmation")

    data = message_data(enrollment)

    assert (data["feedback_url"], data["feedback_scores"]) == ("", [])
    assert not SurveySend.objects.exists()


def test_a_store_that_switched_the_survey_off_gets_no_links(store):
    nps = surveys.ensure_surveys(store)[surveys.NPS]
    nps.enabled = False
    nps.save()
    enrollment = _enrolled(store, "delivery_followup")

    data = message_data(enrollment)

    assert (data["feedback_url"], data["feedback_scores"]) == ("", [])
    assert not SurveySend.objects.exists()


def test_the_dashboard_preview_shows_links_that_lead_nowhere_and_writes_nothing(store, settings):
    settings.BASE_URL = "https://regulars.example"
    journey = journey_on(store, "delivery_followup")
    preview = Enrollment(store=store, journey=journey, customer=customer(store), entered_at=NOW)

    data = message_data(preview)

    assert data["feedback_url"] == "https://regulars.example/f/s/preview/"
    assert data["feedback_scores"][10] == {
        "score": 10,
        "url": "https://regulars.example/f/s/preview/?score=10",
    }
    assert not SurveySend.objects.exists()


def test_a_send_key_is_the_same_send_for_the_same_customer_only(store):
    survey = surveys.ensure_surveys(store)[surveys.NPS]
    ana, bo = customer(store, "ana"), customer(store, "bo")
    first = surveys.do_send_for(survey, ana, "k")

    assert surveys.do_send_for(survey, ana, "k") == first
    with pytest.raises(RegularsError) as refused:
        surveys.do_send_for(survey, bo, "k")
    assert refused.value.field == "key"
    assert SurveySend.objects.count() == 1
