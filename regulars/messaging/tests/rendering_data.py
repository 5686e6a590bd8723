"""Data for the template and rendering tests, written through commerce's own services."""

from regulars.commerce.schemas import CustomerIn, FulfillmentIn, OrderIn, ProductIn
from regulars.commerce.services import (
    upsert_customer,
    upsert_fulfillment,
    upsert_order,
    upsert_product,
)
from regulars.messaging.services.templates import do_save_template


def customer(store, external_id="c1", **fields):
    data = {"external_id": external_id, "email": f"{external_id}@example.com", **fields}
    return upsert_customer(store, CustomerIn(**data), source="api").obj


def product(store, external_id, title=None, *, price="18.00", **fields):
    data = {
        "external_id": external_id,
        "title": title or f"Product {external_id}",
        "url": f"https://shop.example/p/{external_id}",
        "image_url": f"https://shop.example/i/{external_id}.jpg",
        "price": price,
        **fields,
    }
    return upsert_product(store, ProductIn(**data), source="api").obj


def order(store, external_id, customer_id, lines, *, status="paid", **fields):
    """`lines`: (product external id, quantity) or (product external id, quantity, price)."""
    data = {
        "external_id": external_id,
        "name": f"#{external_id}",
        "customer_external_id": customer_id,
        "status": status,
        "currency": store.currency,
        "total": "0",
        "placed_at": "2026-03-01T10:00:00Z",
        "lines": [
            {
                "external_id": f"{external_id}-{i}",
                "product_external_id": line[0],
                "title": f"Product {line[0]}",
                "quantity": line[1],
                "unit_price": line[2] if len(line) > 2 else "10.00",
            }
            for i, line in enumerate(lines)
        ],
        **fields,
    }
    return upsert_order(store, OrderIn(**data), source="api").obj


def fulfillment(store, external_id, order_external_id, **fields):
    data = {
        "external_id": external_id,
        "order_external_id": order_external_id,
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "tracking_url": "https://www.ups.com/track?tracknum=1Z999",
        "shipped_at": "2026-03-02T14:00:00Z",
        **fields,
    }
    return upsert_fulfillment(store, FulfillmentIn(**data), source="api").obj


def template(store, user=None, *, key="welcome", channel="sms", language="en", **parts):
    values = {
        "purpose": "marketing",
        "name": key,
        "subject": "",
        "body_html": "",
        "body_text": "",
        **parts,
    }
    return do_save_template(store, user, key=key, channel=channel, language=language, **values)
