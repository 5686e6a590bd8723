"""The whole log, as `make run` builds it. Opt-in (about 15 s): REGULARS_DEMO_FULL=1 pytest -s.
The time is printed for the record, never asserted."""

import os

import pytest

from regulars.commerce.models import Customer, Order
from regulars.demo.tests.conftest import TODAY

pytestmark = pytest.mark.skipif(
    os.environ.get("REGULARS_DEMO_FULL") != "1", reason="full-size build; set REGULARS_DEMO_FULL=1"
)


def test_the_full_log_builds_every_customer_and_order(build):
    summary = build(customers=None, today=TODAY)

    print(f"\nfull demo build: {summary.seconds:.1f} s, {summary.counts}")
    assert Customer.objects.filter(store=summary.store).count() == 23_570
    assert Order.objects.filter(store=summary.store).count() == 67_591
