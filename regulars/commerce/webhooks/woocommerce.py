"""WooCommerce webhooks: REST API v3 resources (orders, customers, products) as WooCommerce
delivers them, mapped to the commerce input models.

WooCommerce signs the raw body with the webhook's secret: X-WC-Webhook-Signature =
base64(HMAC-SHA256(secret, body)); the topic is in X-WC-Webhook-Topic ("order.created") and
X-WC-Webhook-Delivery-ID identifies the delivery. When a merchant saves a new webhook,
WooCommerce first posts an unsigned form body `webhook_id=<id>` and refuses to save the webhook
unless that ping gets a 2xx.

Times: `date_created` etc. are in the site's time zone without an offset; the `*_gmt` twins are
UTC, so those are used. Money values are strings; line prices may be JSON numbers.
"""

import html
import re
from decimal import Decimal, InvalidOperation

from regulars.commerce.models import OrderStatus, Source
from regulars.commerce.schemas import CustomerIn, OrderIn, OrderLineIn, ProductIn
from regulars.commerce.services import upsert_customer, upsert_order, upsert_product
from regulars.commerce.webhooks.base import (
    PlatformSpec,
    build,
    ext_id,
    gmt,
    header,
    items,
    lenient_phone,
    moment,
    obj,
    split_tags,
    text,
)
from regulars.commerce.webhooks.signatures import wp_specialchars_decode
from regulars.core.models import Platform

SOURCE = Source.WOOCOMMERCE

ORDER_STATUS = {
    "processing": OrderStatus.PAID,  # paid, waiting to be shipped
    "completed": OrderStatus.PAID,
    "pending": OrderStatus.PENDING,  # waiting for payment
    "on-hold": OrderStatus.PENDING,  # waiting for a manual payment (bank transfer, cheque)
    "cancelled": OrderStatus.CANCELLED,
    "failed": OrderStatus.CANCELLED,
    "refunded": OrderStatus.REFUNDED,
}

_ORDER_ORIGIN = {
    "external_id": "id",
    "name": "number",
    "email": "billing.email",
    "tax_total": "total_tax",
    "coupon_codes": "coupon_lines",
    "placed_at": "date_created_gmt",
    "paid_at": "date_paid_gmt",
    "updated_at": "date_modified_gmt",
    "lines": "line_items",
}
_LINE_ORIGIN = {
    "external_id": "id",
    "product_external_id": "product_id",
    "title": "name",
    "unit_price": "subtotal",
    "total": "subtotal",
}
_CUSTOMER_ORIGIN = {
    "email_consent": "meta_data",
    "sms_consent": "meta_data",
    "external_id": "id",
    "phone": "billing.phone",
    "first_seen_at": "date_created_gmt",
    "updated_at": "date_modified_gmt",
}
_ORDER_CUSTOMER_ORIGIN = {
    "email_consent": "meta_data",
    "sms_consent": "meta_data",
    "external_id": "customer_id",
    "first_seen_at": "date_created_gmt",
    "email": "billing.email",
    "phone": "billing.phone",
    "first_name": "billing.first_name",
    "last_name": "billing.last_name",
}
_PRODUCT_ORIGIN = {
    "external_id": "id",
    "title": "name",
    "url": "permalink",
    "image_url": "images[0].src",
    "category": "categories[0].name",
    "updated_at": "date_modified_gmt",
}
_PING = re.compile(rb"^webhook_id=(\d+)$")


def order_status(value: object) -> OrderStatus:
    # Statuses added by plugins (and checkout-draft) are orders not paid yet.
    return ORDER_STATUS.get(value, OrderStatus.PENDING)


def _time(payload: dict, name: str) -> object:
    """The UTC `<name>_gmt` value; the site-local one only when a store sends no GMT twin
    (the services then read it in the store's time zone)."""
    return gmt(payload.get(f"{name}_gmt")) or moment(payload.get(name))


# --- payload -> input models ----------------------------------------------------------------


def _order_customer(payload: dict, billing: dict) -> CustomerIn | None:
    # customer_id 0 is a guest checkout: the customer is known by the billing e-mail only.
    values = {
        "external_id": ext_id(payload.get("customer_id")),
        "email": billing.get("email") or "",
        "phone": lenient_phone(billing.get("phone"), billing.get("country")),
        "first_name": text(billing.get("first_name"), 100),
        "last_name": text(billing.get("last_name"), 100),
        # Seen at the latest when this order was placed.
        "first_seen_at": _time(payload, "date_created"),
        **_consent_values(payload),
    }
    if not (values["external_id"] or values["email"] or values["phone"]):
        return None
    return build(CustomerIn, values, _ORDER_CUSTOMER_ORIGIN)


def _line_values(item: dict) -> dict:
    # `subtotal` is the line before coupons (coupons are the order's discount_total), the same
    # basis as Shopify's line price; the unit price is derived from it.
    quantity, subtotal = item.get("quantity"), item.get("subtotal")
    unit_price = subtotal
    try:
        if isinstance(quantity, int) and quantity > 0:
            unit_price = (Decimal(str(subtotal)) / quantity).quantize(Decimal("0.001"))
    except InvalidOperation:
        pass  # the model reports the bad subtotal under its own name
    return {
        "external_id": ext_id(item.get("id")),
        "product_external_id": ext_id(item.get("product_id")),
        "sku": text(item.get("sku"), 64),
        "title": text(html.unescape(str(item.get("name") or "")), 300),
        "quantity": quantity,
        "unit_price": unit_price,
        "total": subtotal,
    }


