"""The only code in `commerce` that writes. Every way data arrives (API, webhooks, CSV, demo)
ends in these functions, so idempotency, stale-update checks and domain events live here once.
"""

from regulars.commerce.services.carts import upsert_cart
from regulars.commerce.services.common import UpsertResult
from regulars.commerce.services.customers import (
    access_customer,
    do_set_consent,
    resolve_customer,
    upsert_customer,
)
from regulars.commerce.services.fulfillments import upsert_fulfillment
from regulars.commerce.services.orders import upsert_order
from regulars.commerce.services.products import upsert_product
from regulars.commerce.services.stats import refresh_customer_stats
from regulars.commerce.services.storefront import record_event

__all__ = [
    "UpsertResult",
    "access_customer",
    "do_set_consent",
    "record_event",
    "refresh_customer_stats",
    "resolve_customer",
    "upsert_cart",
    "upsert_customer",
    "upsert_fulfillment",
    "upsert_order",
    "upsert_product",
]
