"""From a delivered Shopify order to a published, verified review: the review-request journey's
e-mail reaches the real SMTP server with the signed review link (data.review_url, behind
messaging's click tracking), the customer opens it and gives five stars. And the link builder and the review-posted trigger on
their own."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from regulars.commerce.models import Order
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw
from regulars.feedback.models import ProductRating, Review, ReviewStatus
from regulars.feedback.review_links import review_url
from regulars.feedback.services.reviews import do_submit_review
from regulars.feedback.tests.review_data import NOW, order, product
from regulars.journeys.models import Enrollment, Journey, Trigger
from regulars.journeys.tests.journey_data import journey_on
from regulars.journeys.tests.journey_steps import html_of, worker_round

BASE_URL = "https://regulars.example"
DELIVERED = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _https_links(settings):
    # Marketing e-mails carry an https one-click unsubscribe link (RFC 8058).
    settings.BASE_URL = BASE_URL


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


def shopify_order() -> bytes:
    """Shopify's published orders/create sample, paid, its customer subscribed to e-mail."""
    body = payload("shopify", "orders_create.json")
    at = "2026-06-05T09:00:00-04:00"
    body.update(financial_status="paid", cancelled_at=None, cancel_reason=None)
    body.update(created_at=at, processed_at=at, updated_at=at)
    body["customer"]["email_marketing_consent"] = {
        "state": "subscribed",
        "opt_in_level": "single_opt_in",
        "consent_updated_at": at,
    }
    return encode(body)


def delivered_parcel() -> bytes:
    body = payload("shopify", "fulfillments_update.json")
    body.update(shipment_status="delivered", updated_at=DELIVERED.isoformat())
    return encode(body)


def test_a_delivered_order_ends_in_a_published_verified_review(
    client, store, send, smtp_server, django_capture_on_commit_callbacks
):
    shop = connect(store)
    journey_on(shop, "review_request")
    with time_machine.travel(DELIVERED, tick=False):
        send.shopify(shop, "orders/create", shopify_order())
        send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
        send.shopify(shop, "fulfillments/update", delivered_parcel())
    due = Enrollment.objects.get(journey__key="review_request").next_run_at
    with time_machine.travel(due, tick=False):
        worker_round(due)

    [mail] = smtp_server.messages()
    # Links in e-mails go through click tracking, which redirects to the review page.
    tracked = re.findall(r'href="https://regulars\.example(/messaging/c/[^"]+)"', html_of(mail))
    targets = [client.get(link)["Location"] for link in tracked]
    review_links = [url for url in targets if url.startswith(f"{BASE_URL}/f/r/")]
    assert len(review_links) == 1, targets
    path = urlsplit(review_links[0]).path
    placed = Order.objects.get(store=shop)
    # Shopify's sample order has three lines of one product (and two without a product).
    [sunglasses] = {line.product for line in placed.lines.exclude(product=None)}
    page = client.get(path)
    assert page.status_code == 200
    assert sunglasses.title in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            path,
            {"product": sunglasses.pk, "rating": "5", "title": "Perfect", "body": "Love them."},
        )
    assert sent.status_code == 303
    review = Review.objects.get()
    assert (review.status, review.verified, review.customer, review.order) == (
        ReviewStatus.PUBLISHED,
        True,
        placed.customer,
        placed,
    )
    assert ProductRating.objects.get(product=sunglasses).count == 1
    assert "Thank you! Your review is published." in client.get(sent["Location"]).content.decode()


def test_the_review_link_of_an_enrollment(store):
    placed = order(store)
    journey = journey_on(store, "review_request")
    with_order = Enrollment.objects.create(
        store=store,
        journey=journey,
        customer=placed.customer,
        order=placed,
        entry_key="o1",
        entered_at=NOW,
    )
    url = review_url(with_order)
    assert url.startswith(f"{BASE_URL}/f/r/")
    without = Enrollment(store=store, journey=journey, customer=placed.customer, entered_at=NOW)
    assert review_url(without) == ""
    preview = Enrollment(
        store=store, journey=journey, customer=placed.customer, order=placed, entered_at=NOW
    )
    assert review_url(preview) == f"{BASE_URL}/f/r/preview/"


def test_a_posted_review_enrolls_its_customer_in_review_posted_journeys(
    store, django_capture_on_commit_callbacks
):
    journey = Journey.objects.create(
        store=store,
        key="thank-reviewers",
        name="Thank reviewers",
        trigger=Trigger.REVIEW_POSTED,
        enabled=True,
        steps=[{"type": "exit"}],
    )
    placed = order(store)
    with django_capture_on_commit_callbacks(execute=True):
        review = do_submit_review(
            store, placed.customer, placed, product(store), 5, "", "", now=timezone.now()
        )
    enrollment = Enrollment.objects.get(journey=journey)
    assert (enrollment.customer, enrollment.order, enrollment.entry_key) == (
        placed.customer,
        placed,
        f"r{review.pk}",
    )
