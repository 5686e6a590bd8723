"""From a delivered Shopify order to an answered NPS question: the delivery follow-up reaches the
real SMTP server a day after delivery with one-tap score buttons; a tap on 3 (through the
e-mail's tracked link) records the answer and insights' response and alerts staff; a second tap
on 9 updates the same answer; the reason is posted from the page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from regulars.commerce.models import Order
from regulars.commerce.tests.fixtures import encode, payload, raw
from regulars.feedback.models import FollowUp, SurveyAnswer, SurveySend
from regulars.feedback.tests.survey_data import html_of, score_links
from regulars.insights.models import SurveyResponse
from regulars.journeys.tests.journey_data import journey_on
from regulars.journeys.tests.journey_steps import worker_round
from regulars.messaging.models import Click
from regulars.messaging.tests.link_pages import path_of

BASE_URL = "https://regulars.example"


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def _paid_order() -> bytes:
    body = payload("shopify", "orders_create.json")
    body.update(financial_status="paid", cancelled_at=None, cancel_reason=None)
    return encode(body)


def _follow_up_email(shop, webhooks, smtp_server):
    """The Shopify order delivered, the worker a day later: the follow-up e-mail."""
    journey_on(shop, "delivery_followup")
    webhooks.shopify(shop, "orders/create", _paid_order())
    webhooks.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at="2022-01-04T15:20:00-05:00")
    delivered_at = datetime.now(UTC)
    webhooks.shopify(shop, "fulfillments/update", encode(body))
    with time_machine.travel(delivered_at + timedelta(hours=24, minutes=1), tick=False):
        worker_round()
    mails = smtp_server.messages()
    assert len(mails) == 1
    return mails[0]


def _tap(client, href: str, capture):
    """What the customer's browser does with a link in the e-mail: the tracked link redirects
    to the survey page, which records the score."""
    tracked = client.get(path_of(href))
    assert tracked.status_code == 302
    with capture(execute=True):
        page = client.get(path_of(tracked["Location"]))
    assert page.status_code == 200
    return page


def test_one_tap_in_the_email_answers_and_a_second_tap_updates_the_same_answer(
    shopify_store, shopify_webhooks, smtp_server, client, django_capture_on_commit_callbacks
):
    shop = shopify_store
    mail = _follow_up_email(shop, shopify_webhooks, smtp_server)
    links = score_links(html_of(mail))
    assert sorted(links) == list(range(11))
    assert all(href.startswith(f"{BASE_URL}/messaging/c/") for href in links.values())

    page = _tap(client, links[3], django_capture_on_commit_callbacks)

    order = Order.objects.get(store=shop)
    survey_send = SurveySend.objects.get(store=shop)
    assert survey_send.order == order and survey_send.customer == order.customer
    assert survey_send.source == "journey:delivery_followup"
    answer = SurveyAnswer.objects.get(store=shop)
    assert (answer.send, answer.score, answer.comment) == (survey_send, 3, "")
    response = SurveyResponse.objects.get(store=shop)
    assert (response.kind, response.score, response.source, response.channel) == (
        "nps",
        3,
        "survey",
        "email",
    )
    assert response.external_id == f"send:{survey_send.pk}"
    assert (response.order, response.customer) == (order, order.customer)
    assert answer.response == response
    assert Click.objects.filter(url__endswith="?score=3").count() == 1
    body = page.content.decode()
    assert 'value="3" aria-pressed="true">3</button>' in body
    assert "What is the main reason for your score?" in body

    _tap(client, links[9], django_capture_on_commit_callbacks)

    assert SurveyAnswer.objects.get(store=shop).score == 9
    assert SurveyResponse.objects.get(store=shop).score == 9
    assert SurveySend.objects.filter(store=shop).count() == 1

    reason_page = page.wsgi_request.path
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reason_page, {"comment": "Arrived fast, well packed."})
    assert posted.status_code == 303
    assert posted["Location"] == f"{reason_page}?sent=1"
    assert SurveyAnswer.objects.get(store=shop).comment == "Arrived fast, well packed."
    assert SurveyResponse.objects.get(store=shop).comment == "Arrived fast, well packed."
    thanks = client.get(posted["Location"])
    assert "Thank you!" in thanks.content.decode()


def test_the_detractor_tap_alerts_staff_by_email_once_and_opens_one_follow_up(
    shopify_store, shopify_webhooks, smtp_server, client, django_capture_on_commit_callbacks
):
    shop = shopify_store
    mail = _follow_up_email(shop, shopify_webhooks, smtp_server)
    links = score_links(html_of(mail))

    _tap(client, links[3], django_capture_on_commit_callbacks)
    _tap(client, links[2], django_capture_on_commit_callbacks)
    answer = SurveyAnswer.objects.get(store=shop)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(_page_url(answer)), {"comment": "The box was crushed."})

    alerts = [m for m in smtp_server.messages() if m["To"] == "owner@example.com"]
    assert len(alerts) == 1
    assert "answered 3 of 10" in alerts[0]["Subject"]
    assert "Vinyl Corner" in alerts[0]["Subject"]
    follow_up = FollowUp.objects.get(store=shop)
    assert follow_up.answer == answer and follow_up.customer == answer.customer
    assert follow_up.status == "open"
    assert follow_up.due_at - answer.answered_at == timedelta(hours=24)
    # The customer got the follow-up e-mail and nothing else.
    assert [m["To"] for m in smtp_server.messages()].count("owner@example.com") == 1
    assert SurveyAnswer.objects.get(store=shop).comment == "The box was crushed."


def _page_url(answer) -> str:
    from regulars.feedback.services.surveys import survey_link

    return survey_link(answer.send)
