"""A customer's page shows the customer's Insights scores and why: the RFM segment, the models'
predictions in the store's currency, time zone and settings, and the inputs they came from.
Where a model could not be fitted it says so, never "None" or "nan"."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from regulars.dashboard.tests.insights_data import (
    scored,
    store_whose_spend_model_cannot_be_fitted,
    store_with_report,
)
from regulars.dashboard.tests.shop import customer, order, url
from regulars.insights.models import InsightsSettings
from regulars.insights.services import do_refresh_insights
from regulars.insights.tests.history import NOW, paid_order

pytestmark = pytest.mark.django_db

SINGLE_ORDER = (
    "With a single order so far, P(alive) stays at 100&nbsp;% under the BG/NBD model until this"
    " customer buys again: the model lets customers drop out only after a repeat purchase."
)
NOT_SCORED = "Not scored yet: scores are computed when Insights refreshes."


def _card(html: str) -> str:
    found = re.search(r'<section class="card loyalty".*?</section>', html, flags=re.S)
    assert found, "no Loyalty card on the page"
    return found.group(0)


def _fact(card: str, term: str) -> str:
    """The text of the <dd> after <dt>term</dt>, tags removed."""
    found = re.search(rf"<dt>{re.escape(term)}</dt><dd>(.*?)</dd>", card, flags=re.S)
    assert found, f"no {term!r} in the card"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def _local_day(moment, store) -> str:
    local = moment.astimezone(ZoneInfo(store.timezone))
    return f"{local:%b} {local.day}, {local.year}"


def _utc_day(moment) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"


def _page(client, store, who) -> str:
    return _card(client.get(url("customer", store, who.pk)).content.decode())


def test_a_repeat_customer_sees_segment_predictions_and_why(client, store, owner, tmp_path):
    store_with_report(store, tmp_path)
    ana, score = scored(store, frequency__gte=2, expected_next_order_at__isnull=False)
    client.force_login(owner)

    card = _page(client, store, ana)

    assert f">{score.get_segment_display()}</span>" in card
    assert f"R {score.recency_score} · F {score.frequency_score} · M {score.monetary_score}" in card
    assert _fact(card, "P(alive)") == f"{100 * score.p_alive:.1f}%"
    assert _fact(card, "Orders in 90 days") == f"{score.expected_orders_90_days:.2f} expected"
    assert _fact(card, "Next order") == f"by {_local_day(score.expected_next_order_at, store)}"
    assert _fact(card, "Value, 12 months") == f"${score.predicted_clv:,.2f} predicted"
    churn = "Yes P(alive) below 30.0%" if score.churn_risk else "No P(alive) not below 30.0%"
    assert _fact(card, "Churn risk") == churn
    assert _fact(card, "Repeat orders").startswith(f"{score.frequency} frequency:")
    assert _fact(card, "Recency") == f"{score.recency_days:.0f} days first to last order"
    assert _fact(card, "Age") == f"{score.age_days:.0f} days first order to scoring"
    assert _fact(card, "Since last order") == f"{score.days_since_last_order:.0f} days"
    assert _fact(card, "Orders") == f"{score.orders} · ${score.total_spent:,.2f} spent"
    assert _fact(card, "Repeat spend") == (
        f"${score.average_repeat_spend:,.2f} average per repeat order"
    )
    assert f"Computed {_local_day(NOW, store)} 04:00" in card  # 09:00 UTC in New York
    assert SINGLE_ORDER not in card
    assert NOT_SCORED not in card


def test_the_next_order_date_is_the_day_in_the_stores_time_zone(client, store, owner, tmp_path):
    store_with_report(store, tmp_path)
    client.force_login(owner)
    # A customer whose expected order falls on another day in New York than in UTC.
    late = [
        s
        for s in store.customer_scores.exclude(expected_next_order_at=None).order_by("pk")
        if _local_day(s.expected_next_order_at, store) != _utc_day(s.expected_next_order_at)
    ]
    assert late, "no expected order early in a UTC day in the test history"
    score = late[0]

    card = _page(client, store, score.customer)

    assert _fact(card, "Next order") == f"by {_local_day(score.expected_next_order_at, store)}"


def test_a_one_time_buyer_is_told_why_p_alive_stays_at_100_percent(client, store, owner, tmp_path):
    store_with_report(store, tmp_path)
    once, score = scored(store, orders=1)
    client.force_login(owner)

    card = _page(client, store, once)

    assert score.frequency == 0 and score.p_alive == 1.0
    assert _fact(card, "P(alive)") == "100.0%"
    assert SINGLE_ORDER in card
    assert _fact(card, "Repeat spend") == "— no repeat order yet"


def test_an_order_expected_beyond_the_models_horizon_is_a_dash_with_the_reason(
    client, store, owner, tmp_path
):
    store_with_report(store, tmp_path)
    drifting, _ = scored(store, expected_next_order_at=None)
    client.force_login(owner)

    card = _page(client, store, drifting)

    assert _fact(card, "Next order") == (
        "— Fewer than one more order is expected within the longest customer history the"
        " model was fitted on."
    )


def test_a_customer_not_scored_yet_is_told_when_scores_come(client, store, owner):
    ana = customer(store, "c1", first_name="Ana")
    order(store, "1001", "c1")
    client.force_login(owner)

    html = client.get(url("customer", store, ana.pk)).content.decode()

    assert f'<p class="muted">{NOT_SCORED}</p>' in _card(html)
    assert "P(alive)" not in html


def test_without_a_fitted_model_the_figures_are_dashes_with_the_reason(client, store, owner):
    paid_order(store, "1", "only-once", NOW - timedelta(days=3))
    report = do_refresh_insights(store, now=NOW)
    once, score = scored(store)
    client.force_login(owner)

    card = _page(client, store, once)

    assert score.p_alive is None
    assert report.figures["clv"]["problem"].startswith("The model cannot be fitted")
    for term in ("P(alive)", "Orders in 90 days", "Next order", "Value, 12 months", "Churn risk"):
        assert _fact(card, term) == "—", term
    assert _fact(card, "Recency") == "—" and _fact(card, "Age") == "—"
    assert escape(report.figures["clv"]["problem"]) in card
    assert _fact(card, "Orders") == "1 · $40.00 spent"
    assert SINGLE_ORDER not in card  # P(alive) is unknown, not 100 %
    for bad in ("None", "nan", "NaN", "inf"):
        assert not re.search(rf"\b{bad}\b", card), bad


def test_without_a_fitted_spend_model_the_value_is_a_dash_with_the_reason(client, store, owner):
    report = store_whose_spend_model_cannot_be_fitted(store)
    someone, score = scored(store, frequency__gte=1)
    client.force_login(owner)

    card = _page(client, store, someone)

    problem = report.figures["clv"]["gamma_gamma_problem"]
    assert problem.startswith("The model cannot be fitted")
    assert score.p_alive is not None and score.predicted_clv is None
    assert _fact(card, "Value, 12 months") == f"— {escape(problem)}"
    assert _fact(card, "P(alive)") == f"{100 * score.p_alive:.1f}%"
    for bad in ("None", "nan", "NaN", "inf"):
        assert not re.search(rf"\b{bad}\b", card), bad


def test_the_stores_horizon_and_churn_threshold_are_shown(client, store, owner, tmp_path):
    InsightsSettings.objects.create(store=store, clv_horizon_months=6, churn_threshold=0.75)
    store_with_report(store, tmp_path)
    at_risk, score = scored(store, churn_risk=True)
    client.force_login(owner)

    card = _page(client, store, at_risk)

    assert score.p_alive < 0.75
    assert _fact(card, "Value, 6 months") == f"${score.predicted_clv:,.2f} predicted"
    assert _fact(card, "Churn risk") == "Yes P(alive) below 75.0%"
