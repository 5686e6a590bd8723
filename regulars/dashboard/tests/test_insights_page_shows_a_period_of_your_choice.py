"""Beside the periods the refresh computed, a merchant picks any period (days in the store's
time zone, both included); its figures are computed on request from the store's orders."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from regulars.commerce.models import Order
from regulars.dashboard.tests.insights_data import kpi, store_with_report
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(store, tmp_path):
    return store_with_report(store, tmp_path)


def _expected(store, start: date, end: date) -> tuple[int, int]:
    """Orders placed in the period and those of them from customers who had ordered before,
    counted plainly from the database."""
    zone = ZoneInfo(store.timezone)
    lo = datetime.combine(start, time(), zone)
    hi = datetime.combine(end + timedelta(days=1), time(), zone)
    first = {}
    for customer, placed in Order.objects.filter(store=store).values_list(
        "customer_id", "placed_at"
    ):
        first[customer] = min(placed, first.get(customer, placed))
    inside = Order.objects.filter(store=store, placed_at__gte=lo, placed_at__lt=hi)
    returning = sum(1 for o in inside if o.placed_at > first[o.customer_id])
    return inside.count(), returning


def test_the_orders_of_the_chosen_days_are_counted(client, store, owner, report):
    client.force_login(owner)
    orders, returning = _expected(store, date(2025, 6, 1), date(2025, 8, 31))

    response = client.get(url("insights", store), {"start": "2025-06-01", "end": "2025-08-31"})

    html = response.content.decode()
    assert response.status_code == 200
    assert orders > returning > 0
    assert kpi(html, "Repurchase rate") == (
        f"{100 * returning / orders:.1f}%",
        f"{returning} of {orders} orders from returning customers",
    )
    assert 'aria-label="Key figures, Jun 1, 2025 – Aug 31, 2025"' in html
    assert "computed just now" in html


def test_the_survey_tiles_count_the_answers_of_the_chosen_days(client, store, owner, report):
    client.force_login(owner)

    html = client.get(
        url("insights", store), {"start": "2025-12-01", "end": "2025-12-31"}
    ).content.decode()

    # December's two NPS answers, 10 and 6: one promoter, one detractor; no CSAT answer.
    value, note = kpi(html, "NPS")
    assert (value, note.split(",")[0]) == ("0", "2 answers")
    assert kpi(html, "CSAT") == ("—", "no answers yet")


def test_a_period_ending_before_it_starts_is_refused_with_the_reason(client, store, owner, report):
    client.force_login(owner)

    html = client.get(
        url("insights", store), {"start": "2025-08-31", "end": "2025-06-01"}
    ).content.decode()

    assert "The period must end on or after its first day." in html
    assert 'aria-label="Key figures, Last 12 months"' in html


def test_a_date_that_cannot_be_read_is_refused(client, store, owner, report):
    client.force_login(owner)

    html = client.get(url("insights", store), {"start": "2025-02-30", "end": ""}).content.decode()

    assert html.count('<span class="field__error">') == 2
    assert 'aria-label="Key figures, Last 12 months"' in html


def test_the_fixed_periods_have_their_own_survey_figures(client, store, owner, report):
    client.force_login(owner)

    month = client.get(url("insights", store), {"period": "30d"}).content.decode()

    # NOW is 2026-03-02: the last 30 days hold NPS answers 8 (passive) and 3 (detractor), and
    # one CSAT answer, 2 (not satisfied).
    value, note = kpi(month, "NPS")
    assert (value, note.split(",")[0]) == ("-50", "2 answers")
    value, note = kpi(month, "CSAT")
    assert (value, note.split(",")[0]) == ("0%", "1 answer")
