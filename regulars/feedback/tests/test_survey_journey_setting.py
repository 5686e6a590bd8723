"""Which survey the delivery follow-up asks: its journey setting `survey` (the key of one of the
store's surveys, "nps" by default), checked when it is set (an unknown or switched-off survey is
refused naming settings.survey); CSAT gets five one-tap buttons and its own wording, a custom
survey only the link to its page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.commerce.tests.fixtures import encode, payload, raw
from regulars.core.errors import RegularsError
from regulars.feedback.models import SurveyAnswer, SurveySend
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import customer, html_of, order_with_product, score_links
from regulars.insights.models import SurveyResponse
from regulars.journeys.enroll import enroll
from regulars.journeys.models import Enrollment, Journey
from regulars.journeys.services import do_update_journey_settings, ensure_journeys
from regulars.journeys.steps import message_data
from regulars.journeys.tests.journey_api import journeys_api
from regulars.journeys.tests.journey_data import journey_on
from regulars.journeys.tests.journey_steps import worker_round
from regulars.messaging.tests.link_pages import path_of

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
BASE_URL = "https://regulars.example"
CUSTOM = [
    {"id": "speed", "type": "scale", "label": "How fast was it?", "min": 1, "max": 5},
    {"id": "more", "type": "text", "label": "Anything else?"},
]


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def _custom(store, key: str = "after-delivery"):
    return surveys.do_save_custom_survey(store, key=key, name="After delivery", questions=CUSTOM)


def _enrolled(store, **settings) -> Enrollment:
    ana = customer(store)
    order = order_with_product(store, ana)
    journey = journey_on(store, "delivery_followup", **settings)
    enrollment = enroll(journey, ana.pk, occurrence=f"o{order.pk}", now=NOW, order_id=order.pk)
    return Enrollment.objects.select_related("journey__store", "customer", "order").get(
        pk=enrollment.pk
    )


def test_the_follow_up_asks_nps_by_default(store):
    data = message_data(_enrolled(store))

    assert SurveySend.objects.get().survey.key == "nps"
    assert data["feedback_kind"] == "nps"
    assert [s["score"] for s in data["feedback_scores"]] == list(range(11))


def test_a_csat_follow_up_gets_five_one_tap_links(store):
    enrollment = _enrolled(store, survey="csat")

    data = message_data(enrollment)

    send = SurveySend.objects.get()
    assert (send.survey.key, send.key) == ("csat", f"journey:{enrollment.pk}")
    assert data["feedback_kind"] == "csat"
    assert data["feedback_scores"] == [
        {"score": n, "url": f"{data['feedback_url']}?score={n}"} for n in range(1, 6)
    ]


def test_a_custom_survey_gets_only_the_link_to_its_page(store):
    _custom(store)
    enrollment = _enrolled(store, survey="after-delivery")

    data = message_data(enrollment)

    send = SurveySend.objects.get()
    assert send.survey.key == "after-delivery"
    assert data["feedback_url"] == surveys.survey_link(send)
    assert (data["feedback_scores"], data["feedback_kind"]) == ([], "custom")


def test_the_preview_of_a_csat_follow_up_shows_five_links_and_writes_nothing(store):
    journey = journey_on(store, "delivery_followup", survey="csat")
    preview = Enrollment(store=store, journey=journey, customer=customer(store), entered_at=NOW)

    data = message_data(preview)

    assert [s["score"] for s in data["feedback_scores"]] == [1, 2, 3, 4, 5]
    assert data["feedback_kind"] == "csat"
    assert not SurveySend.objects.exists()


@pytest.mark.parametrize("key", ["nope", "after-delivery"])
def test_the_setting_takes_only_a_survey_of_the_store(store, other_store, key):
    _custom(other_store)  # another store's survey is no survey of this one
    ensure_journeys(store)

    with pytest.raises(RegularsError) as refused:
        do_update_journey_settings(store, "delivery_followup", {"survey": key})

    assert refused.value.field == "survey"
    assert f"the store has no survey {key!r}; use one of nps, csat" in refused.value.message
    assert "survey" not in Journey.objects.get(store=store, key="delivery_followup").settings


def test_the_setting_keeps_the_key_as_the_store_spells_it(store):
    _custom(store)
    ensure_journeys(store)

    journey = do_update_journey_settings(store, "delivery_followup", {"survey": " CSAT "})
    assert journey.settings["survey"] == "csat"
    journey = do_update_journey_settings(store, "delivery_followup", {"survey": "After-Delivery"})
    assert journey.settings["survey"] == "after-delivery"


def test_a_switched_off_survey_is_refused(store):
    survey = _custom(store)
    surveys.do_update_survey(survey, enabled=False)
    ensure_journeys(store)

    with pytest.raises(RegularsError) as refused:
        do_update_journey_settings(store, "delivery_followup", {"survey": "after-delivery"})

    assert refused.value.field == "survey"
    assert "switched off" in refused.value.message


def test_the_api_names_settings_survey(client, store):
    api = journeys_api(client, store)
    ensure_journeys(store)

    refused = api.patch("/journeys/delivery_followup", {"settings": {"survey": "nope"}})
    taken = api.patch("/journeys/delivery_followup", {"settings": {"survey": "csat"}})
    elsewhere = api.patch("/journeys/review_request", {"settings": {"survey": "csat"}})

    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "settings.survey"
    assert "the store has no survey 'nope'" in error["message"]
    assert taken.status_code == 200
    assert taken.json()["settings"]["survey"] == "csat"
    # Only the delivery follow-up carries a survey.
    assert elsewhere.json()["errors"][0]["field"] == "settings.survey"


def _follow_up_email(shop, webhooks, smtp_server):
    """The Shopify order delivered, the worker a day later: the follow-up e-mail."""
    body = payload("shopify", "orders_create.json")
    body.update(financial_status="paid", cancelled_at=None, cancel_reason=None)
    webhooks.shopify(shop, "orders/create", encode(body))
    webhooks.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at="2022-01-04T15:20:00-05:00")
    delivered_at = datetime.now(UTC)
    webhooks.shopify(shop, "fulfillments/update", encode(body))
    with time_machine.travel(delivered_at + timedelta(hours=24, minutes=1), tick=False):
        worker_round()
    [mail] = smtp_server.messages()
    return mail


def test_a_csat_follow_up_reaches_the_customer_with_its_own_words_and_one_tap_answers(
    shopify_store, shopify_webhooks, smtp_server, client, django_capture_on_commit_callbacks
):
    journey_on(shopify_store, "delivery_followup", survey="csat")

    mail = _follow_up_email(shopify_store, shopify_webhooks, smtp_server)

    html = html_of(mail)
    links = score_links(html)
    assert sorted(links) == [1, 2, 3, 4, 5]
    assert "How satisfied are you with your order from Vinyl Corner?" in html
    assert "1 = very dissatisfied" in html and "5 = very satisfied" in html
    assert "recommend" not in html
    tracked = client.get(path_of(links[4]))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(path_of(tracked["Location"]))
    assert page.status_code == 200
    answer = SurveyAnswer.objects.get(store=shopify_store)
    assert (answer.survey.key, answer.score) == ("csat", 4)
    response = SurveyResponse.objects.get(store=shopify_store)
    assert (response.kind, response.score) == ("csat", 4)


def test_a_custom_follow_up_carries_only_the_link_to_its_page(
    shopify_store, shopify_webhooks, smtp_server, client
):
    _custom(shopify_store)
    journey_on(shopify_store, "delivery_followup", survey="after-delivery")

    mail = _follow_up_email(shopify_store, shopify_webhooks, smtp_server)

    html = html_of(mail)
    assert score_links(html) == {}
    assert "Tap a number" not in html
    send = SurveySend.objects.get(store=shopify_store)
    tracked = [
        client.get(path_of(href))["Location"]
        for href in _hrefs(html)
        if href.startswith(f"{BASE_URL}/messaging/c/")
    ]
    assert surveys.survey_link(send) in tracked
    page = client.get(path_of(surveys.survey_link(send)))
    assert "How fast was it?" in page.content.decode()


def _hrefs(html: str) -> list[str]:
    import re
    from html import unescape

    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
