"""The time to first reply: median and 90th percentile over the replies of the last 30 days,
replied_at - written_at for reviews and - answered_at for survey answers; imported reviews and
older replies do not count."""

from regulars.feedback.models import ReviewSource
from regulars.feedback.services.inbox import ReplyTimes, reply_times
from regulars.feedback.tests.inbox_data import T0, answer, customer, hours, product, review

NOW = T0 + hours(24 * 40)


def _review_replied_after(store, lp, waited: float, *, replied_at, **fields):
    return review(
        store, lp, 3, at=replied_at - hours(waited), reply="Thanks", replied_at=replied_at, **fields
    )


def test_median_and_p90_of_the_last_30_days(store):
    ana = customer(store)
    lp = product(store)
    recent = NOW - hours(24)
    for waited in (1, 2, 3, 4, 5, 6, 7, 8, 9):
        _review_replied_after(store, lp, waited, replied_at=recent)
    answer(store, ana, 2, "Late", at=recent - hours(10), reply="Sorry", replied_at=recent)
    # Not counted: a reply 31 days ago, an imported review, an unanswered review.
    _review_replied_after(store, lp, 500, replied_at=NOW - hours(24 * 31))
    _review_replied_after(
        store, lp, 900, replied_at=recent, source=ReviewSource.IMPORT, external_id="jm-1"
    )
    review(store, lp, 1, at=NOW - hours(100))

    # Waits 1..10 hours: median 5.5, 90th percentile 9.1 (linear interpolation).
    assert reply_times(store, now=NOW) == ReplyTimes(10, 5.5, 9.1)


def test_no_reply_yet_gives_no_figures(store, other_store):
    lp = product(other_store)
    _review_replied_after(other_store, lp, 3, replied_at=NOW - hours(1))

    assert reply_times(store, now=NOW) == ReplyTimes(0, None, None)
    assert reply_times(other_store, now=NOW) == ReplyTimes(1, 3.0, 3.0)
