"""What a message template gets for a coupon: plain text, the last day in the customer's zone."""

from datetime import UTC, datetime

import time_machine

from regulars.promotions.services import coupon_variables, do_issue_coupon

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_a_percentage_with_a_minimum_spend(store, customer):
    coupon = do_issue_coupon(
        store, customer, kind="percent", value="15", minimum_spend="50", valid_days=14
    )

    assert coupon_variables(coupon) == {
        "code": coupon.code,
        "description": "15% off an order of 50.00 USD or more",
        "expires_at": "2026-03-15",  # the customer's zone (Bangkok): already 1 March 22:00
        "kind": "percent",
        "value": "15%",
        "minimum_spend": "50.00 USD",
    }


@time_machine.travel(NOW, tick=False)
def test_a_fixed_amount_without_expiry_or_minimum(store, customer):
    coupon = do_issue_coupon(store, customer, kind="fixed_amount", value="1250")

    variables = coupon_variables(coupon)

    assert variables["description"] == "1,250.00 USD off your next order"
    assert (variables["value"], variables["minimum_spend"], variables["expires_at"]) == (
        "1,250.00 USD",
        "",
        "",
    )


@time_machine.travel(NOW, tick=False)
def test_the_stores_zone_is_used_when_the_customers_is_unknown(store, customer):
    customer.timezone = ""
    customer.save()
    # Midnight UTC of 10 March is still 9 March in New York, the store's zone.
    coupon = do_issue_coupon(
        store, customer, kind="percent", value="12.5", expires_at=datetime(2026, 3, 10, tzinfo=UTC)
    )

    variables = coupon_variables(coupon)

    assert variables["expires_at"] == "2026-03-09"
    assert variables["description"] == "12.5% off your next order"


@time_machine.travel(NOW, tick=False)
def test_a_coupon_ending_at_midnight_shows_the_day_before_as_its_last(store, customer):
    coupon = do_issue_coupon(
        store,
        customer,
        kind="percent",
        value="10",
        expires_at=datetime(2026, 3, 20, 17, 0, tzinfo=UTC),  # 00:00 on 21 March in Bangkok
    )

    assert coupon_variables(coupon)["expires_at"] == "2026-03-20"


def test_amounts_are_shown_in_the_stores_own_currency(other_store, other_customer):
    coupon = do_issue_coupon(
        other_store, other_customer, kind="fixed_amount", value="100", minimum_spend="1000"
    )

    assert coupon_variables(coupon)["description"] == (
        "100.00 THB off an order of 1,000.00 THB or more"
    )
