"""The public reviews are rate-limited per client address, in memory: past the limit, 429
with Retry-After, and no database write is spent on counting."""

from datetime import UTC, datetime

import pytest
import time_machine

from regulars.core.models import RateLimitCounter
from regulars.feedback.tests.public_data import (
    fresh_public_state,  # noqa: F401 - the fixture below
    product,
    review,
    reviews_path,
    widget_path,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")

NOON = datetime(2026, 5, 1, 12, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.REGULARS_REVIEWS_PUBLIC_RATE_LIMIT = 3


def test_past_the_limit_the_json_answers_429_with_retry_after(client, store):
    review(product(store), 5, 1)
    with time_machine.travel(NOON, tick=False):
        codes = [client.get(reviews_path(store)).status_code for _ in range(3)]
        refused = client.get(reviews_path(store))

    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert refused.json()["errors"][0]["code"] == "rate_limited"
    assert RateLimitCounter.objects.count() == 0


def test_every_public_page_counts_against_one_limit(client, store):
    review(product(store), 5, 1)
    with time_machine.travel(NOON, tick=False):
        client.get(reviews_path(store))
        client.get(f"/f/api/{store.public_id}/products/lp-1/jsonld")
        client.get(f"/f/api/{store.public_id}/testimonials")
        widget = client.get(widget_path(store))
        testimonials = client.get(f"/f/t/{store.public_id}/")

    assert widget.status_code == 429
    assert "Too many requests" in widget.content.decode()
    assert "X-Frame-Options" not in widget
    assert testimonials.status_code == 429


def test_unknown_stores_count_too(client, store):
    with time_machine.travel(NOON, tick=False):
        codes = [client.get(f"/f/api/guess-{n}/products/1/reviews").status_code for n in range(4)]

    assert codes == [404, 404, 404, 429]


def test_another_address_and_the_next_minute_are_not_limited(client, store):
    review(product(store), 5, 1)
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            client.get(reviews_path(store))
        assert client.get(reviews_path(store)).status_code == 429
        assert client.get(reviews_path(store), REMOTE_ADDR="203.0.113.9").status_code == 200
    with time_machine.travel(NOON.replace(minute=1), tick=False):
        assert client.get(reviews_path(store)).status_code == 200


def test_the_default_limit_leaves_room_for_a_busy_store(client, store, settings):
    del settings.REGULARS_REVIEWS_PUBLIC_RATE_LIMIT
    review(product(store), 5, 1)
    with time_machine.travel(NOON, tick=False):
        codes = {client.get(reviews_path(store)).status_code for _ in range(600)}
        refused = client.get(reviews_path(store))

    assert codes == {200}
    assert refused.status_code == 429


def test_review_photos_count_against_the_same_limit(client, store):
    # The widget's photos are public too: guessing photo ids is refused like any other read.
    with time_machine.travel(NOON, tick=False):
        codes = [client.get(f"/f/photos/{n}/").status_code for n in range(1, 5)]
        refused = client.get("/f/photos/9/")

    assert codes == [404, 404, 404, 429]
    assert refused["Retry-After"] == "50"
    assert RateLimitCounter.objects.count() == 0
