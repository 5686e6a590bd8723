"""Everything a demo store holds, as plain values without database ids, one digest per table."""

import hashlib

from regulars.commerce.models import Cart, Customer, Event, Fulfillment, Order, OrderLine, Product
from regulars.feedback.models import Review, SurveyAnswer

_CUSTOMER = (
    "external_id", "email", "phone", "first_name", "last_name", "language", "timezone",
    "birthday", "first_seen_at", "email_consent", "email_consent_at", "email_consent_source",
    "sms_consent", "sms_consent_at", "sms_consent_source", "orders_count", "total_spent",
    "first_order_at", "last_order_at",
)  # fmt: skip


def _rows(store) -> dict[str, list]:
    return {
        "customers": list(
            Customer.objects.filter(store=store).order_by("external_id").values_list(*_CUSTOMER)
        ),
        "products": list(
            Product.objects.filter(store=store)
            .order_by("external_id")
            .values_list("external_id", "sku", "title", "url", "price", "category", "tags")
        ),
        "orders": list(
            Order.objects.filter(store=store)
            .order_by("external_id")
            .values_list(
                "external_id",
                "name",
                "customer__external_id",
                "email",
                "status",
                "total",
                "placed_at",
                "cancelled_at",
                "refunded_at",
            )
        ),
        "order lines": list(
            OrderLine.objects.filter(store=store)
            .order_by("external_id")
            .values_list(
                "external_id", "product__external_id", "title", "quantity", "unit_price", "total"
            )
        ),
        "shipments": list(
            Fulfillment.objects.filter(store=store)
            .order_by("external_id")
            .values_list(
                "external_id",
                "order__external_id",
                "carrier",
                "tracking_number",
                "status",
                "shipped_at",
                "delivered_at",
            )
        ),
        "carts": list(
            Cart.objects.filter(store=store)
            .order_by("token")
            .values_list(
                "token",
                "customer__external_id",
                "lines",
                "value",
                "updated_at",
                "recovered_order__external_id",
            )
        ),
        "events": list(
            Event.objects.filter(store=store)
            .order_by("external_id")
            .values_list(
                "external_id", "customer__external_id", "kind", "properties", "occurred_at"
            )
        ),
        "nps answers": list(
            SurveyAnswer.objects.filter(store=store)
            .order_by("send__order__external_id")
            .values_list("send__order__external_id", "score", "comment", "answered_at", "reply")
        ),
        "reviews": list(
            Review.objects.filter(store=store)
            .order_by("order__external_id", "product__external_id")
            .values_list(
                "order__external_id", "product__external_id", "rating", "body", "status", "reply"
            )
        ),
    }


def fingerprint(store) -> dict[str, tuple[int, str]]:
    """(row count, SHA-256 of the rows) per table."""
    return {
        table: (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        for table, rows in _rows(store).items()
    }
