"""Store data for dashboard tests, built through the commerce services like real ingestion."""

import re

from django.urls import reverse

from regulars.commerce.models import Customer, Order
from regulars.commerce.schemas import CartIn, CustomerIn, EventIn, FulfillmentIn, OrderIn
from regulars.commerce.services import (
    record_event,
    upsert_cart,
    upsert_customer,
    upsert_fulfillment,
    upsert_order,
)


def url(name: str, store, *args) -> str:
    return reverse(f"dashboard:{name}", args=[store.slug, *args])


def customer(store, external_id: str, **fields) -> Customer:
    data = {"external_id": external_id, "email": f"{external_id}@example.com", **fields}
    return upsert_customer(store, CustomerIn(**data), source="api").obj


def order(store, external_id: str, customer_external_id: str, **fields) -> Order:
    data = {
        "external_id": external_id,
        "name": f"#{external_id}",
        "customer_external_id": customer_external_id,
        "status": "paid",
        "currency": store.currency,
        "total": "30.00",
        "placed_at": "2026-03-01T10:00:00Z",
        "lines": [{"title": "Blue Train LP", "quantity": 2, "unit_price": "15.00", "sku": "BT-1"}],
        **fields,
    }
    return upsert_order(store, OrderIn(**data), source="api").obj


def shipment(store, external_id: str, order_external_id: str, **fields):
    data = {
        "external_id": external_id,
        "order_external_id": order_external_id,
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "tracking_url": "https://www.ups.com/track?tracknum=1Z999",
        "shipped_at": "2026-03-02T10:00:00Z",
        **fields,
    }
    return upsert_fulfillment(store, FulfillmentIn(**data), source="api").obj


def cart(store, token: str, customer_external_id: str, **fields):
    data = {
        "token": token,
        "customer_external_id": customer_external_id,
        "currency": store.currency,
        "checkout_url": f"https://shop.example/checkouts/{token}",
        "updated_at": "2026-03-04T12:00:00Z",
        "lines": [{"title": "Kind of Blue LP", "quantity": 1, "unit_price": "22.00"}],
        **fields,
    }
    return upsert_cart(store, CartIn(**data), source="api").obj


def event(store, customer_external_id: str, kind: str, properties: dict, occurred_at: str):
    data = EventIn(
        customer_external_id=customer_external_id,
        kind=kind,
        properties=properties,
        occurred_at=occurred_at,
    )
    return record_event(store, data, source="api").obj


def listed(response) -> list[str]:
    """The names of the rows a list page shows, in order (the bold link of each row)."""
    return re.findall(r'class="row-link" href="[^"]+">([^<]*)</a>', response.content.decode())
