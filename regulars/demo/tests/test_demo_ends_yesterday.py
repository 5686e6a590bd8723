"""The log is shifted so its last purchase day is the day before --today, in the store's zone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max, Min

from regulars.commerce.models import Cart, Customer, Event, Fulfillment, Order
from regulars.demo.tests.conftest import TODAY

NEW_YORK = ZoneInfo("America/New_York")
START_OF_TODAY = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=NEW_YORK)


def test_the_last_order_was_placed_yesterday(demo):
    last = Order.objects.filter(store=demo).aggregate(last=Max("placed_at"))["last"]

    assert last.astimezone(NEW_YORK).date() == TODAY - timedelta(days=1)


def test_a_later_today_moves_every_order_by_the_same_number_of_days(build):
    early = build("early", today=date(2025, 6, 15)).store
    late = build("late", today=date(2025, 6, 25)).store

    def days(store):
        return [
            moment.astimezone(NEW_YORK).date()
            for moment in Order.objects.filter(store=store)
            .order_by("external_id")
            .values_list("placed_at", flat=True)
        ]

    assert [b - a for a, b in zip(days(early), days(late), strict=True)] == [
        timedelta(days=10)
    ] * len(days(early))


def test_the_log_keeps_its_length_of_eighteen_months(demo):
    span = Order.objects.filter(store=demo).aggregate(first=Min("placed_at"), last=Max("placed_at"))

    assert span["last"] - span["first"] < timedelta(days=546)
    assert span["last"] - span["first"] > timedelta(days=365)


def test_nothing_happens_on_or_after_the_day_the_demo_ends(demo):
    latest = [
        Order.objects.filter(store=demo).aggregate(m=Max("placed_at"))["m"],
        Order.objects.filter(store=demo).aggregate(m=Max("cancelled_at"))["m"],
        Order.objects.filter(store=demo).aggregate(m=Max("refunded_at"))["m"],
        Fulfillment.objects.filter(store=demo).aggregate(m=Max("shipped_at"))["m"],
        Fulfillment.objects.filter(store=demo).aggregate(m=Max("delivered_at"))["m"],
        Cart.objects.filter(store=demo).aggregate(m=Max("updated_at"))["m"],
        Event.objects.filter(store=demo).aggregate(m=Max("occurred_at"))["m"],
        Customer.objects.filter(store=demo).aggregate(m=Max("first_seen_at"))["m"],
        Customer.objects.filter(store=demo).aggregate(m=Max("email_consent_at"))["m"],
        Customer.objects.filter(store=demo).aggregate(m=Max("sms_consent_at"))["m"],
    ]

    assert [moment for moment in latest if moment is not None and moment >= START_OF_TODAY] == []


def test_customers_are_first_seen_before_their_first_order(demo):
    customers = Customer.objects.filter(store=demo).annotate(first_placed=Min("orders__placed_at"))

    assert [c.external_id for c in customers if not c.first_seen_at < c.first_placed] == []
    assert customers.count() == 300
