"""An order's month is its month in the store's time zone, daylight saving time included."""

from datetime import date

from regulars.insights.cohorts import cohort_table, order_months
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy


def _months(frame, tz=None):
    numbers = order_months(frame, tz or frame.timezone)
    return [f"{n // 12}-{n % 12 + 1:02d}" for n in numbers.tolist()]


def test_an_order_at_23_30_utc_on_31_january_is_february_in_bangkok(other_store):
    buy(other_store, "ana", "2026-01-31 23:30")
    frame = load_orders(other_store)

    assert frame.timezone == "Asia/Bangkok"
    assert _months(frame) == ["2026-02"]
    assert cohort_table(frame).months == [date(2026, 2, 1)]
    assert cohort_table(frame, tz="UTC").months == [date(2026, 1, 1)]


def test_the_new_york_month_starts_at_4_utc_in_summer_and_5_in_winter(store):
    buy(store, "a", "2026-04-01 03:59")  # 23:59 EDT on 31 March
    buy(store, "b", "2026-04-01 04:00")  # midnight EDT
    buy(store, "c", "2026-12-01 04:30")  # 23:30 EST on 30 November
    buy(store, "d", "2026-12-01 05:00")  # midnight EST
    frame = load_orders(store)

    assert _months(frame) == ["2026-03", "2026-04", "2026-11", "2026-12"]


def test_a_cohort_of_the_store_time_zone(other_store):
    buy(other_store, "ana", "2026-01-31 23:30", "10.00")  # February in Bangkok
    buy(other_store, "ana", "2026-02-28 16:59", "20.00")  # 23:59 on 28 Feb in Bangkok
    buy(other_store, "ana", "2026-02-28 17:00", "40.00")  # midnight, 1 March in Bangkok
    frame = load_orders(other_store)

    table = cohort_table(frame, end_month=date(2026, 3, 1))

    assert table.as_dict()["rows"] == [
        {
            "month": "2026-02",
            "size": 1,
            "retained": [1, 1],
            "retention": [1.0, 1.0],
            "revenue": [30.0, 40.0],
        },
        {
            "month": "2026-03",
            "size": 0,
            "retained": [0, None],
            "retention": [None, None],
            "revenue": [0.0, None],
        },
    ]
    assert table.as_dict()["timezone"] == "Asia/Bangkok"
