"""Each inbox item says how long it has waited for an answer; past the store's
reply_within_hours it is overdue (highlighted), and the counts say how many wait and how many
are late. An answered item no longer waits."""

import time_machine

from regulars.feedback.models import FeedbackSettings
from regulars.feedback.services.inbox import (
    InboxFilters,
    inbox_items,
    inbox_rows,
    reply_within_hours,
    unanswered_counts,
    waiting_hours,
)
from regulars.feedback.tests.inbox_data import T0, answer, customer, hours, product, review

NOW = T0 + hours(30.5)


def _items(store, within: int):
    rows = list(inbox_rows(store, InboxFilters(state="all")))
    return {item.key: item for item in inbox_items(store, rows, now=NOW, within_hours=within)}


@time_machine.travel(NOW, tick=False)
def test_waiting_hours_and_overdue_past_the_stores_limit(store):
    ana = customer(store)
    old = review(store, product(store), 2, customer=ana, at=T0)  # 30.5 hours ago
    recent = answer(store, ana, 3, "Where is my parcel?", at=NOW - hours(5.9))
    done = answer(store, ana, 1, "Broken", at=T0, reply="Sorry", replied_at=T0 + hours(2))

    assert reply_within_hours(store) == 24  # the default, no settings saved
    items = _items(store, 24)

    assert (items[f"review-{old.pk}"].waiting_hours, items[f"review-{old.pk}"].overdue) == (
        30,
        True,
    )
    assert (items[f"survey-{recent.pk}"].waiting_hours, items[f"survey-{recent.pk}"].overdue) == (
        5,
        False,
    )
    assert (items[f"survey-{done.pk}"].waiting_hours, items[f"survey-{done.pk}"].overdue) == (
        None,
        False,
    )
    assert unanswered_counts(store, now=NOW, within_hours=24) == {"waiting": 2, "overdue": 1}


@time_machine.travel(NOW, tick=False)
def test_a_longer_limit_of_the_store_makes_nothing_overdue(store):
    FeedbackSettings.objects.create(store=store, reply_within_hours=48)
    review(store, product(store), 1, at=T0)

    within = reply_within_hours(store)
    [item] = _items(store, within).values()

    assert within == 48
    assert (item.waiting_hours, item.overdue) == (30, False)
    assert unanswered_counts(store, now=NOW, within_hours=within) == {"waiting": 1, "overdue": 0}


def test_waiting_hours_are_whole_hours_and_never_negative():
    assert waiting_hours(T0, T0 + hours(1.99)) == 1
    assert waiting_hours(T0, T0 + hours(24)) == 24
    assert waiting_hours(T0 + hours(1), T0) == 0
