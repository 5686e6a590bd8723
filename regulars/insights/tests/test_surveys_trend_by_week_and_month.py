"""NPS and CSAT per week or month: answers fall in the period of their day in the store's time
zone (America/New_York for `store`), every period of the range is listed, stores stay apart."""

from datetime import date

import pytest

from regulars.insights.surveys import score_summary, trend
from regulars.insights.tests.surveys_csv import answer, given_responses

pytestmark = pytest.mark.django_db


def test_a_sunday_evening_answer_counts_in_that_week_in_the_stores_zone(store, tmp_path):
    given_responses(
        tmp_path,
        store,
        "nps",
        [
            # Sunday 1 March, 22:00 in New York, but already Monday 2 March in UTC.
            answer("a@example.com", date="2026-03-02T03:00:00Z", score=10),
            # Monday 2 March, 09:00 in New York.
            answer("b@example.com", date="2026-03-02T14:00:00Z", score=0),
        ],
    )

    points = trend(store, "nps", period="week", start=date(2026, 2, 23), end=date(2026, 3, 8))

    assert [p.period_start for p in points] == [date(2026, 2, 23), date(2026, 3, 2)]
    assert [(p.summary.n, p.summary.value) for p in points] == [(1, 100.0), (1, -100.0)]


def test_weeks_are_cut_at_local_midnight_across_a_clock_change(store, tmp_path):
    # New York moves to summer time on Sunday 8 March 2026.
    given_responses(
        tmp_path,
        store,
        "nps",
        [
            answer("a@example.com", date="2026-03-09T03:30:00Z", score=9),  # Sun 23:30 EDT
            answer("b@example.com", date="2026-03-09T04:30:00Z", score=3),  # Mon 00:30 EDT
        ],
    )

    points = trend(store, "nps", period="week", start=date(2026, 3, 2), end=date(2026, 3, 15))

    assert [(p.period_start, p.summary.counts) for p in points] == [
        (date(2026, 3, 2), {"promoters": 1, "passives": 0, "detractors": 0}),
        (date(2026, 3, 9), {"promoters": 0, "passives": 0, "detractors": 1}),
    ]


def test_months_are_calendar_months_in_the_stores_zone(store, tmp_path):
    given_responses(
        tmp_path,
        store,
        "csat",
        [
            answer("a@example.com", date="2026-01-15", score=5),
            # 31 March, 22:00 in New York: March, though April in UTC.
            answer("b@example.com", date="2026-04-01T02:00:00Z", score=4),
            answer("c@example.com", date="2026-03-10", score=2),
            answer("d@example.com", date="2026-04-01T05:00:00Z", score=1),
        ],
    )

    points = trend(store, "csat", period="month", start=date(2026, 1, 20), end=date(2026, 4, 2))

    assert [(p.period_start, p.summary.n, p.summary.value) for p in points] == [
        (date(2026, 1, 1), 1, 100.0),
        (date(2026, 2, 1), 0, None),
        (date(2026, 3, 1), 2, 50.0),
        (date(2026, 4, 1), 1, 0.0),
    ]
    assert points[1].summary.interval is None


def test_the_range_is_widened_to_whole_periods(store, tmp_path):
    given_responses(
        tmp_path,
        store,
        "nps",
        [
            answer("a@example.com", date="2026-03-02", score=10),  # Monday
            answer("b@example.com", date="2026-03-08", score=8),  # Sunday
            answer("c@example.com", date="2026-03-09", score=1),  # next Monday
        ],
    )

    # From a Wednesday to a Thursday: the whole week of each.
    points = trend(store, "nps", period="week", start=date(2026, 3, 4), end=date(2026, 3, 5))

    assert [(p.period_start, p.summary.n) for p in points] == [(date(2026, 3, 2), 2)]


def test_a_trend_counts_only_its_own_store_and_kind(store, other_store, tmp_path):
    given_responses(tmp_path, store, "nps", [answer("a@example.com", score=10)], name="a.csv")
    given_responses(tmp_path, store, "csat", [answer("a@example.com", score=1)], name="b.csv")
    given_responses(tmp_path, other_store, "nps", [answer("z@example.com", score=0)], name="c.csv")

    points = trend(store, "nps", period="month", start=date(2026, 3, 1), end=date(2026, 3, 31))

    assert [(p.period_start, p.summary.counts) for p in points] == [
        (date(2026, 3, 1), {"promoters": 1, "passives": 0, "detractors": 0})
    ]


def test_a_store_without_answers_has_a_point_per_period_and_no_score(store):
    points = trend(store, "nps", period="week", start=date(2026, 3, 1), end=date(2026, 3, 20))

    assert [p.period_start for p in points] == [
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert {(p.summary.n, p.summary.value, p.summary.interval) for p in points} == {(0, None, None)}


def test_the_summary_of_a_range_counts_both_end_days_in_the_stores_zone(store, tmp_path):
    given_responses(
        tmp_path,
        store,
        "nps",
        [
            answer("a@example.com", date="2026-03-01T04:59:00Z", score=0),  # 28 Feb, 23:59
            answer("b@example.com", date="2026-03-01T05:00:00Z", score=10),  # 1 March, 00:00
            answer("c@example.com", date="2026-03-31T23:59:00", score=9),  # local time
            answer("d@example.com", date="2026-04-01", score=2),
        ],
    )

    summary = score_summary(store, "nps", start=date(2026, 3, 1), end=date(2026, 3, 31))

    assert (summary.n, summary.value) == (2, 100.0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"period": "day"}, "'day' is not a period; use one of week, month"),
        ({"kind": "ces"}, "'ces' is not a survey kind; use one of nps, csat"),
        ({"end": date(2026, 2, 1)}, r"the end \(2026-02-01\) is before the start \(2026-03-01\)"),
    ],
)
def test_it_refuses_a_wrong_period_kind_or_range(store, arguments, message):
    given = {"kind": "nps", "period": "week", "start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    given.update(arguments)
    kind = given.pop("kind")

    with pytest.raises(ValueError, match=message):
        trend(store, kind, **given)
