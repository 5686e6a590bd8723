"""Review request, birthday coupon and champions surprise end to end: a Shopify webhook or the
clock in, an e-mail received by the real SMTP server out. The worker's rounds run hourly with
the clock moved by time-machine, as the minute tick evaluates the daily triggers hourly.

The `store` fixture is in New York (UTC-4 in June); customers without a time zone of their own
get their messages at the journey's time of day there.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from regulars.commerce.tests.fixtures import encode, payload, raw
from regulars.insights.models import CustomerScore
from regulars.insights.services import do_refresh_insights
from regulars.journeys.models import Enrollment, EnrollmentStatus
from regulars.journeys.tests.journey_data import journey_on, ordered, subscriber
from regulars.journeys.tests.journey_steps import html_of, worker_round
from regulars.promotions.models import Coupon


def rounds(start: datetime, end: datetime, every: timedelta = timedelta(hours=1)) -> None:
    """The worker's rounds from `start` to `end` included, the clock at each."""
    at = start
    while at <= end:
        with time_machine.travel(at, tick=False):
            worker_round(at)
        at += every


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- review request ------------------------------------------------------------------------

STORE_ZONE = ZoneInfo("America/New_York")  # the `store` fixture's
DELIVERED = utc(2026, 6, 10, 15, 0)  # 11:00 in New York
SHOPIFY_CUSTOMER = 115310627314723954  # the customer of Shopify's orders/create sample
ORDERED_ITEMS = ("Aviator sunglasses", "Mid-century lounger", "Coffee table")


def shopify_order(**changes) -> bytes:
    """Shopify's published orders/create sample as a paid order of 5 June, its customer
    subscribed to e-mail marketing (a review request is marketing)."""
    body = payload("shopify", "orders_create.json")
    body.update(
        financial_status="paid",
        cancelled_at=None,
        cancel_reason=None,
        created_at="2026-06-05T09:00:00-04:00",
        processed_at="2026-06-05T09:00:00-04:00",
        updated_at="2026-06-05T09:00:00-04:00",
    )
    body["customer"]["email_marketing_consent"] = {
        "state": "subscribed",
        "opt_in_level": "single_opt_in",
        "consent_updated_at": "2026-06-05T09:00:00-04:00",
    }
    body.update(changes)
    return encode(body)


def parcel(**changes) -> bytes:
    """Shopify's published fulfillment sample (parcel #9999.1 of the order), changed."""
    body = payload("shopify", "fulfillments_update.json")
    body.update(changes)
    return encode(body)


def delivered_webhook(shop, send, at: datetime, **changes) -> None:
    with time_machine.travel(at, tick=False):
        local = at.astimezone(STORE_ZONE).isoformat()
        send.shopify(
            shop,
            "fulfillments/update",
            parcel(shipment_status="delivered", updated_at=local, **changes),
        )


def deliver(shop, send) -> None:
    """The order paid, shipped and delivered: Shopify's webhooks, the last one at DELIVERED."""
    with time_machine.travel(DELIVERED, tick=False):
        send.shopify(shop, "orders/create", shopify_order())
        send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    delivered_webhook(shop, send, DELIVERED)


def test_review_request_comes_a_week_after_delivery_at_ten_in_the_morning(shop, send, smtp_server):
    journey_on(shop, "review_request")
    deliver(shop, send)
    enrollment = Enrollment.objects.get(journey__key="review_request")
    # Seven days after delivery is 11:00 in New York, past 10:00: the next morning at 10:00.
    assert enrollment.next_run_at == utc(2026, 6, 18, 14, 0)

    rounds(DELIVERED + timedelta(days=7), utc(2026, 6, 18, 13, 0))
    assert smtp_server.messages() == []

    rounds(utc(2026, 6, 18, 14, 0), utc(2026, 6, 19, 14, 0))
    mails = smtp_server.messages()
    # The customer's address, not the order's contact e-mail (jon@example.com).
    assert [m["To"] for m in mails] == ["john@example.com"]
    assert mails[0]["Subject"] == "How do you like your order, John?"
    assert mails[0]["List-Unsubscribe"]  # marketing: one-click unsubscribe
    html = html_of(mails[0])
    for title in ORDERED_ITEMS:
        assert title in html
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.order.external_id == "820982911946154508"


