"""A store without purchases has an empty cohort table, or one of zeros for given months."""

from datetime import date

from regulars.insights.cohorts import cohort_table
from regulars.insights.orders_data import load_orders


def test_no_orders_and_no_months_given_make_an_empty_table(store):
    table = cohort_table(load_orders(store))

    assert table.months == []
    assert table.sizes.tolist() == []
    assert table.as_dict() == {
        "offsets": [],
        "rows": [],
        "currency": "USD",
        "timezone": "America/New_York",
    }


def test_no_orders_in_the_months_given_make_a_table_of_zeros(store):
    table = cohort_table(
        load_orders(store), start_month=date(2026, 1, 1), end_month=date(2026, 2, 1)
    )

    assert [row["retained"] for row in table.as_dict()["rows"]] == [[0, 0], [0, None]]
    assert [row["retention"] for row in table.as_dict()["rows"]] == [[None, None], [None, None]]
