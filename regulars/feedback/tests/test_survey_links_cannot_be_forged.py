"""A survey link is its own authentication: an altered, forged or wrong-purpose token gets a
bare 404 and records nothing; a token naming another store's send cannot reach it; one store
never sees another's surveys, sends or answers. The page is rate-limited per IP and per link."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import signing

from regulars.core.errors import RegularsError
from regulars.feedback import links
from regulars.feedback.models import SurveyAnswer
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import customer, nps_send, page_path
from regulars.insights.models import SurveyResponse

NOON = datetime(2026, 5, 1, 12, 0, 10, tzinfo=UTC)


def _not_found(response) -> bool:
    return response.status_code == 404 and "This link is not valid" in response.content.decode()


def test_an_altered_token_is_not_found_and_records_nothing(client, store):
    send = nps_send(store, customer(store))
    token = links.survey_token(store.pk, send.pk)
    value, signature = token.rsplit(":", 1)
    altered = [
        f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{value[:-1]}x:{signature}",
        "guess",
        token + "x",
        links.review_token(store.pk, send.pk, send.customer_id),  # another purpose's token
    ]

    for bad in altered:
        assert _not_found(client.get(f"/f/s/{bad}/?score=0")), bad
        assert _not_found(client.post(f"/f/s/{bad}/", {"comment": "x"})), bad

    assert not SurveyAnswer.objects.exists() and not SurveyResponse.objects.exists()


def test_a_token_signed_with_another_key_is_refused(client, store):
    send = nps_send(store, customer(store))
    forged = signing.Signer(key="not-our-secret", salt="regulars.feedback.survey").sign_object(
        [store.pk, send.pk], compress=True
    )

    assert _not_found(client.get(f"/f/s/{forged}/?score=10"))
    assert not SurveyAnswer.objects.exists()


def test_a_token_naming_another_stores_send_cannot_touch_it(client, store, other_store):
    theirs = nps_send(other_store, customer(other_store, "kit"))
    # A link that names this store but the other store's send (ids are guessable).
    crossed = links.survey_token(store.pk, theirs.pk)

    assert _not_found(client.get(f"/f/s/{crossed}/?score=0"))
    assert not SurveyAnswer.objects.exists()
    with pytest.raises(links.BadLink):
        surveys.access_send(crossed)


def test_each_store_has_its_own_surveys_sends_and_answers(client, store, other_store):
    ours = nps_send(store, customer(store), "same-key")
    theirs = nps_send(other_store, customer(other_store, "kit"), "same-key")

    client.get(page_path(ours, 2))
    client.get(page_path(theirs, 10))

    assert ours.survey != theirs.survey and ours.survey.store == store
    answers = {a.store_id: a.score for a in SurveyAnswer.objects.all()}
    assert answers == {store.pk: 2, other_store.pk: 10}
    responses = {r.store_id: r.score for r in SurveyResponse.objects.all()}
    assert responses == {store.pk: 2, other_store.pk: 10}


def test_a_send_refuses_a_customer_or_order_of_another_store(store, other_store):
    from regulars.feedback.tests.survey_data import order_with_product

    survey = surveys.ensure_surveys(store)[surveys.NPS]
    kit = customer(other_store, "kit")

    with pytest.raises(RegularsError) as refused:
        surveys.do_send_for(survey, kit, "k")
    assert refused.value.field == "customer"
    with pytest.raises(RegularsError) as refused:
        surveys.do_send_for(
            survey, customer(store), "k", order=order_with_product(other_store, kit)
        )
    assert refused.value.field == "order"


def test_the_page_answers_429_past_the_per_ip_limit_and_records_nothing(client, store, settings):
    settings.REGULARS_PUBLIC_PAGE_RATE_LIMIT = 2
    send = nps_send(store, customer(store))
    with time_machine.travel(NOON, tick=False):
        client.get("/f/s/guess-1/")  # forged tokens count too
        client.get(page_path(send))
        refused = client.get(page_path(send, 5))
        elsewhere = client.get(page_path(send), REMOTE_ADDR="203.0.113.9")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "Too many requests" in refused.content.decode()
    assert elsewhere.status_code == 200
    assert not SurveyAnswer.objects.exists()


def test_one_link_is_limited_whatever_the_address(client, store, settings):
    settings.REGULARS_SURVEY_LINK_RATE_LIMIT = 3
    thai = customer(store, "nok", language="th")
    send, other = nps_send(store, thai), nps_send(store, thai, "test:2")
    with time_machine.travel(NOON, tick=False):
        codes = [
            client.get(page_path(send, n), REMOTE_ADDR=f"203.0.113.{n}").status_code
            for n in range(4)
        ]
        another_link = client.get(page_path(other))

    assert codes == [200, 200, 200, 429]
    assert SurveyAnswer.objects.get().score == 2
    assert another_link.status_code == 200


def test_the_link_limit_speaks_the_customers_language(client, store, settings):
    settings.REGULARS_SURVEY_LINK_RATE_LIMIT = 1
    send = nps_send(store, customer(store, "nok", language="th"))
    with time_machine.travel(NOON, tick=False):
        client.get(page_path(send))
        refused = client.get(page_path(send))

    assert refused.status_code == 429
    assert "กรุณารอ 50 วินาทีแล้วลองใหม่อีกครั้งค่ะ" in refused.content.decode()
