"""Dashboard test fixtures on top of regulars/conftest.py: an admin and an agent of `store`."""

import pytest
from django.contrib.auth import get_user_model

from regulars.conftest import PASSWORD
from regulars.core.roles import Role
from regulars.core.services import do_set_member


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-in tests hash many passwords; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _staff(store, email: str, role: str):
    get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return do_set_member(store, email=email, role=role).user


@pytest.fixture
def admin(store):
    return _staff(store, "admin@example.com", Role.ADMIN)


@pytest.fixture
def agent(store):
    return _staff(store, "agent@example.com", Role.AGENT)
