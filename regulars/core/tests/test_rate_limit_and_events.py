import pytest
import time_machine

from regulars.core import events, ratelimit
from regulars.core.errors import RateLimited


@pytest.mark.django_db
def test_requests_past_the_limit_are_refused_until_the_window_ends():
    with time_machine.travel("2026-05-01 12:00:10Z", tick=False):
        for _ in range(3):
            ratelimit.hit("api:1", limit=3, window_seconds=60)
        with pytest.raises(RateLimited) as caught:
            ratelimit.hit("api:1", limit=3, window_seconds=60)
        assert caught.value.retry_after == 50
        ratelimit.hit("api:2", limit=3, window_seconds=60)  # another key has its own count
    with time_machine.travel("2026-05-01 12:01:00Z", tick=False):
        ratelimit.hit("api:1", limit=3, window_seconds=60)


@pytest.mark.django_db
def test_a_handler_runs_only_after_commit(django_capture_on_commit_callbacks):
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("test.happened", handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit("test.happened", store_id=1)
            assert seen == []
        assert seen == [{"store_id": 1}]
    finally:
        events.unsubscribe("test.happened", handler)


@pytest.mark.django_db
def test_a_failing_handler_does_not_stop_the_others(django_capture_on_commit_callbacks):
    seen = []

    def broken(**payload):
        raise RuntimeError("boom")

    def fine(**payload):
        seen.append(payload)

    events.subscribe("test.happened", broken)
    events.subscribe("test.happened", fine)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.emit("test.happened", order_id=7)
        assert seen == [{"order_id": 7}]
    finally:
        events.unsubscribe("test.happened", broken)
        events.unsubscribe("test.happened", fine)
