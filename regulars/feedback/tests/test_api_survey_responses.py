"""The survey responses API: record an NPS or CSAT answer given elsewhere (idempotent on the
sender's external_id, which corrects it), counted in the store's figures; list every answer,
Regulars' own survey answers too, with filters; bad input named by field."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from regulars.commerce.tests.api_client import api_for
from regulars.feedback.services.surveys import do_answer, do_send_for, ensure_surveys
from regulars.feedback.tests.inbox_data import customer, order
from regulars.insights.models import SurveyResponse
from regulars.insights.surveys import score_summary

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def _errors(response) -> list[tuple]:
    return [(e["code"], e["field"]) for e in response.json()["errors"]]


@time_machine.travel(NOW, tick=False)
def test_an_answer_from_a_help_desk_is_recorded_once_and_counted(api, store):
    ana = customer(store)
    order(store, "1001")
    payload = {
        "external_id": "zendesk-csat-5521",
        "kind": "csat",
        "score": 2,
        "comment": "Nobody answered for two days",
        "customer_external_id": "c1",
        "order_external_id": "1001",
        "channel": "helpdesk",
        "answered_at": "2026-03-09T15:30:00",  # naive: the store's zone (New York)
    }

    first = api.post("/survey-responses", payload)
    again = api.post("/survey-responses", {**payload, "score": 3, "comment": "Resolved later"})

    assert first.status_code == 201
    response = SurveyResponse.objects.get(store=store)
    assert first.json() == {
        "id": response.pk,
        "external_id": "zendesk-csat-5521",
        "kind": "csat",
        "score": 2,
        "comment": "Nobody answered for two days",
        "channel": "helpdesk",
        "source": "api",
        "customer_id": ana.pk,
        "customer_external_id": "c1",
        "customer_email": "ana@example.com",
        "order_external_id": "1001",
        "answered_at": "2026-03-09T19:30:00Z",
    }
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["score"]) == (response.pk, 3)
    assert SurveyResponse.objects.filter(store=store).count() == 1
    summary = score_summary(store, "csat", start=date(2026, 3, 1), end=date(2026, 3, 10))
    assert (summary.n, summary.counts["neutral"]) == (1, 1)


@time_machine.travel(NOW, tick=False)
def test_the_list_holds_regulars_own_answers_and_filters(api, store):
    ana = customer(store)
    send = do_send_for(ensure_surveys(store)["nps"], ana, "journey:1")
    do_answer(send, score=9, comment="Great")
    api.post(
        "/survey-responses",
        {"external_id": "call-1", "kind": "nps", "score": 4, "customer_id": ana.pk},
    )

    everything = api.get("/survey-responses").json()
    own = api.get("/survey-responses", source="survey").json()
    by_customer = api.get("/survey-responses", customer_external_id="c1", kind="nps").json()

    assert everything["count"] == 2
    assert [(r["source"], r["score"]) for r in own["items"]] == [("survey", 9)]
    assert own["items"][0]["comment"] == "Great"
    assert by_customer["count"] == 2
    assert api.get("/survey-responses", kind="csat").json()["count"] == 0


@pytest.mark.parametrize(
    "fields, status, errors",
    [
        ({"score": 11}, 422, [("invalid", "score")]),
        ({"kind": "csat", "score": 0}, 422, [("invalid", "score")]),
        ({"kind": "ces"}, 422, [("invalid", "kind")]),
        ({"external_id": ""}, 422, [("invalid", "external_id")]),
        ({"customer_external_id": ""}, 422, [("required", "customer_id")]),
        ({"customer_external_id": "ghost"}, 404, [("not_found", "customer_external_id")]),
        ({"order_external_id": "404"}, 404, [("not_found", "order_external_id")]),
        ({"answered_at": "yesterday"}, 422, [("invalid", "answered_at")]),
        ({"channel": "x" * 21}, 422, [("invalid", "channel")]),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(api, store, fields, status, errors):
    customer(store)
    payload = {"external_id": "e1", "kind": "nps", "score": 5, "customer_external_id": "c1"}

    response = api.post("/survey-responses", {**payload, **fields})

    assert response.status_code == status
    assert _errors(response) == errors
    assert not SurveyResponse.objects.exists()


def test_the_id_of_a_regulars_survey_answer_cannot_be_taken_over(api, store):
    ana = customer(store)
    send = do_send_for(ensure_surveys(store)["nps"], ana, "journey:1")
    do_answer(send, score=9)
    own = SurveyResponse.objects.get(store=store)

    response = api.post(
        "/survey-responses",
        {"external_id": own.external_id, "kind": "nps", "score": 0, "customer_id": ana.pk},
    )

    assert (response.status_code, _errors(response)) == (422, [("invalid", "external_id")])
    own.refresh_from_db()
    assert own.score == 9
