"""Issuing a coupon: an unguessable upper-case code, every argument checked with the field
named, and the same idempotency key giving back the first coupon."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from regulars.core.errors import RegularsError
from regulars.promotions.models import Coupon, CouponStatus
from regulars.promotions.services import do_issue_coupon
from regulars.promotions.services.coupons import ALPHABET

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 22:00 in Bangkok, the customer's zone


def _refused(store, customer, **arguments) -> RegularsError:
    arguments = {"kind": "percent", "value": "15", **arguments}
    with pytest.raises(RegularsError) as caught:
        do_issue_coupon(store, customer, **arguments)
    assert Coupon.objects.count() == 0
    return caught.value


@time_machine.travel(NOW, tick=False)
def test_a_coupon_gets_a_prefixed_code_from_the_unambiguous_alphabet(store, customer):
    coupon = do_issue_coupon(
        store,
        customer,
        kind="percent",
        value=Decimal("15"),
        minimum_spend="50",
        valid_days=14,
        prefix="year",
        source="journey:anniversary",
    )

    assert re.fullmatch(rf"YEAR(-[{ALPHABET}]{{4}}){{3}}", coupon.code)
    coupon.refresh_from_db()
    assert (coupon.kind, coupon.value, coupon.currency) == ("percent", Decimal("15"), "USD")
    assert coupon.minimum_spend == Decimal("50")
    assert coupon.status == CouponStatus.ISSUED
    assert coupon.issued_at == NOW
    assert coupon.source == "journey:anniversary"
    # 14 days from 1 March in Bangkok: usable through 15 March there, until its midnight.
    assert coupon.expires_at == datetime(2026, 3, 15, 17, 0, tzinfo=UTC)


def test_codes_differ_and_have_no_prefix_unless_asked(store, customer):
    codes = {do_issue_coupon(store, customer, kind="percent", value=10).code for _ in range(20)}

    assert len(codes) == 20
    assert all(re.fullmatch(rf"[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{2}}", c) for c in codes)


def test_a_fixed_amount_is_in_the_stores_currency(store, customer):
    coupon = do_issue_coupon(store, customer, kind="fixed_amount", value="10.5", currency="USD")

    coupon.refresh_from_db()
    assert (coupon.value, coupon.currency) == (Decimal("10.50"), "USD")


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"kind": "bogo"}, "kind", "not a coupon kind"),
        ({"value": 0}, "value", "more than 0"),
        ({"value": "-5"}, "value", "more than 0"),
        ({"value": "abc"}, "value", "not a number"),
        ({"value": None}, "value", "give a number"),
        ({"value": True}, "value", "give a number"),
        ({"value": "NaN"}, "value", "not a finite number"),
        ({"value": "100.01"}, "value", "100 at most"),
        ({"value": "12.345"}, "value", "more decimals"),
        ({"kind": "fixed_amount", "value": "10.001"}, "value", "more decimals than USD"),
        ({"kind": "fixed_amount", "value": "10", "currency": "EUR"}, "currency", "in USD"),
        ({"minimum_spend": "-1"}, "minimum_spend", "negative"),
        ({"minimum_spend": "ten"}, "minimum_spend", "not a number"),
        ({"valid_days": 0}, "valid_days", "from 1 to 3650"),
        ({"valid_days": "7"}, "valid_days", "whole number"),
        (
            {"valid_days": 7, "expires_at": datetime(2030, 1, 1, tzinfo=UTC)},
            "valid_days",
            "not both",
        ),
        ({"expires_at": datetime(2020, 1, 1, tzinfo=UTC)}, "expires_at", "in the future"),
        ({"expires_at": datetime(2030, 1, 1)}, "expires_at", "offset"),
        ({"expires_at": "2030-01-01"}, "expires_at", "date and time"),
        ({"prefix": "WELCOME-10"}, "prefix", "letters A-Z and digits"),
        ({"prefix": "ABCDEFGHIJKLM"}, "prefix", "up to 12"),
        ({"source": "x" * 61}, "source", "60 characters"),
        ({"idempotency_key": "k" * 201}, "idempotency_key", "200 characters"),
    ],
)
def test_each_bad_argument_is_refused_naming_its_field(store, customer, arguments, field, words):
    error = _refused(store, customer, **arguments)

    assert error.field == field
    assert words in error.message


def test_a_customer_of_another_store_is_refused(store, other_customer):
    error = _refused(store, other_customer)

    assert error.field == "customer"


def test_a_minimum_spend_of_zero_means_none(store, customer):
    coupon = do_issue_coupon(store, customer, kind="percent", value=5, minimum_spend="0")

    assert coupon.minimum_spend is None


def test_the_same_idempotency_key_gives_the_first_coupon(store, customer):
    first = do_issue_coupon(
        store, customer, kind="percent", value=15, idempotency_key="journey:7:2"
    )

    again = do_issue_coupon(
        store, customer, kind="fixed_amount", value=99, idempotency_key="journey:7:2"
    )

    assert again.pk == first.pk
    assert again.code == first.code
    assert Coupon.objects.filter(store=store).count() == 1


def test_another_store_may_use_the_same_idempotency_key(
    store, customer, other_store, other_customer
):
    ours = do_issue_coupon(store, customer, kind="percent", value=15, idempotency_key="k1")

    theirs = do_issue_coupon(
        other_store, other_customer, kind="percent", value=15, idempotency_key="k1"
    )

    assert theirs.pk != ours.pk
    assert theirs.store == other_store


def test_a_coupon_past_its_expiry_reads_as_expired(store, customer):
    with time_machine.travel(NOW, tick=False):
        coupon = do_issue_coupon(store, customer, kind="percent", value=15, valid_days=1)

    with time_machine.travel(coupon.expires_at - timedelta(seconds=1), tick=False):
        assert coupon.state == CouponStatus.ISSUED
        assert list(Coupon.objects.with_status("issued")) == [coupon]
    with time_machine.travel(coupon.expires_at, tick=False):
        assert coupon.state == CouponStatus.EXPIRED
        assert list(Coupon.objects.with_status("expired")) == [coupon]
        assert list(Coupon.objects.with_status("issued")) == []
