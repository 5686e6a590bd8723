"""The cohort table of a small store, counted by hand.

Orders at noon UTC (the same month in the store's New York time):
  fay:  Dec 10 2025, Jan 10          (a December cohort)
  ana:  Jan 5, Feb 10, Feb 20, Apr 3
  ben:  Jan 20, Mar 15
  cleo: Feb 2
  dan:  Feb 14, Feb 28, Mar 1
  eve:  Mar 3, Apr 30
  gus:  Apr 10

                customers retained         revenue
  cohort size   m0  m1  m2  m3             m0  m1  m2  m3
  Jan    2      2   1   1   1              15  50  15  40
  Feb    2      2   1   0   -              33  14   0   -
  Mar    1      1   1   -   -              50  60   -   -
  Apr    1      1   -   -   -               7   -   -   -
"""

from datetime import date

import numpy as np
import pytest

from regulars.insights.cohorts import cohort_table
from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy

JAN, MAR, APR = date(2026, 1, 1), date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
def frame(store):
    for customer, day, total in [
        ("fay", "2025-12-10", "100.00"),
        ("fay", "2026-01-10", "100.00"),
        ("ana", "2026-01-05", "10.00"),
        ("ana", "2026-02-10", "20.00"),
        ("ana", "2026-02-20", "30.00"),
        ("ana", "2026-04-03", "40.00"),
        ("ben", "2026-01-20", "5.00"),
        ("ben", "2026-03-15", "15.00"),
        ("cleo", "2026-02-02", "8.00"),
        ("dan", "2026-02-14", "12.00"),
        ("dan", "2026-02-28", "13.00"),
        ("dan", "2026-03-01", "14.00"),
        ("eve", "2026-03-03", "50.00"),
        ("eve", "2026-04-30", "60.00"),
        ("gus", "2026-04-10", "7.00"),
    ]:
        buy(store, customer, f"{day} 12:00", total)
    return load_orders(store)


def test_cohort_sizes_retained_customers_and_revenue(frame):
    table = cohort_table(frame, start_month=JAN, end_month=APR)

    assert table.months == [date(2026, 1, 1), date(2026, 2, 1), MAR, APR]
    assert table.offsets == [0, 1, 2, 3]
    assert table.sizes.tolist() == [2, 2, 1, 1]
    assert table.as_dict()["rows"] == [
        {
            "month": "2026-01",
            "size": 2,
            "retained": [2, 1, 1, 1],
            "retention": [1.0, 0.5, 0.5, 0.5],
            "revenue": [15.0, 50.0, 15.0, 40.0],
        },
        {
            "month": "2026-02",
            "size": 2,
            "retained": [2, 1, 0, None],
            "retention": [1.0, 0.5, 0.0, None],
            "revenue": [33.0, 14.0, 0.0, None],
        },
        {
            "month": "2026-03",
            "size": 1,
            "retained": [1, 1, None, None],
            "retention": [1.0, 1.0, None, None],
            "revenue": [50.0, 60.0, None, None],
        },
        {
            "month": "2026-04",
            "size": 1,
            "retained": [1, None, None, None],
            "retention": [1.0, None, None, None],
            "revenue": [7.0, None, None, None],
        },
    ]


def test_cells_after_the_last_month_are_not_observed(frame):
    table = cohort_table(frame, start_month=JAN, end_month=APR)

    assert table.observed.tolist() == [
        [True, True, True, True],
        [True, True, True, False],
        [True, True, False, False],
        [True, False, False, False],
    ]
    # Not observed is not zero in the arrays' figures either: they hold 0 there, masked.
    assert table.customers[~table.observed].tolist() == [0] * 6


def test_the_table_ends_at_end_month_and_drops_later_orders(frame):
    table = cohort_table(frame, start_month=JAN, end_month=MAR)

    assert [row["retained"] for row in table.as_dict()["rows"]] == [
        [2, 1, 1],
        [2, 1, None],
        [1, None, None],
    ]
    assert table.revenue[0].tolist() == [15.0, 50.0, 15.0]  # ana's April 40 is after the end


def test_customers_whose_first_order_is_before_start_month_are_in_no_cohort(frame):
    table = cohort_table(frame, start_month=JAN, end_month=APR)

    # fay's January order (100.00) is a repeat of her December cohort.
    assert table.sizes.sum() == 6
    assert table.revenue.sum() == 484.0 - 200.0  # all orders, less fay's two


def test_by_default_every_month_from_the_first_order_to_the_last(frame):
    table = cohort_table(frame)

    assert table.months[0] == date(2025, 12, 1)
    assert table.months[-1] == APR
    assert table.as_dict()["rows"][0]["retained"] == [1, 1, 0, 0, 0]
    assert table.sizes.tolist() == [1, 2, 2, 1, 1]
    assert np.array_equal(table.customers[1:, :4], cohort_table(frame, start_month=JAN).customers)


def test_an_end_month_before_the_start_month_is_refused(frame):
    with pytest.raises(ValueError, match="end_month 2026-01 is before start_month 2026-03"):
        cohort_table(frame, start_month=MAR, end_month=JAN)


def test_the_days_of_the_months_given_do_not_matter(frame):
    table = cohort_table(frame, start_month=date(2026, 1, 31), end_month=date(2026, 4, 15))

    assert table.months == [date(2026, 1, 1), date(2026, 2, 1), MAR, APR]
