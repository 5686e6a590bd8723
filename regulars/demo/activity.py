"""Recent storefront activity: abandoned carts (a few recovered by a later order) and the
product views, searches and page views of the customers active in the last weeks.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.text import slugify

from regulars.commerce.models import OrderStatus
from regulars.demo.catalog import SHOP_URL, Catalog

RECENT = timedelta(days=30)  # carts and browsing happen in the last 30 days
ACTIVE = timedelta(days=60)  # customers who ordered this recently still browse
_RECOVERED_SHARE = 0.1


@dataclass(frozen=True)
class Shopper:
    customer: dict
    favourite: str
    last_order_at: datetime


def _cart_line(product: dict, quantity: int, unit_price: Decimal) -> dict:
    # The shape CartLineIn.model_dump(mode="json") gives, as carts from the API are kept.
    return {
        "product_external_id": product["external_id"],
        "sku": product["sku"],
        "title": product["title"],
        "quantity": quantity,
        "unit_price": f"{unit_price:.2f}",
    }


def _cart(rng: random.Random, customer: dict, lines: list[dict], updated_at: datetime) -> dict:
    token = f"{rng.getrandbits(128):032x}"
    value = sum((Decimal(line["unit_price"]) * line["quantity"] for line in lines), Decimal(0))
    return {
        "token": token,
        "customer_id": customer["id"],
        "email": customer["email"],
        "lines": lines,
        "value": value,
        "checkout_url": f"{SHOP_URL}/checkouts/{token}/recover",
        "updated_at": updated_at,
        "recovered_order_id": None,
    }


def _recovered(rng, customers_by_id, products_by_id, orders, lines_of, count, end) -> list[dict]:
    recent = [
        index
        for index, order in enumerate(orders)
        if order["status"] == OrderStatus.PAID and order["placed_at"] >= end - RECENT
    ]
    carts = []
    for index in sorted(rng.sample(recent, min(count, len(recent)))):
        order = orders[index]
        lines = [
            _cart_line(products_by_id[line["product_id"]], line["quantity"], line["unit_price"])
            for line in lines_of[index]
        ]
        updated_at = order["placed_at"] - timedelta(hours=rng.uniform(1, 72))
        cart = _cart(rng, customers_by_id[order["customer_id"]], lines, updated_at)
        cart["recovered_order_id"] = order["id"]
        carts.append(cart)
    return carts


def _abandoned(rng, shoppers: list[Shopper], catalog: Catalog, count, end) -> list[dict]:
    carts, taken = [], set()
    for _ in range(count * 20):  # bounded: most customers qualify, so this ends early
        if len(carts) == count:
            break
        index = rng.randrange(len(shoppers))
        shopper = shoppers[index]
        updated_at = end - timedelta(seconds=rng.uniform(3600, RECENT.total_seconds()))
        if index in taken or shopper.last_order_at >= updated_at:
            continue
        taken.add(index)
        products: list[dict] = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            product = catalog.pick(rng, shopper.favourite if rng.random() < 0.7 else "")
            if all(product is not chosen for chosen in products):
                products.append(product)
        lines = [_cart_line(p, rng.choice((1, 1, 1, 2)), p["price"]) for p in products]
        carts.append(_cart(rng, shopper.customer, lines, updated_at))
    return carts


def make_carts(rng, shoppers, catalog, orders, lines_of, count, end) -> list[dict]:
    """`count` carts of the last 30 days; about a tenth were recovered by the order after them."""
    customers_by_id = {shopper.customer["id"]: shopper.customer for shopper in shoppers}
    products_by_id = {product["id"]: product for product in catalog.products}
    recovered = _recovered(
        rng,
        customers_by_id,
        products_by_id,
        orders,
        lines_of,
        max(1, round(count * _RECOVERED_SHARE)),
        end,
    )
    abandoned = _abandoned(rng, shoppers, catalog, count - len(recovered), end)
    return sorted(recovered + abandoned, key=lambda cart: (cart["updated_at"], cart["token"]))


def _product_event(customer_id: int, kind: str, product: dict, occurred_at: datetime) -> dict:
    return {
        "customer_id": customer_id,
        "kind": kind,
        "properties": {
            "product_external_id": product["external_id"],
            "title": product["title"],
            "url": product["url"],
            "price": f"{product['price']:.2f}",
        },
        "occurred_at": occurred_at,
    }


def _browsing(rng, shopper: Shopper, catalog: Catalog, end: datetime) -> list[dict]:
    events, customer_id = [], shopper.customer["id"]
    for _ in range(rng.randint(2, 10)):
        occurred_at = end - timedelta(seconds=rng.uniform(60, RECENT.total_seconds()))
        roll = rng.random()
        genre = shopper.favourite if rng.random() < 0.7 else ""
        if roll < 0.7:
            product = catalog.pick(rng, genre)
            events.append(_product_event(customer_id, "product_viewed", product, occurred_at))
            continue
        if roll < 0.9:
            product = catalog.pick(rng, genre)
            query = rng.choice((product["title"].split(" — ")[0], product["category"])).lower()
            kind, properties = "searched", {"query": query}
        else:
            path = f"/collections/{slugify(genre or rng.choice(catalog.genres))}"
            kind, properties = "page_viewed", {"path": path, "url": f"{SHOP_URL}{path}"}
        events.append(
            {
                "customer_id": customer_id,
                "kind": kind,
                "properties": properties,
                "occurred_at": occurred_at,
            }
        )
    return events


def make_events(rng, shoppers, catalog, orders, lines_of, carts, end) -> list[dict]:
    """Views before recent orders and carts, plus browsing by recently active customers."""
    products_by_id = {product["id"]: product for product in catalog.products}
    products_by_external_id = {product["external_id"]: product for product in catalog.products}
    events: list[dict] = []
    for order, lines in zip(orders, lines_of, strict=True):
        if order["placed_at"] < end - RECENT:
            continue
        for line in lines:
            seen = order["placed_at"] - timedelta(seconds=rng.uniform(300, 2 * 86400))
            product = products_by_id[line["product_id"]]
            events.append(_product_event(order["customer_id"], "product_viewed", product, seen))
    with_carts = set()
    for cart in carts:
        with_carts.add(cart["customer_id"])
        for line in cart["lines"]:
            product = products_by_external_id[line["product_external_id"]]
            added = cart["updated_at"] - timedelta(seconds=rng.uniform(30, 1800))
            viewed = added - timedelta(seconds=rng.uniform(20, 3600))
            events.append(_product_event(cart["customer_id"], "product_viewed", product, viewed))
            events.append(_product_event(cart["customer_id"], "added_to_cart", product, added))
    for shopper in shoppers:
        if shopper.last_order_at >= end - ACTIVE or shopper.customer["id"] in with_carts:
            events.extend(_browsing(rng, shopper, catalog, end))
    events.sort(key=lambda event: (event["occurred_at"], event["customer_id"], event["kind"]))
    for number, event in enumerate(events, start=1):
        event["external_id"] = f"demo-e-{number:07d}"
    return events
