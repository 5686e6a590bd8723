"""The marketing slot of a customer is spent once per cap window, by whoever asks first, and
given back when the message it was spent on is not sent."""

from datetime import UTC, datetime, timedelta

import pytest

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.messaging.budget import give_back, try_spend
from regulars.messaging.models import ContactBudget

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CAP = timedelta(hours=16)


@pytest.fixture
def customer(store):
    return upsert_customer(store, CustomerIn(email="ana@example.com"), source="api").obj


def test_the_first_ask_gets_the_slot_and_the_second_waits_for_the_window_to_pass(customer):
    first = try_spend(customer.pk, NOW, CAP)
    second = try_spend(customer.pk, NOW + timedelta(hours=1), CAP)

    assert (first.granted, first.previous) == (True, None)
    assert (second.granted, second.next_slot) == (False, NOW + CAP)
    assert ContactBudget.objects.get(customer=customer).last_marketing_at == NOW


def test_the_slot_opens_again_exactly_one_window_later(customer):
    try_spend(customer.pk, NOW, CAP)

    again = try_spend(customer.pk, NOW + CAP, CAP)

    assert (again.granted, again.previous) == (True, NOW)


def test_a_slot_given_back_can_be_spent_at_once(customer):
    try_spend(customer.pk, NOW - timedelta(days=2), CAP)
    spend = try_spend(customer.pk, NOW, CAP)

    give_back(customer.pk, spend, NOW)

    assert ContactBudget.objects.get(customer=customer).last_marketing_at == NOW - timedelta(days=2)
    assert try_spend(customer.pk, NOW + timedelta(minutes=1), CAP).granted


def test_giving_back_never_undoes_a_later_spend(customer):
    spend = try_spend(customer.pk, NOW, CAP)
    later = NOW + CAP + timedelta(hours=1)
    try_spend(customer.pk, later, CAP)

    give_back(customer.pk, spend, NOW)

    assert ContactBudget.objects.get(customer=customer).last_marketing_at == later
