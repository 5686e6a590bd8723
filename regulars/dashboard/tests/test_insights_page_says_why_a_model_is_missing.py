"""A store too young for the models gets its figures with the reason in place of the model's
results: never "None", "nan" or an empty chart."""

import re
from datetime import timedelta

import pytest
from django.utils.html import escape

from regulars.dashboard.tests.shop import url
from regulars.insights.services import do_refresh_insights
from regulars.insights.tests.history import NOW, paid_order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("period", ["30d", "12m", "all"])
def test_a_store_with_one_order_is_told_why_there_are_no_predictions(client, store, owner, period):
    paid_order(store, "1", "only-once", NOW - timedelta(days=3))
    figures = do_refresh_insights(store, now=NOW).figures
    client.force_login(owner)

    html = client.get(url("insights", store), {"period": period}).content.decode()

    problem = figures["clv"]["problem"]
    assert problem == (
        "The model cannot be fitted to this store's orders yet: BG/NBD needs at least 10 repeat"
        " customers (customers with more than one purchase day); these data have 0."
    )
    assert f'<div class="callout callout--warn"><p>{escape(problem)}</p></div>' in html
    assert "The holdout check needs 120 days of orders; this store has 3." in html
    assert re.findall(r'data-figure="([^"]+)"', html) == ["cohort-chart", "segment-chart"]
    assert '<span class="kpi__label">At churn risk</span><span class="kpi__value">—</span>' in html
    text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    for shown in ("None", "nan", "NaN", "inf"):
        assert not re.search(rf"\b{shown}\b", text), shown
