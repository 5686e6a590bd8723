"""With a store's figures computed, the Insights page shows the key figures of the chosen
period, a table beside every chart, and each chart's data for Plotly to draw."""

import json
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from regulars.commerce.models import Customer, Order
from regulars.dashboard.tests.insights_data import kpi, store_with_report
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db

CHARTS = ["cohort-chart", "segment-chart", "survey-chart", "clv-chart", "holdout-chart"]


@pytest.fixture
def report(store, tmp_path):
    return store_with_report(store, tmp_path)


def test_the_all_time_figures_agree_with_the_stores_orders(client, store, owner, report):
    client.force_login(owner)
    orders = Order.objects.filter(store=store).count()
    customers = Customer.objects.filter(store=store, orders_count__gt=0).count()
    repeat = Customer.objects.filter(store=store, orders_count__gte=2).count()

    response = client.get(url("insights", store), {"period": "all"})

    html = response.content.decode()
    assert response.status_code == 200
    assert (orders, customers) == (110, 40)
    # Every order after a customer's first comes from a returning customer.
    assert kpi(html, "Repurchase rate") == (
        f"{100 * (orders - customers) / orders:.1f}%",
        f"{orders - customers} of {orders} orders from returning customers",
    )
    assert kpi(html, "Repeat customer rate") == (
        f"{100 * repeat / customers:.1f}%",
        f"of {customers} customers",
    )
    assert kpi(html, "Purchase frequency") == (f"{orders / customers:.2f}", "orders per customer")
    assert 'aria-label="Key figures, All time"' in html


def test_the_survey_and_churn_tiles_show_the_answers_and_scores(client, store, owner, report):
    client.force_login(owner)

    html = client.get(url("insights", store)).content.decode()

    # NPS: promoters 10 and 9, detractors 6 and 3, one passive: 40 % - 40 % = 0.
    assert kpi(html, "NPS") == ("0", "5 answers, 95% -57 to 57")
    # CSAT: answers 5 and 4 of 5, 4 and 2: two of three satisfied.
    assert kpi(html, "CSAT") == ("67%", "3 answers, 95% 21 to 94")
    at_risk = store.customer_scores.filter(churn_risk=True).count()
    assert kpi(html, "At churn risk") == (str(at_risk), "P(alive) below 30.0%")
    assert at_risk == report.figures["churn"]["at_risk"] > 0


def test_the_chosen_period_is_shown_and_an_unknown_one_falls_back_to_12_months(
    client, store, owner, report
):
    client.force_login(owner)

    month = client.get(url("insights", store), {"period": "30d"}).content.decode()
    unknown = client.get(url("insights", store), {"period": "5y"}).content.decode()

    assert 'aria-label="Key figures, Last 30 days"' in month
    assert 'href="?period=30d" aria-current="true">Last 30 days</a>' in month
    assert 'aria-label="Key figures, Last 12 months"' in unknown


def test_every_chart_has_its_container_and_its_data(client, store, owner, report):
    client.force_login(owner)

    html = client.get(url("insights", store)).content.decode()

    assert re.findall(r'<div class="chart" data-figure="([^"]+)"', html) == CHARTS
    for name in CHARTS:
        found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html)
        assert found, name
        figure = json.loads(found.group(1))
        assert figure["data"] and figure["layout"], name
    assert '<script src="/static/vendor/plotly.min.js"></script>' in html
    assert '<script src="/static/dashboard/charts.js"></script>' in html


def test_the_cohort_table_counts_each_customer_in_their_first_order_month(
    client, store, owner, report
):
    client.force_login(owner)
    zone = ZoneInfo(store.timezone)
    first_months = Counter(
        f"{moment.astimezone(zone):%Y-%m}"
        for moment in Customer.objects.filter(store=store, orders_count__gt=0).values_list(
            "first_order_at", flat=True
        )
    )

    html = client.get(url("insights", store)).content.decode()

    assert '<th scope="col">first order month</th><th scope="col">customers</th>' in html
    rows = re.findall(r"<tr><td>(\d{4}-\d\d)</td><td>(\d+)</td>", html)
    # The months from the store's first order (January 2025 in New York) to NOW's (March 2026)
    # of customers retained, then the same months of revenue; none before the first order.
    assert min(first_months) == "2025-01"
    assert len(rows) == 2 * 15 and rows[:15] == rows[15:]
    assert (rows[0][0], rows[14][0]) == ("2025-01", "2026-03")
    assert {month: int(size) for month, size in rows[:15] if size != "0"} == first_months