def test_an_order_in_two_parcels_gets_one_review_request_after_the_last(shop, send, smtp_server):
    journey_on(shop, "review_request")
    first = DELIVERED - timedelta(days=2)
    with time_machine.travel(first, tick=False):
        send.shopify(shop, "orders/create", shopify_order())
        send.shopify(shop, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
        send.shopify(shop, "fulfillments/create", parcel(id=123457, name="#9999.2"))
    delivered_webhook(shop, send, first)
    assert not Enrollment.objects.exists()  # the second parcel is still on its way

    delivered_webhook(shop, send, DELIVERED, id=123457, name="#9999.2")
    enrollment = Enrollment.objects.get()
    assert enrollment.fulfillment.external_id == "123457"
    # A week after the last parcel, then 10:00 in New York.
    assert enrollment.next_run_at == utc(2026, 6, 18, 14, 0)
    rounds(first + timedelta(days=7), DELIVERED + timedelta(days=9), timedelta(hours=2))
    assert [m["To"] for m in smtp_server.messages()] == ["john@example.com"]


@pytest.mark.parametrize(
    ("topic", "changes", "status"),
    [
        (
            "orders/cancelled",
            {"cancelled_at": "2026-06-12T10:00:00-04:00", "cancel_reason": "customer"},
            "cancelled",
        ),
        ("orders/updated", {"financial_status": "refunded"}, "refunded"),
    ],
)
def test_an_order_closed_before_the_week_is_out_gets_no_review_request(
    shop, send, smtp_server, topic, changes, status
):
    journey_on(shop, "review_request")
    deliver(shop, send)
    with time_machine.travel(utc(2026, 6, 12, 14, 0), tick=False):
        closed = shopify_order(updated_at="2026-06-12T10:00:00-04:00", **changes)
        send.shopify(shop, topic, closed)

    enrollment = Enrollment.objects.get(journey__key="review_request")
    assert enrollment.order.status == status
    assert enrollment.status == EnrollmentStatus.EXITED
    assert enrollment.exit_reason == "the order was cancelled or refunded"
    rounds(DELIVERED + timedelta(days=7), DELIVERED + timedelta(days=9), timedelta(hours=3))
    assert smtp_server.messages() == []


def test_a_customer_who_unsubscribes_before_the_week_is_out_gets_no_review_request(
    shop, send, smtp_server
):
    journey_on(shop, "review_request")
    deliver(shop, send)
    with time_machine.travel(utc(2026, 6, 12, 14, 0), tick=False):
        consent = payload("shopify", "customers_email_marketing_consent_update.json")
        consent.update(customer_id=SHOPIFY_CUSTOMER, email_address="john@example.com")
        consent["email_marketing_consent"] = {
            "state": "unsubscribed",
            "opt_in_level": "single_opt_in",
            "consent_updated_at": "2026-06-12T10:00:00-04:00",
        }
        send.shopify(shop, "customers_email_marketing_consent/update", encode(consent))

    enrollment = Enrollment.objects.get(journey__key="review_request")
    assert enrollment.status == EnrollmentStatus.EXITED
    assert enrollment.exit_reason == "the customer unsubscribed"
    rounds(DELIVERED + timedelta(days=7), DELIVERED + timedelta(days=9), timedelta(hours=3))
    assert smtp_server.messages() == []


# --- birthday coupon -----------------------------------------------------------------------

EVE = utc(2026, 6, 9, 20, 0)  # 16:00 in New York, the day before ana's birthday


def test_birthday_coupon_on_the_day_at_nine_once(store, other_store, smtp_server):
    ana = subscriber(store, "ana", birthday=date(1990, 6, 10))
    bo = subscriber(store, "bo", birthday=date(1992, 6, 11))
    # Another store's customer born the same day: that store's journey is off.
    subscriber(other_store, "ana-elsewhere", birthday=date(1990, 6, 10))
    with time_machine.travel(EVE, tick=False):
        journey_on(store, "birthday_coupon")

    rounds(EVE, utc(2026, 6, 10, 12, 0))  # until 08:00 in New York on the day
    assert smtp_server.messages() == []
    enrollment = Enrollment.objects.get()
    assert enrollment.customer_id == ana.pk
    assert enrollment.next_run_at == utc(2026, 6, 10, 13, 0)  # 09:00 in New York

    # The rest of the day: the trigger is evaluated again every hour.
    rounds(utc(2026, 6, 10, 13, 0), utc(2026, 6, 11, 3, 0))
    mails = smtp_server.messages()
    assert [m["To"] for m in mails] == ["ana@example.com"]
    assert mails[0]["Subject"] == "Happy birthday, Ana! A little gift from Vinyl Corner"
    coupon = Coupon.objects.get(store=store)
    assert coupon.customer_id == ana.pk
    assert coupon.code.startswith("BDAY-")
    assert (coupon.kind, coupon.value, coupon.source) == (
        "percent",
        Decimal("15"),
        "journey:birthday_coupon",
    )
    # Valid 14 days: the last day is 24 June, until midnight in New York.
    assert coupon.expires_at == utc(2026, 6, 25, 4, 0)
    html = html_of(mails[0])
    assert coupon.code in html
    assert "Valid until 2026-06-24" in html
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert not Enrollment.objects.filter(customer=bo).exists()

    # bo's birthday is the next day.
    rounds(utc(2026, 6, 11, 4, 0), utc(2026, 6, 11, 14, 0))
    assert [m["To"] for m in smtp_server.messages()] == ["ana@example.com", "bo@example.com"]
    assert Coupon.objects.filter(store=store, customer=ana).count() == 1
    assert Coupon.objects.get(store=store, customer=bo).code in html_of(smtp_server.messages()[1])


def test_no_birthday_coupon_for_a_customer_the_message_cannot_reach(store, smtp_server):
    subscriber(store, "cy", birthday=date(1990, 6, 10), email_consent="unsubscribed")
    with time_machine.travel(EVE, tick=False):
        journey_on(store, "birthday_coupon")

    rounds(EVE, utc(2026, 6, 10, 16, 0))

    assert smtp_server.messages() == []
    assert not Coupon.objects.filter(store=store).exists()  # none issued, none announced
    enrollment = Enrollment.objects.get()
    assert enrollment.status == EnrollmentStatus.EXITED


def test_the_birthday_greeting_comes_on_the_customers_own_day(store, smtp_server):
    # The store is in New York; Bangkok is 11 hours ahead, Los Angeles 3 hours behind.
    subscriber(store, "bkk", birthday=date(1990, 6, 10), timezone="Asia/Bangkok")
    subscriber(store, "lax", birthday=date(1990, 6, 10), timezone="America/Los_Angeles")
    with time_machine.travel(EVE, tick=False):
        journey_on(store, "birthday_coupon")

    rounds(EVE, utc(2026, 6, 10, 18, 0))

    sent = {
        e.customer.external_id: e.finished_at for e in Enrollment.objects.select_related("customer")
    }
    # Bangkok's 09:00 had passed when New York's 10 June began: at once, 11:00 there.
    assert sent["bkk"] == utc(2026, 6, 10, 4, 0)
    assert sent["bkk"].astimezone(ZoneInfo("Asia/Bangkok")).date() == date(2026, 6, 10)
    assert sent["lax"] == utc(2026, 6, 10, 16, 0)  # 09:00 in Los Angeles
    assert sorted(m["To"] for m in smtp_server.messages()) == [
        "bkk@example.com",
        "lax@example.com",
    ]


def test_next_years_birthday_brings_a_new_coupon(store, smtp_server):
    ana = subscriber(store, "ana", birthday=date(1990, 6, 10))
    with time_machine.travel(EVE, tick=False):
        journey_on(store, "birthday_coupon")
    rounds(EVE, utc(2026, 6, 10, 14, 0))
    # A year later (the worker ran all year; the last days of it are enough here).
    rounds(utc(2027, 6, 9, 20, 0), utc(2027, 6, 10, 14, 0))

    mails = smtp_server.messages()
    assert [m["To"] for m in mails] == ["ana@example.com", "ana@example.com"]
    first, second = Coupon.objects.filter(store=store, customer=ana).order_by("issued_at")
    assert first.code != second.code
    assert first.code in html_of(mails[0]) and first.code not in html_of(mails[1])
    assert second.code in html_of(mails[1])
    assert second.expires_at == utc(2027, 6, 25, 4, 0)
    entries = Enrollment.objects.filter(customer=ana).order_by("entered_at")
    assert [e.entry_key for e in entries] == [f"c{ana.pk}:2026", f"c{ana.pk}:2027"]


def test_a_29_february_birthday_is_celebrated_on_28_february_in_other_years(store, smtp_server):
    subscriber(store, "leap", birthday=date(2000, 2, 29))
    evening = utc(2027, 2, 27, 20, 0)  # 15:00 in New York (UTC-5 in February)
    with time_machine.travel(evening, tick=False):
        journey_on(store, "birthday_coupon")
    rounds(evening, utc(2027, 3, 1, 20, 0))

    mails = smtp_server.messages()
    assert [m["To"] for m in mails] == ["leap@example.com"]
    sent = Enrollment.objects.get(journey__key="birthday_coupon").finished_at
    assert sent == utc(2027, 2, 28, 14, 0)  # 09:00 in New York on the 28th


# --- champions surprise --------------------------------------------------------------------

SWITCHED_ON = utc(2026, 6, 1, 12, 0)  # 08:00 in New York


def _history(store):
    """ana has ordered four times, lately too: a champion. cy and five others once, long ago."""
    ana, cy = subscriber(store, "ana"), subscriber(store, "cy")
    for n, days_ago in enumerate((120, 80, 40, 2)):
        ordered(store, ana, f"ana-{n}", SWITCHED_ON - timedelta(days=days_ago))
    ordered(store, cy, "cy-0", SWITCHED_ON - timedelta(days=150))
    for n in range(5):
        other = subscriber(store, f"other{n}")
        ordered(store, other, f"other-{n}", SWITCHED_ON - timedelta(days=200 + 20 * n))
    return ana, cy


def test_champions_surprise_goes_to_a_new_champion_only(
    store, smtp_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(SWITCHED_ON, tick=False):
        ana, cy = _history(store)
        do_refresh_insights(store, now=SWITCHED_ON)  # the nightly refresh
        assert ana.score.segment == "champions" and cy.score.segment != "champions"
        journey_on(store, "champions_surprise")
    rounds(SWITCHED_ON, SWITCHED_ON + timedelta(hours=3))

    already = Enrollment.objects.get(journey__key="champions_surprise")
    assert already.customer_id == ana.pk
    assert already.status == EnrollmentStatus.SKIPPED
    assert already.exit_reason == "already in the segment when the journey was switched on"
    assert smtp_server.messages() == []

    # cy orders four times in four days; each paid order has cy rescored.
    for day in range(1, 5):
        at = SWITCHED_ON + timedelta(days=day)
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            ordered(store, cy, f"cy-{day}", at)
    cy.refresh_from_db()
    assert cy.score.segment == "champions"
    became = SWITCHED_ON + timedelta(days=4)  # 5 June, 08:00 in New York
    rounds(became, became + timedelta(hours=1))
    assert smtp_server.messages() == []  # the surprise waits for 10:00
    rounds(became + timedelta(hours=2), became + timedelta(days=1))

    mails = smtp_server.messages()
    assert [m["To"] for m in mails] == ["cy@example.com"]
    coupon = Coupon.objects.get(store=store)
    assert coupon.customer_id == cy.pk
    assert coupon.code.startswith("VIP-")
    assert (coupon.kind, coupon.value) == ("percent", Decimal("15"))
    html = html_of(mails[0])
    assert coupon.code in html
    assert "placed 5 orders with Vinyl Corner" in html
    surprised = Enrollment.objects.get(journey__key="champions_surprise", customer=cy)
    assert surprised.status == EnrollmentStatus.COMPLETED
    already.refresh_from_db()
    assert already.status == EnrollmentStatus.SKIPPED

    # The next nightly refresh finds both champions again: no one is surprised twice.
    later = became + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        do_refresh_insights(store, now=later)
    champions = CustomerScore.objects.filter(store=store, segment="champions")
    assert set(champions.values_list("customer_id", flat=True)) == {ana.pk, cy.pk}
    rounds(later, later + timedelta(days=1), timedelta(hours=2))
    assert len(smtp_server.messages()) == 1
    assert Enrollment.objects.filter(journey__key="champions_surprise").count() == 2
