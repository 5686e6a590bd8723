"""The issue's story end to end: a Shopify order is delivered; a day later the delivery
follow-up reaches the real SMTP server with its one-tap NPS buttons; the customer taps 9, gives
a reason, and the thank-you page invites them to review the order; they give five stars, and
the review is published, marked verified, in the public JSON and the widget."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine

from regulars.commerce.models import Order
from regulars.commerce.tests.fixtures import encode, payload, raw
from regulars.feedback.models import FollowUp, Review, ReviewStatus, SurveyAnswer
from regulars.feedback.tests.public_data import fresh_public_state  # noqa: F401
from regulars.feedback.tests.survey_data import html_of, score_links
from regulars.insights.models import SurveyResponse
from regulars.journeys.tests.journey_data import journey_on
from regulars.journeys.tests.journey_steps import worker_round
from regulars.messaging.tests.link_pages import path_of

BASE_URL = "https://regulars.example"
DELIVERED = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("fresh_public_state")


@pytest.fixture(autouse=True)
def _https_links(settings):
    settings.BASE_URL = BASE_URL


def _shopify_order() -> bytes:
    body = payload("shopify", "orders_create.json")
    at = "2026-06-05T09:00:00-04:00"
    body.update(financial_status="paid", cancelled_at=None, cancel_reason=None)
    body.update(created_at=at, processed_at=at, updated_at=at)
    return encode(body)


def _delivered() -> bytes:
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at=DELIVERED.isoformat())
    return encode(body)


def test_a_promoter_answers_in_one_tap_and_ends_with_a_published_verified_review(
    shopify_store, shopify_webhooks, smtp_server, client, django_capture_on_commit_callbacks
):
    shop = shopify_store
    journey_on(shop, "delivery_followup")
    with time_machine.travel(DELIVERED, tick=False):
        shopify_webhooks.shopify(shop, "orders/create", _shopify_order())
        shopify_webhooks.shopify(
            shop, "fulfillments/create", raw("shopify", "fulfillments_create.json")
        )
        shopify_webhooks.shopify(shop, "fulfillments/update", _delivered())

    # A day later the worker sends the follow-up.
    with time_machine.travel(DELIVERED + timedelta(hours=24, minutes=1), tick=False):
        worker_round()
    [mail] = smtp_server.messages()
    assert mail["Subject"] == "Did everything arrive well?"
    buttons = score_links(html_of(mail))
    assert sorted(buttons) == list(range(11))

    with time_machine.travel(DELIVERED + timedelta(hours=26)):
        # The customer taps 9 in the e-mail: click tracking, then the survey page.
        tracked = client.get(path_of(buttons[9]))
        assert tracked.status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            tapped = client.get(path_of(tracked["Location"]))
        assert tapped.status_code == 200
        survey_page = tapped.wsgi_request.path
        with django_capture_on_commit_callbacks(execute=True):
            posted = client.post(survey_page, {"comment": "Arrived early, well packed."})
        assert posted.status_code == 303
        thanks = client.get(posted["Location"])

    placed = Order.objects.get(store=shop)
    answer = SurveyAnswer.objects.get(store=shop)
    assert (answer.score, answer.comment) == (9, "Arrived early, well packed.")
    assert (answer.send.order, answer.customer) == (placed, placed.customer)
    response = SurveyResponse.objects.get(store=shop)
    assert (response.kind, response.score, response.order) == ("nps", 9, placed)
    assert not FollowUp.objects.exists()  # a promoter: no call-back, no alert
    assert len(smtp_server.messages()) == 1

    # The thank-you page invites the promoter to review the order.
    page = unescape(thanks.content.decode())
    assert "We're so glad you're happy!" in page
    [review_link] = re.findall(r'<a class="button" href="([^"]+)">Write a review</a>', page)
    assert review_link.startswith(f"{BASE_URL}/f/r/")
    form = client.get(path_of(review_link))
    assert form.status_code == 200
    [sunglasses] = {line.product for line in placed.lines.exclude(product=None)}
    assert sunglasses.title in form.content.decode()

    review_form = {
        "product": sunglasses.pk,
        "rating": "5",
        "title": "Perfect fit",
        "body": "Light, sturdy, and they came a day early.",
    }
    with (
        time_machine.travel(DELIVERED + timedelta(hours=27)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = client.post(path_of(review_link), review_form)
    assert sent.status_code == 303
    review = Review.objects.get(store=shop)
    assert (review.status, review.verified, review.rating) == (ReviewStatus.PUBLISHED, True, 5)
    assert (review.customer, review.order, review.product) == (placed.customer, placed, sunglasses)

    # The shopper sees it: the public JSON and the widget of the product.
    public = f"/f/api/{shop.public_id}/products/{sunglasses.external_id}/reviews"
    data = client.get(public).json()
    assert data["rating"] == {
        "average": 5.0,
        "count": 1,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1},
    }
    [shown] = data["reviews"]
    assert (shown["id"], shown["rating"], shown["title"], shown["verified"]) == (
        review.pk,
        5,
        "Perfect fit",
        True,
    )
    widget = client.get(f"/f/w/{shop.public_id}/{sunglasses.external_id}/")
    assert widget.status_code == 200
    html = unescape(widget.content.decode())
    assert "Perfect fit" in html and "Light, sturdy, and they came a day early." in html
    assert "Verified buyer" in html
