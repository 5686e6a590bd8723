"""Win-back timed by the customer's own P(alive), and the first-order thank-you once."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine

from regulars.commerce.models import Customer
from regulars.insights.models import CustomerScore
from regulars.journeys.models import Enrollment
from regulars.journeys.tests.journey_data import journey_on, ordered, subscriber
from regulars.journeys.tests.journey_steps import html_of, worker_round
from regulars.promotions.models import Coupon

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def _score(customer, p_alive: float) -> None:
    CustomerScore.objects.create(
        customer=customer,
        store=customer.store,
        frequency=2,
        recency_days=100,
        age_days=300,
        days_since_last_order=200,
        orders=3,
        total_spent=Decimal("90"),
        average_repeat_spend=Decimal("30"),
        recency_score=2,
        frequency_score=3,
        monetary_score=3,
        segment="at_risk",
        p_alive=p_alive,
        computed_at=NOW,
    )


def test_win_back_goes_to_the_drifting_customer_only(store, smtp_server):
    drifting, loyal = subscriber(store, "ana"), subscriber(store, "bo")
    last = NOW - timedelta(days=200)
    Customer.objects.filter(pk__in=[drifting.pk, loyal.pk]).update(
        last_order_at=last, orders_count=3
    )
    _score(drifting, 0.12)
    _score(loyal, 0.85)
    journey_on(store, "winback", local_time="", threshold=0.3)

    with time_machine.travel(NOW, tick=False):
        worker_round(NOW)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        worker_round()  # evaluated again: no second win-back for the same lapse

    mails = smtp_server.messages()
    assert [m["To"] for m in mails] == ["ana@example.com"]
    coupon = Coupon.objects.get(customer=drifting)
    assert coupon.code in html_of(mails[0])
    assert Enrollment.objects.filter(journey__key="winback").count() == 1


def test_first_order_thanks_only_for_the_first_order(
    store, smtp_server, django_capture_on_commit_callbacks
):
    customer = subscriber(store, "cy")
    journey_on(store, "first_order_thanks")

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        ordered(store, customer, "8001", NOW)
    with (
        time_machine.travel(NOW + timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ordered(store, customer, "8002", NOW + timedelta(days=1))
    with time_machine.travel(NOW + timedelta(days=1, hours=4), tick=False):
        worker_round()

    assert [m["To"] for m in smtp_server.messages()] == ["cy@example.com"]
    enrollment = Enrollment.objects.get(journey__key="first_order_thanks")
    assert enrollment.order.external_id == "8001"
