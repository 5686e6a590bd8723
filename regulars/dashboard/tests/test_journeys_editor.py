"""The journey editor: the form built from the journey's settings saves through journeys'
services (the steps follow), and a bad value is shown beside its field with nothing saved."""

import re

import pytest

from regulars.dashboard.tests.journeys_data import register_journey_templates
from regulars.dashboard.tests.shop import url
from regulars.journeys.models import Journey
from regulars.journeys.services import ensure_journeys

pytestmark = pytest.mark.django_db

WINBACK = {
    "channel": "email",
    "when": "churn_risk",
    "threshold": "",
    "lapsed_days": "90",
    "max_days_since_last_order": "365",
    "local_time": "10:00",
    "coupon_kind": "percent",
    "coupon_value": "20",
    "coupon_minimum_spend": "",
    "coupon_valid_days": "30",
    "allow_reentry": "on",
}


@pytest.fixture(autouse=True)
def owner_client(client, owner, store):
    register_journey_templates()
    ensure_journeys(store)
    client.force_login(owner)
    return client


def _journey(store, key: str = "winback") -> Journey:
    return Journey.objects.get(store=store, key=key)


def _errors(response) -> dict[str, str]:
    """Field name -> its error, as the page shows them."""
    html = response.content.decode()
    found = {}
    for block in re.findall(r'<label class="field field--error">(.*?)</label>', html, re.S):
        name = re.search(r'name="([^"]+)"', block).group(1)
        found[name] = re.search(r'<span class="field__error">([^<]*)</span>', block).group(1)
    return found


def test_saving_changes_the_settings_and_rebuilds_the_steps(owner_client, store):
    response = owner_client.post(
        url("journey", store, "winback"),
        WINBACK
        | {
            "when": "days",
            "lapsed_days": "120",
            "local_time": "",
            "coupon_kind": "fixed_amount",
            "coupon_value": "10",
            "coupon_minimum_spend": "50",
            "threshold": "0.3",
            "cond_0_field": "customer.orders_count",
            "cond_0_op": "gte",
            "cond_0_value": "2",
            "cond_1_field": "score.segment",
            "cond_1_op": "in",
            "cond_1_value": "at_risk, cannot_lose",
            "allow_reentry": "",
        },
    )

    assert response.status_code == 302
    journey = _journey(store)
    assert {k: journey.settings[k] for k in ("when", "lapsed_days", "local_time", "threshold")} == {
        "when": "days",
        "lapsed_days": 120,
        "local_time": "",
        "threshold": 0.3,
    }
    assert journey.settings["coupon"] == {
        "kind": "fixed_amount",
        "value": "10",
        "minimum_spend": "50",
        "valid_days": 30,
    }
    assert journey.settings["conditions"] == [
        {"field": "customer.orders_count", "op": "gte", "value": 2},
        {"field": "score.segment", "op": "in", "value": ["at_risk", "cannot_lose"]},
    ]
    assert journey.allow_reentry is False
    assert journey.steps[0] == {"type": "wait", "minutes": 0}
    assert journey.steps[1]["type"] == "condition"  # consent, before the coupon
    assert journey.steps[2]["kind"] == "fixed_amount"


def test_no_coupon_takes_the_coupon_step_out(owner_client, store):
    owner_client.post(url("journey", store, "winback"), WINBACK | {"coupon_kind": ""})

    journey = _journey(store)
    assert journey.settings["coupon"] is None
    assert [step["type"] for step in journey.steps] == ["wait", "send"]


def test_the_saved_settings_show_again_in_the_form(owner_client, store):
    owner_client.post(
        url("journey", store, "winback"),
        WINBACK | {"cond_0_field": "score.churn_risk", "cond_0_op": "eq", "cond_0_value": "yes"},
    )

    html = owner_client.get(url("journey", store, "winback")).content.decode()

    assert '<option value="score.churn_risk" selected>' in html
    assert 'name="cond_0_value" value="true"' in html
    # One row more than before: the journey's condition and two empty ones.
    assert 'name="cond_2_field"' in html and 'name="cond_3_field"' not in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lapsed_days": "0"}, "lapsed_days", "lapsed_days: must be between 1 and 3650."),
        ({"local_time": "25:61"}, "local_time", "local_time: a time of day such as 10:00"),
        ({"coupon_value": "150"}, "coupon_value", "coupon.value: must be between 0.01 and 100."),
        ({"coupon_value": ""}, "coupon_value", "Give the coupon&#x27;s value"),
        ({"threshold": "1.5"}, "threshold", "threshold: must be between 0.01 and 0.99."),
        ({"max_days_since_last_order": "x"}, "max_days_since_last_order", "Enter a number."),
        (
            {"cond_0_field": "customer.orders_count", "cond_0_value": "many"},
            "cond_0_value",
            "conditions[0].value: &#x27;many&#x27; is not a number.",
        ),
        (
            {"cond_1_field": "score.churn_risk", "cond_1_value": "maybe"},
            "cond_1_value",
            "conditions[0].value: true or false is expected.",
        ),
    ],
)
def test_a_bad_value_is_shown_at_its_field_and_nothing_is_saved(
    owner_client, store, changes, field, message
):
    before = _journey(store)

    response = owner_client.post(url("journey", store, "winback"), WINBACK | changes)

    assert response.status_code == 400
    errors = _errors(response)
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    after = _journey(store)
    assert (after.settings, after.steps) == (before.settings, before.steps)


def test_each_journey_offers_its_own_choices(owner_client, store):
    cart = owner_client.get(url("journey", store, "abandoned_cart")).content.decode()
    champions = owner_client.get(url("journey", store, "champions_surprise")).content.decode()

    assert 'name="second_reminder"' in cart and 'name="abandoned_minutes"' in cart
    assert (
        re.findall(r'<select name="channel"[^>]*>(.*?)</select>', cart, re.S)[0].count("<option")
        == 2
    )
    assert '<option value="champions" selected>Champions</option>' in champions
    assert 'name="when"' not in champions
