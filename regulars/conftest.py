"""Fixtures shared by every app's tests: three tenants, as in the base fixture of STYLE.md.

`owner` owns `store`; `member` is a viewer of `store`; `outsider` owns `other_store` and has
no role in `store`. A test proves isolation by acting as `outsider` on `store`'s data.
"""

import pytest
from django.contrib.auth import get_user_model

from regulars.core.roles import Role
from regulars.core.services import do_create_store, do_set_member

PASSWORD = "a-long-test-password-1"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """`migrate` queues the first tick of the nightly insights refresh; tests start from an
    empty task queue and queue what they test."""
    from django_tasks_db.models import DBTaskResult

    with django_db_blocker.unblock():
        DBTaskResult.objects.all().delete()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run in the test process; tests that need the database queue override this."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test creates users; Django's slow password hash would cost seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(email: str):
    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)


@pytest.fixture
def owner(db):
    return _user("owner@example.com")


@pytest.fixture
def member(db):
    return _user("member@example.com")


@pytest.fixture
def outsider(db):
    return _user("outsider@example.com")


@pytest.fixture
def store(owner, member):
    store = do_create_store(
        name="Vinyl Corner",
        currency="USD",
        timezone_name="America/New_York",
        language="en",
        owner=owner,
    )
    do_set_member(store, email=member.email, role=Role.VIEWER)
    return store


@pytest.fixture
def other_store(outsider):
    return do_create_store(
        name="Bangkok Beats",
        currency="THB",
        timezone_name="Asia/Bangkok",
        language="th",
        owner=outsider,
    )


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or db['NAME']}"