def order_in(payload: dict) -> OrderIn:
    billing = obj(payload.get("billing"))
    lines = [
        build(OrderLineIn, _line_values(item), _LINE_ORIGIN, f"line_items[{i}]")
        for i, item in enumerate(obj(x) for x in items(payload.get("line_items")))
    ]
    number = text(payload.get("number"), 63)
    values = {
        "external_id": ext_id(payload.get("id")),
        "name": f"#{number}" if number else "",
        "customer": _order_customer(payload, billing),
        "email": billing.get("email") or "",
        "status": order_status(payload.get("status")),
        "currency": payload.get("currency"),
        "discount_total": payload.get("discount_total") or "0",
        "shipping_total": payload.get("shipping_total") or "0",
        "tax_total": payload.get("total_tax") or "0",
        "total": payload.get("total"),
        "coupon_codes": [text(obj(c).get("code"), 100) for c in items(payload.get("coupon_lines"))],
        "placed_at": _time(payload, "date_created"),
        "paid_at": _time(payload, "date_paid"),
        "lines": lines,
        "updated_at": _time(payload, "date_modified"),
    }
    return build(OrderIn, values, _ORDER_ORIGIN)


# Marketing consent: WooCommerce has none of its own. A store passes it as meta data, either
# from WooCommerce's additional checkout fields (a checkbox registered as
# "regulars/email-marketing" or "regulars/sms-marketing", kept as `_wc_other/<id>`: ticked
# means subscribed, unticked says nothing), or as a consent state it sets on the customer
# (`regulars_email_consent` / `regulars_sms_consent`: subscribed, unsubscribed). docs/webhooks.md.
_CONSENT_CHECKBOXES = {
    "_wc_other/regulars/email-marketing": "email_consent",
    "_wc_other/regulars/sms-marketing": "sms_consent",
}
_CONSENT_STATES = {"regulars_email_consent": "email_consent", "regulars_sms_consent": "sms_consent"}
_TICKED = {"1", "yes", "true", "on"}


def _consent_values(payload: dict) -> dict:
    values = {}
    for entry in (obj(m) for m in items(payload.get("meta_data"))):
        key, value = entry.get("key"), entry.get("value")
        if key in _CONSENT_CHECKBOXES and str(value).strip().lower() in _TICKED:
            values[_CONSENT_CHECKBOXES[key]] = "subscribed"
        elif key in _CONSENT_STATES:
            values[_CONSENT_STATES[key]] = str(value).strip().lower()
    at = _time(payload, "date_modified")
    return values | {f"{field}_at": at for field in values}


def customer_in(payload: dict) -> CustomerIn:
    billing = obj(payload.get("billing"))
    values = {
        "external_id": ext_id(payload.get("id")),
        "email": payload.get("email") or billing.get("email") or "",
        "phone": lenient_phone(billing.get("phone"), billing.get("country")),
        "first_name": text(payload.get("first_name") or billing.get("first_name"), 100),
        "last_name": text(payload.get("last_name") or billing.get("last_name"), 100),
        "first_seen_at": _time(payload, "date_created"),
        "updated_at": _time(payload, "date_modified"),
        **_consent_values(payload),
    }
    return build(CustomerIn, values, _CUSTOMER_ORIGIN)


def product_in(payload: dict) -> ProductIn:
    image = next(iter(obj(i) for i in items(payload.get("images"))), {})
    category = next(iter(obj(c) for c in items(payload.get("categories"))), {})
    price = payload.get("price")
    values = {
        "external_id": ext_id(payload.get("id")),
        "sku": text(payload.get("sku"), 64),
        "title": text(html.unescape(str(payload.get("name") or "")), 300),
        "url": payload.get("permalink") or "",
        "image_url": image.get("src") or "",
        # A variable product without a price of its own sends "".
        "price": None if price in (None, "") else price,
        "category": text(html.unescape(str(category.get("name") or "")), 200),
        "tags": split_tags(payload.get("tags")),
        "published": payload.get("status", "publish") == "publish",
        "in_stock": payload.get("stock_status") != "outofstock",
        "updated_at": _time(payload, "date_modified"),
    }
    return build(ProductIn, values, _PRODUCT_ORIGIN)


# --- topic handlers -------------------------------------------------------------------------


def handle_order(store, payload: dict, headers) -> str:
    data = order_in(payload)
    result = upsert_order(store, data, source=SOURCE)
    return f"order {data.external_id} {result.outcome}"


def handle_customer(store, payload: dict, headers) -> str:
    data = customer_in(payload)
    result = upsert_customer(store, data, source=SOURCE)
    return f"customer {data.external_id} {result.outcome}"


def handle_product(store, payload: dict, headers) -> str:
    data = product_in(payload)
    result = upsert_product(store, data, source=SOURCE)
    return f"product {data.external_id} {result.outcome}"


def ping_note(headers, body: bytes) -> str:
    """The note to keep when this request is WooCommerce's creation ping, else ""."""
    if header(headers, "X-WC-Webhook-Signature"):
        return ""
    match = _PING.match(body.strip())
    if match is None:
        return ""
    return (
        f"WooCommerce's test ping for its webhook {match.group(1).decode()}: answered 200 so "
        "the webhook can be saved; nothing to process"
    )


TOPICS = {
    "order.created": handle_order,
    "order.updated": handle_order,
    "customer.created": handle_customer,
    "customer.updated": handle_customer,
    "product.created": handle_product,
    "product.updated": handle_product,
}

SPEC = PlatformSpec(
    name=Platform.WOOCOMMERCE,
    label="WooCommerce",
    signature_header="X-WC-Webhook-Signature",
    topic_header="X-WC-Webhook-Topic",
    delivery_id_header="X-WC-Webhook-Delivery-ID",
    topics=TOPICS,
    signing_key=wp_specialchars_decode,
    ping_note=ping_note,
)
