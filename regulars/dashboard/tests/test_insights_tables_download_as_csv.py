"""Every table of the Insights page downloads as a CSV file named after the store and the table,
with the page's header and rows; the figures in them agree with the store's data."""

import csv
import io

import pytest

from regulars.commerce.models import Customer, Order
from regulars.dashboard.tests.insights_data import store_with_report
from regulars.dashboard.tests.shop import url
from regulars.insights.models import Segment
from regulars.insights.tables import all_tables

pytestmark = pytest.mark.django_db

TABLES = [
    "repurchase",
    "cohorts",
    "cohort-revenue",
    "segments",
    "nps",
    "csat",
    "nps-weekly",
    "csat-weekly",
    "clv",
    "holdout",
]


@pytest.fixture
def report(store, tmp_path):
    return store_with_report(store, tmp_path)


def _download(client, store, table: str):
    response = client.get(url("insights_csv", store, table))
    assert response.status_code == 200, table
    return response, list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _column(rows: list[list[str]], name: str) -> list[str]:
    at = rows[0].index(name)
    return [row[at] for row in rows[1:]]


def test_the_page_offers_every_table(client, store, owner, report):
    client.force_login(owner)

    by_month = client.get(url("insights", store)).content.decode()
    by_week = client.get(url("insights", store), {"surveys": "week"}).content.decode()

    assert list(all_tables(report.figures)) == TABLES
    weekly = {"nps-weekly", "csat-weekly"}
    for table in TABLES:
        link = f'<a href="{url("insights_csv", store, table)}" download>Download CSV</a>'
        # the survey tables follow the trend shown: by month, or by week
        assert (link in by_month) == (table not in weekly), table
        assert (link in by_week) == (table not in {"nps", "csat"}), table
    assert 'aria-label="NPS and CSAT trend by week"' in by_week


def test_each_table_downloads_with_its_name_header_and_rows(client, store, member, report):
    client.force_login(member)

    for table, shown in all_tables(report.figures).items():
        response, rows = _download(client, store, table)

        assert response["Content-Type"] == "text/csv; charset=utf-8", table
        assert response["Content-Disposition"] == (
            f'attachment; filename="vinyl-corner-{table}.csv"'
        ), table
        assert rows[0] == shown.header, table
        assert rows[1:] == [[str(cell) for cell in row] for row in shown.rows], table
        assert len(rows) > 1, table


def test_the_repurchase_table_counts_the_stores_orders_and_customers(client, store, owner, report):
    client.force_login(owner)

    _, rows = _download(client, store, "repurchase")

    assert _column(rows, "period") == ["Last 30 days", "Last 90 days", "Last 12 months", "All time"]
    all_time = dict(zip(rows[0], rows[4], strict=True))
    orders = Order.objects.filter(store=store).count()
    customers = Customer.objects.filter(store=store, orders_count__gt=0).count()
    assert (all_time["orders"], all_time["customers"]) == (str(orders), str(customers))
    assert all_time["returning orders"] == str(orders - customers)


def test_the_segments_table_has_every_segment_and_every_customer(client, store, owner, report):
    client.force_login(owner)

    _, rows = _download(client, store, "segments")

    assert _column(rows, "segment") == [label for _, label in Segment.choices]
    assert sum(int(n) for n in _column(rows, "customers")) == 40
    assert sum(int(n) for n in _column(rows, "customers")) == store.customer_scores.count()


def test_the_survey_and_value_tables_count_every_answer_and_customer(client, store, owner, report):
    client.force_login(owner)

    nps, csat, clv = (_download(client, store, t)[1] for t in ("nps", "csat", "clv"))

    # 12 months back from March 2026, month by month.
    assert len(nps) == len(csat) == 1 + 13
    assert sum(int(n) for n in _column(nps, "responses")) == 5
    assert sum(int(n) for n in _column(csat, "responses")) == 3
    assert sum(int(n) for n in _column(clv, "customers")) == 40


def test_the_weekly_survey_tables_hold_the_last_26_weeks(client, store, owner, report):
    client.force_login(owner)

    nps, csat = (_download(client, store, t)[1] for t in ("nps-weekly", "csat-weekly"))

    # NOW is Monday 2026-03-02: 26 weeks back is the week of 2025-09-08; every answer was
    # given since then (December to February).
    assert nps[0][0] == "week" and len(nps) == len(csat) == 1 + 26
    assert (nps[1][0], nps[-1][0]) == ("2025-09-08", "2026-03-02")
    assert sum(int(n) for n in _column(nps, "responses")) == 5
    assert sum(int(n) for n in _column(csat, "responses")) == 3


def test_an_unknown_table_is_not_found(client, store, owner, report):
    client.force_login(owner)

    assert client.get(url("insights_csv", store, "customers")).status_code == 404


def test_before_any_figures_a_table_downloads_as_its_header_alone(client, store, owner):
    client.force_login(owner)

    response, rows = _download(client, store, "segments")

    assert rows == [["segment", "customers", "revenue", "rule"]]
    assert response["Content-Disposition"] == 'attachment; filename="vinyl-corner-segments.csv"'
