"""A merchant's reply and a moderator's decision show in the public JSON, the widget and the
testimonials at the next request, though the answers are cached: the services touch the
product's ProductRating row, whose time of change is part of every cache key."""

from datetime import timedelta

import pytest
import time_machine

from regulars.feedback.models import ReviewStatus
from regulars.feedback.services.reviews import do_moderate_review, do_reply_to_review
from regulars.feedback.tests.public_data import (
    T0,
    fresh_public_state,  # noqa: F401 - the fixture below
    product,
    review,
    reviews_path,
    widget_path,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")
LATER = T0 + timedelta(days=30)


def _testimonials(client, store) -> dict:
    data = client.get(f"/f/api/{store.public_id}/testimonials").json()
    return {t["id"]: t for t in data["testimonials"]}


def test_a_reply_shows_at_once_and_its_removal_too(client, store, owner, settings):
    settings.REGULARS_REVIEWS_CACHE_SECONDS = 3600  # far longer than the test
    lp = product(store)
    first = review(lp, 5, 1)
    with time_machine.travel(LATER):  # a clock that runs, as a server's does
        assert client.get(reviews_path(store)).json()["reviews"][0]["reply"] is None
        assert "Thank you, Ana!" not in client.get(widget_path(store)).content.decode()
        assert _testimonials(client, store)[first.pk]["reply"] is None

        do_reply_to_review(first, "Thank you, Ana!", owner)

        reply = client.get(reviews_path(store)).json()["reviews"][0]["reply"]
        assert reply["body"] == "Thank you, Ana!"
        assert reply["at"].startswith("2026-03-31T12:00")
        assert "Thank you, Ana!" in client.get(widget_path(store)).content.decode()
        assert _testimonials(client, store)[first.pk]["reply"]["body"] == "Thank you, Ana!"

        do_reply_to_review(first, "Thank you, Ana! See you soon.", owner)
        edited = client.get(reviews_path(store)).json()["reviews"][0]["reply"]
        assert edited == {**reply, "body": "Thank you, Ana! See you soon."}

        do_reply_to_review(first, "", owner)
        assert client.get(reviews_path(store)).json()["reviews"][0]["reply"] is None
        assert "See you soon" not in client.get(widget_path(store)).content.decode()


def test_hiding_and_approving_show_at_once(client, store, owner, settings):
    settings.REGULARS_REVIEWS_CACHE_SECONDS = 3600
    lp = product(store)
    kept = review(lp, 5, 1)
    hidden = review(lp, 4, 2, title="Fine")
    waiting = review(lp, 3, 3, title="Waiting", status=ReviewStatus.PENDING)
    with time_machine.travel(LATER):
        before = client.get(reviews_path(store)).json()
        assert [r["id"] for r in before["reviews"]] == [hidden.pk, kept.pk]
        assert "Fine" in client.get(widget_path(store)).content.decode()

        do_moderate_review(hidden, "hide", "Not about the product", owner)
        do_moderate_review(waiting, "approve", "", owner)

        after = client.get(reviews_path(store)).json()
        assert [r["id"] for r in after["reviews"]] == [waiting.pk, kept.pk]
        assert after["rating"] == {
            "average": 4.0,
            "count": 2,
            "distribution": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1},
        }
        widget = client.get(widget_path(store)).content.decode()
        assert "Waiting" in widget and "Fine" not in widget
        assert hidden.pk not in _testimonials(client, store)
