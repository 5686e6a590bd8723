from decimal import Decimal

import pytest

from regulars.core.money import MoneyError, check_currency, parse_amount
from regulars.core.timeutil import TimeError, check_timezone, parse_aware
from regulars.env import SettingError, env_bool, env_int


def test_amounts_are_exact_decimals_rounded_to_the_currency():
    assert parse_amount("404.95", "USD") == Decimal("404.95")
    assert parse_amount("1,234.505", "USD") == Decimal("1234.50")  # banker's rounding
    assert parse_amount("1500", "JPY") == Decimal("1500")
    assert parse_amount("1.2345", "KWD") == Decimal("1.234")
    assert parse_amount(0.1, "USD") == Decimal("0.10")


@pytest.mark.parametrize("bad", ["", "12,x", "nan", "-5", "1e13", None])
def test_bad_amounts_are_refused_with_the_value_named(bad):
    with pytest.raises(MoneyError):
        parse_amount(bad, "USD")


def test_currencies_must_be_iso_4217():
    assert check_currency(" thb ") == "THB"
    with pytest.raises(MoneyError, match="'XYZ'"):
        check_currency("XYZ")


def test_times_become_aware_utc():
    assert parse_aware("2021-12-31T19:00:00-05:00").isoformat() == "2022-01-01T00:00:00+00:00"
    assert (
        parse_aware("2024-03-01 10:15:22", default_tz="Asia/Bangkok").isoformat()
        == "2024-03-01T03:15:22+00:00"
    )
    assert parse_aware("2024-03-01").isoformat() == "2024-03-01T00:00:00+00:00"
    with pytest.raises(TimeError):
        parse_aware("yesterday")
    with pytest.raises(TimeError):
        check_timezone("Mars/Olympus")


def test_environment_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(SettingError, match="X_FLAG"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(SettingError, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_FLAG", "on")
    assert env_bool("X_FLAG") is True
