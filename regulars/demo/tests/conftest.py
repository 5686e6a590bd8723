"""Demo builds for the tests: a seeded sample of 300 CDNOW customers, ending on a pinned day."""

from datetime import date

import pytest

from regulars.demo.services import do_build_demo

TODAY = date(2025, 6, 15)
SAMPLE = 300


@pytest.fixture(autouse=True)
def _demo_settings(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    # The demo login's password is hashed once per build; a fast hasher keeps the tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def build(db):
    def build(slug: str = "demo", *, seed: int = 7, customers: int | None = SAMPLE, today=TODAY):
        return do_build_demo(seed=seed, customers=customers, today=today, slug=slug)

    return build


@pytest.fixture
def demo(build):
    return build().store
