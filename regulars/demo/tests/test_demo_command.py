"""`regulars demo`: builds once, keeps an existing store, and always prints a working login."""

import stat
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from regulars.commerce.models import Customer, Order
from regulars.core.models import Membership, Store
from regulars.demo.tests.fingerprint import fingerprint

ARGS = ["--customers", "300", "--today", "2025-06-15"]


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *ARGS, *args, stdout=out)
    return out.getvalue()


def _saved_password() -> str:
    text = (settings.VAR_DIR / "demo-login.txt").read_text()
    return next(
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("password:")
    )


def test_it_builds_the_store_and_prints_the_login_kept_in_a_private_file(db):
    output = _demo()

    store = Store.objects.get(slug="demo")
    login_file = settings.VAR_DIR / "demo-login.txt"
    user = get_user_model().objects.get(username="demo@regulars.example")
    assert (store.name, store.currency, store.timezone, store.default_language) == (
        "Regulars Demo Records",
        "USD",
        "America/New_York",
        "en",
    )
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    assert "http://127.0.0.1:8000/" in output
    assert "demo@regulars.example" in output
    assert f"Password  {_saved_password()}" in output
    assert authenticate(username="demo@regulars.example", password=_saved_password()) == user
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert Membership.objects.get(store=store, user=user).role == "owner"
    assert Customer.objects.filter(store=store).count() == 300


def test_if_missing_keeps_the_existing_store_and_prints_the_same_login(db):
    _demo()
    password, orders = _saved_password(), Order.objects.count()
    store_id = Store.objects.get(slug="demo").pk

    output = _demo("--if-missing", "--seed", "99")

    assert "exists already; nothing to build" in output
    assert f"Password  {password}" in output
    assert Store.objects.get(slug="demo").pk == store_id
    assert Order.objects.count() == orders
    assert _saved_password() == password


def test_if_missing_builds_the_store_when_there_is_none(db):
    output = _demo("--if-missing")

    assert "Built 'Regulars Demo Records'" in output
    assert Store.objects.filter(slug="demo").count() == 1


def test_it_refuses_to_overwrite_an_existing_store_without_replace(db):
    _demo()
    orders = Order.objects.count()

    with pytest.raises(CommandError, match="--replace") as error:
        _demo()

    assert error.value.returncode == 2
    assert Store.objects.filter(slug="demo").count() == 1
    assert Order.objects.count() == orders


def test_replace_rebuilds_the_store_with_the_same_content(db):
    _demo()
    before = Store.objects.get(slug="demo")
    content = fingerprint(before)

    _demo("--replace")

    after = Store.objects.get(slug="demo")
    assert after.pk != before.pk
    assert fingerprint(after) == content
    assert Store.objects.count() == 1
    assert Order.objects.count() == content["orders"][0]


def test_a_password_changed_after_the_first_build_is_kept_and_not_printed(db):
    _demo()
    user = get_user_model().objects.get(username="demo@regulars.example")
    user.set_password("my-own-choice-of-password")
    user.save()

    output = _demo("--if-missing")

    assert "changed since the first build" in output
    assert authenticate(username=user.username, password="my-own-choice-of-password") == user


def test_a_today_that_is_not_a_date_is_refused(db):
    with pytest.raises(CommandError, match="not a date") as error:
        call_command("demo", "--today", "15/06/2025", stdout=StringIO())

    assert error.value.returncode == 2
    assert not Store.objects.exists()
