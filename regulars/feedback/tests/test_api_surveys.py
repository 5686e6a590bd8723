"""The surveys API: GET /surveys lists the store's surveys with how many were sent and answered;
GET /surveys/{key}/answers pages through one survey's answers, newest first; another store's
survey is not found."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.commerce.tests.api_client import api_for
from regulars.feedback.services import surveys
from regulars.feedback.tests.inbox_data import T0, answer, customer, order

CUSTOM = [
    {"id": "speed", "type": "scale", "label": "How fast?", "min": 1, "max": 5},
    {"id": "more", "type": "text", "label": "Anything else?"},
]


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def test_the_list_has_the_built_in_and_custom_surveys_with_their_counts(api, store):
    ana = customer(store)
    answer(store, ana, 9, "Great")
    custom = surveys.do_save_custom_survey(store, key="after", name="After", questions=CUSTOM)
    surveys.do_send_for(custom, ana, "k1")

    response = api.get("/surveys")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(s["key"], s["kind"], s["sends"], s["answers"]) for s in items] == [
        ("nps", "nps", 1, 1),
        ("csat", "csat", 0, 0),
        ("after", "custom", 1, 0),
    ]
    assert items[0]["last_answered_at"] == "2026-03-02T09:00:00Z"
    assert items[2]["questions"][0] == {
        "id": "speed",
        "type": "scale",
        "label": "How fast?",
        "required": False,
        "min": 1,
        "max": 5,
    }
    assert (items[0]["question"], items[0]["enabled"]) == ("", True)


def test_the_answers_come_newest_first_by_page(api, store):
    ana = customer(store)
    placed = order(store, "1001")
    nps = surveys.ensure_surveys(store)["nps"]
    send = surveys.do_send_for(nps, ana, "journey:1", order=placed, source="journey:x")
    surveys.do_answer(send, score=3, comment="Late", now=T0)
    for n in range(1, 4):
        answer(store, ana, 9, f"Good {n}", at=T0 + timedelta(days=n))

    first = api.get("/surveys/nps/answers?limit=2")
    second = api.get("/surveys/nps/answers?limit=2&offset=2")

    assert first.status_code == 200
    body = first.json()
    assert (body["count"], body["next_offset"]) == (4, 2)
    assert [a["comment"] for a in body["items"]] == ["Good 3", "Good 2"]
    last = second.json()["items"][-1]
    assert second.json()["next_offset"] is None
    assert last == {
        "id": last["id"],
        "score": 3,
        "comment": "Late",
        "answers": {},
        "language": "",
        "customer_id": ana.pk,
        "customer_external_id": "c1",
        "customer_email": "ana@example.com",
        "order_external_id": "1001",
        "channel": "email",
        "source": "journey:x",
        "reply": None,
        "answered_at": "2026-03-02T09:00:00Z",
        "updated_at": last["updated_at"],
    }


def test_a_custom_surveys_answers_are_given_by_question_id(api, store):
    custom = surveys.do_save_custom_survey(store, key="after", name="After", questions=CUSTOM)
    send = surveys.do_send_for(custom, customer(store), "k1")
    surveys.do_answer(send, answers={"speed": "4", "more": "Nice box"}, now=T0)

    [item] = api.get("/surveys/after/answers").json()["items"]

    assert (item["score"], item["answers"]) == (4, {"speed": 4, "more": "Nice box"})


def test_answers_since_a_moment(api, store):
    ana = customer(store)
    answer(store, ana, 9, "old", at=datetime(2026, 3, 1, tzinfo=UTC))
    answer(store, ana, 9, "new", at=datetime(2026, 3, 5, tzinfo=UTC))

    response = api.get("/surveys/nps/answers?answered_since=2026-03-03T00:00:00Z")

    assert [a["comment"] for a in response.json()["items"]] == ["new"]


def test_an_unknown_or_another_stores_survey_is_not_found(api, store, other_store):
    theirs = surveys.do_save_custom_survey(other_store, key="after", name="After", questions=CUSTOM)
    surveys.do_answer(surveys.do_send_for(theirs, customer(other_store), "k"), answers={"speed": 5})

    for key, status in (("after", 404), ("nope", 404), ("x" * 61, 422)):
        response = api.get(f"/surveys/{key}/answers")
        assert response.status_code == status, key
        assert response.json()["errors"][0]["field"] == "key"
    assert [s["key"] for s in api.get("/surveys").json()["items"]] == ["nps", "csat"]
