"""A journey switched on in one store never enrolls, messages or attributes another's."""

from datetime import UTC, datetime

import time_machine

from regulars.commerce.models import Customer
from regulars.journeys.models import Conversion, Enrollment
from regulars.journeys.tests.journey_data import journey_on, ordered, subscriber
from regulars.journeys.tests.journey_steps import worker_round
from regulars.messaging.models import Message
from regulars.promotions.models import Coupon


def test_an_anniversary_in_one_store_stays_there(store, other_store, smtp_server):
    now = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    first_order = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)
    ours, theirs = subscriber(store, "ana"), subscriber(other_store, "ana")
    Customer.objects.filter(pk__in=[ours.pk, theirs.pk]).update(
        first_order_at=first_order, orders_count=1
    )
    journey_on(store, "first_order_anniversary", local_time="")

    with time_machine.travel(now, tick=False):
        worker_round(now)

    assert list(Enrollment.objects.values_list("store_id", "customer_id")) == [(store.pk, ours.pk)]
    assert list(Message.objects.values_list("store_id", flat=True)) == [store.pk]
    assert list(Coupon.objects.values_list("store_id", flat=True)) == [store.pk]
    # An order in the other store carrying the same e-mail earns our journey nothing.
    ordered(other_store, theirs, "9001", now)
    assert not Conversion.objects.exists()
    assert len(smtp_server.messages()) == 1


def test_an_order_in_a_store_without_the_journey_enrolls_no_one(
    store, other_store, smtp_server, django_capture_on_commit_callbacks
):
    journey_on(store, "order_confirmation")
    theirs, ours = subscriber(other_store, "bo"), subscriber(store, "bo")

    with django_capture_on_commit_callbacks(execute=True):  # the domain events' handlers run
        ordered(other_store, theirs, "7001", datetime.now(UTC))
        ordered(store, ours, "7001", datetime.now(UTC))
    worker_round()

    assert list(Enrollment.objects.values_list("store_id", "customer_id")) == [(store.pk, ours.pk)]
    assert [m["To"] for m in smtp_server.messages()] == ["bo@example.com"]
    assert list(Message.objects.values_list("store_id", flat=True)) == [store.pk]
