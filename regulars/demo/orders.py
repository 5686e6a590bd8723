"""Orders, order lines and shipments from the CDNOW purchases.

Each purchase becomes one paid order (about 1 % cancelled and 1 % refunded). Its CDs are spread
over 1-3 lines whose totals add up exactly, in cents, to the dollar value in the log. Shipments
leave 1-2 days after the order and arrive 2-6 days later; those not yet arrived when the demo
ends are in transit or out for delivery, and about 1 % fail.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from regulars.commerce.models import FulfillmentStatus, OrderStatus
from regulars.demo.catalog import Catalog
from regulars.demo.dataset import History, Purchase

# Local hour of day the shop takes orders, weighted towards lunch and evening.
_HOURS = tuple(range(24))
_HOUR_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 9, 8, 7, 7, 8, 9, 10, 11, 10, 7, 4)
_CARRIERS = ("UPS", "USPS", "FedEx")
_CARRIER_WEIGHTS = (45, 35, 20)
_FAVOURITE_SHARE = 0.6  # of a customer's picks come from their favourite genre


def money(cents: int) -> Decimal:
    return Decimal(f"{cents // 100}.{cents % 100:02d}")


def placed_times(
    rng: random.Random, history: History, shift: timedelta, zone: ZoneInfo
) -> list[datetime]:
    """When each purchase was placed: its shifted day at a plausible local hour, in UTC."""
    times = []
    for purchase in history.purchases:
        day = purchase.day + shift
        hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
        local = datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=zone
        )
        times.append(local.astimezone(UTC))
    return times


@dataclass
class Sales:
    orders: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    fulfillments: list[dict] = field(default_factory=list)
    lines_of: list[list[dict]] = field(default_factory=list)  # parallel to orders


def split_lines(rng: random.Random, cds: int, cents: int, pick) -> list[tuple[dict, int, int]]:
    """(product, quantity, unit cents) for 1-3 lines: quantities add up to `cds`, totals to
    `cents`. Unit prices follow the products' list prices; the last line, of one CD, takes
    the rounding so the sum is exact."""
    count = rng.randint(1, min(3, cds))
    if count == 1 and cents % cds:
        count = 2
    products: list[dict] = []
    while len(products) < count:
        product = pick()
        if all(product is not chosen for chosen in products):
            products.append(product)
    if count == 1:
        return [(products[0], cds, cents // cds)]
    cuts = sorted(rng.sample(range(1, cds - 1), count - 2)) if count == 3 else []
    bounds = [0, *cuts, cds - 1]
    quantities = [bounds[i + 1] - bounds[i] for i in range(count - 1)] + [1]
    weights = [int(product["price"] * 100) for product in products]
    weighted = sum(q * w for q, w in zip(quantities, weights, strict=True))
    units = [cents * w // weighted for w in weights[:-1]]
    units.append(cents - sum(q * u for q, u in zip(quantities, units, strict=False)))
    return list(zip(products, quantities, units, strict=True))


def _tracking(rng: random.Random, carrier: str) -> tuple[str, str]:
    if carrier == "UPS":
        shipper = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXY0123456789") for _ in range(6))
        number = f"1Z{shipper}03{rng.randrange(10**8):08d}"
        return number, f"https://www.ups.com/track?tracknum={number}"
    if carrier == "USPS":
        number = f"9400{rng.randrange(10**18):018d}"
        return number, f"https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"
    number = f"{rng.randrange(10**11, 10**12)}"
    return number, f"https://www.fedex.com/fedextrack/?trknbr={number}"


def _shipment(rng: random.Random, order: dict, number: int, end: datetime) -> dict | None:
    shipped = order["placed_at"] + timedelta(hours=rng.uniform(24, 48))
    if shipped >= end:
        return None  # still being packed when the demo ends
    carrier = rng.choices(_CARRIERS, _CARRIER_WEIGHTS)[0]
    tracking_number, tracking_url = _tracking(rng, carrier)
    arrives = shipped + timedelta(hours=rng.uniform(48, 144))
    failed = rng.random() < 0.01
    delivered_at, last_change = None, shipped
    if arrives >= end:
        status = (
            FulfillmentStatus.OUT_FOR_DELIVERY
            if arrives < end + timedelta(days=1)
            else FulfillmentStatus.IN_TRANSIT
        )
    elif failed:
        status, last_change = FulfillmentStatus.FAILED, arrives
    else:
        status, delivered_at, last_change = FulfillmentStatus.DELIVERED, arrives, arrives
    return {
        "external_id": f"demo-f-{number:06d}",
        "order_id": order["id"],
        "carrier": carrier,
        "tracking_number": tracking_number,
        "tracking_url": tracking_url,
        "status": status,
        "shipped_at": shipped,
        "delivered_at": delivered_at,
        "source_updated_at": last_change,
    }


def _order(pk: int, customer: dict, number: int, placed_at: datetime, cents: int) -> dict:
    total = money(cents)
    return {
        "id": pk,
        "external_id": f"demo-{number:06d}",
        "name": f"#{1000 + number}",
        "customer_id": customer["id"],
        "email": customer["email"],
        "status": OrderStatus.PAID,
        "subtotal": total,
        "total": total,
        "placed_at": placed_at,
        "paid_at": placed_at,
        "cancelled_at": None,
        "refunded_at": None,
        "source_updated_at": placed_at,
    }


def _settle(rng: random.Random, order: dict, shipment: dict | None, end: datetime):
    """About 1 % of orders are cancelled before shipping and 1 % refunded after it."""
    roll = rng.random()
    if roll < 0.01:
        cancelled_at = order["placed_at"] + timedelta(hours=rng.uniform(1, 12))
        if cancelled_at < end:
            order.update(
                status=OrderStatus.CANCELLED,
                cancelled_at=cancelled_at,
                source_updated_at=cancelled_at,
            )
            return None
    elif roll < 0.02 and shipment is not None:
        after = shipment["delivered_at"] or shipment["shipped_at"]
        refunded_at = after + timedelta(days=rng.uniform(2, 14))
        if refunded_at < end:
            order.update(
                status=OrderStatus.REFUNDED, refunded_at=refunded_at, source_updated_at=refunded_at
            )
    return shipment


@dataclass(frozen=True)
class Placement:
    placed_at: datetime
    customer_index: int
    purchase: Purchase


def _lines(order: dict, picked: list[tuple[dict, int, int]]) -> list[dict]:
    return [
        {
            "order_id": order["id"],
            "product_id": product["id"],
            "external_id": f"{order['external_id']}-{position}",
            "sku": product["sku"],
            "title": product["title"],
            "quantity": quantity,
            "unit_price": money(unit),
            "total": money(unit * quantity),
        }
        for position, (product, quantity, unit) in enumerate(picked, start=1)
    ]


def make_sales(
    rng: random.Random,
    order_ids: list[int],
    placements: list[Placement],
    customers: list[dict],
    favourites: list[str],
    catalog: Catalog,
    end: datetime,
) -> Sales:
    """Orders numbered in the order they were placed, with their lines and shipments."""
    sales = Sales()
    ordered = sorted(
        placements, key=lambda p: (p.placed_at, customers[p.customer_index]["external_id"])
    )
    for number, placement in enumerate(ordered, start=1):
        index, purchase = placement.customer_index, placement.purchase
        order = _order(
            order_ids[number - 1], customers[index], number, placement.placed_at, purchase.cents
        )

        def pick(favourite=favourites[index]):
            return catalog.pick(rng, favourite if rng.random() < _FAVOURITE_SHARE else "")

        lines = _lines(order, split_lines(rng, purchase.cds, purchase.cents, pick))
        shipment = _settle(rng, order, _shipment(rng, order, number, end), end)
        sales.orders.append(order)
        sales.lines.extend(lines)
        sales.lines_of.append(lines)
        if shipment is not None:
            sales.fulfillments.append(shipment)
    return sales


def shift_for(last_day: date, today: date) -> timedelta:
    """How far to move the log so its last purchase day is yesterday."""
    return (today - timedelta(days=1)) - last_day
