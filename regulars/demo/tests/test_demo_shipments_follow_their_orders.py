"""Shipments leave 1-2 days after the order and arrive 2-6 days later; recent ones are on the way."""

from collections import Counter
from datetime import timedelta

from regulars.commerce.models import Fulfillment, Order


def test_delivery_comes_after_shipping_which_comes_after_the_order(demo):
    shipments = Fulfillment.objects.filter(store=demo).select_related("order")
    wrong = []
    for shipment in shipments:
        placed = shipment.order.placed_at
        if not timedelta(days=1) <= shipment.shipped_at - placed <= timedelta(days=2):
            wrong.append(shipment.external_id)
        if shipment.delivered_at is not None and not (
            timedelta(days=2) <= shipment.delivered_at - shipment.shipped_at <= timedelta(days=6)
        ):
            wrong.append(shipment.external_id)

    assert shipments.count() > 300
    assert wrong == []


def test_only_delivered_shipments_have_a_delivery_time(demo):
    shipments = Fulfillment.objects.filter(store=demo)

    assert shipments.filter(status="delivered", delivered_at=None).count() == 0
    assert shipments.exclude(status="delivered").exclude(delivered_at=None).count() == 0


def test_cancelled_orders_are_never_shipped(build):
    store = build(customers=3000).store

    cancelled = Order.objects.filter(store=store, status="cancelled")

    assert cancelled.count() > 0
    assert Fulfillment.objects.filter(order__in=cancelled).count() == 0


def test_the_newest_shipments_are_on_their_way_and_about_one_in_a_hundred_failed(build):
    store = build(customers=3000).store
    shipments = Fulfillment.objects.filter(store=store)
    statuses = Counter(shipments.values_list("status", flat=True))
    newest_delivered = shipments.filter(status="delivered").order_by("-shipped_at").first()

    assert set(statuses) == {"delivered", "in_transit", "out_for_delivery", "failed"}
    assert 0.005 < statuses["failed"] / shipments.count() < 0.015
    assert shipments.exclude(status="delivered").order_by("-shipped_at").first().status in {
        "in_transit",
        "out_for_delivery",
    }
    assert newest_delivered.shipped_at < shipments.order_by("-shipped_at").first().shipped_at


def test_tracking_numbers_and_links_belong_to_the_carrier(demo):
    hosts = {"UPS": "www.ups.com", "USPS": "tools.usps.com", "FedEx": "www.fedex.com"}
    shipments = list(
        Fulfillment.objects.filter(store=demo).values_list(
            "carrier", "tracking_number", "tracking_url"
        )
    )

    assert {carrier for carrier, _, _ in shipments} == set(hosts)
    assert [
        number
        for carrier, number, url in shipments
        if not url.startswith(f"https://{hosts[carrier]}/") or not url.endswith(number)
    ] == []
    assert len({number for _, number, _ in shipments}) == len(shipments)
