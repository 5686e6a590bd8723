"""Shopify webhooks: the payloads Shopify sends, mapped to the commerce input models.

Shopify signs the raw body with the store's webhook signing key (or the app's client secret):
X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, body)). The topic is in X-Shopify-Topic and
X-Shopify-Webhook-Id identifies the delivery (the same id again is a retry of it).
Amounts are strings ("404.95"), ids are integers above 2**53, times carry offsets.
"""

from decimal import Decimal, InvalidOperation

from regulars.commerce.errors import IngestError, OrderNotFound
from regulars.commerce.models import Consent, FulfillmentStatus, OrderStatus, Source
from regulars.commerce.schemas import (
    CartIn,
    CartLineIn,
    CustomerIn,
    FulfillmentIn,
    OrderIn,
    OrderLineIn,
    ProductIn,
)
from regulars.commerce.services import (
    upsert_cart,
    upsert_customer,
    upsert_fulfillment,
    upsert_order,
    upsert_product,
)
from regulars.commerce.webhooks.base import (
    PlatformSpec,
    Skip,
    build,
    ext_id,
    header,
    items,
    lenient_language,
    lenient_phone,
    lenient_url,
    moment,
    obj,
    split_tags,
    text,
)
from regulars.core.models import Platform

SOURCE = Source.SHOPIFY

# financial_status -> order status; cancelled_at wins over all of them (see order_status).
FINANCIAL_STATUS = {
    "paid": OrderStatus.PAID,
    "partially_refunded": OrderStatus.PAID,
    "refunded": OrderStatus.REFUNDED,
    "pending": OrderStatus.PENDING,
    "authorized": OrderStatus.PENDING,
    "partially_paid": OrderStatus.PENDING,
    "voided": OrderStatus.CANCELLED,
    "expired": OrderStatus.CANCELLED,  # an authorisation that was never captured
}

# shipment_status (the carrier's tracking state) -> fulfillment status; null means "shipped,
# no tracking news yet".
SHIPMENT_STATUS = {
    None: FulfillmentStatus.IN_TRANSIT,
    "label_printed": FulfillmentStatus.IN_TRANSIT,
    "label_purchased": FulfillmentStatus.IN_TRANSIT,
    "confirmed": FulfillmentStatus.IN_TRANSIT,
    "carrier_picked_up": FulfillmentStatus.IN_TRANSIT,
    "in_transit": FulfillmentStatus.IN_TRANSIT,
    "out_for_delivery": FulfillmentStatus.OUT_FOR_DELIVERY,
    "attempted_delivery": FulfillmentStatus.OUT_FOR_DELIVERY,
    "ready_for_pickup": FulfillmentStatus.OUT_FOR_DELIVERY,
    "picked_up": FulfillmentStatus.DELIVERED,
    "delivered": FulfillmentStatus.DELIVERED,
    "failure": FulfillmentStatus.FAILED,
}
# A fulfillment Shopify itself marks cancelled or failed will not reach the customer, whatever
# the last tracking state said.
_FULFILLMENT_FAILED = {"cancelled", "error", "failure"}

# Shopify's email_marketing_consent / sms_marketing_consent states.
CONSENT_STATE = {
    "subscribed": Consent.SUBSCRIBED,
    "pending": Consent.PENDING,
    "unsubscribed": Consent.UNSUBSCRIBED,
    "not_subscribed": Consent.UNKNOWN,
    # Erased on the customer's request, or an address that cannot receive mail: never contact.
    "redacted": Consent.UNSUBSCRIBED,
    "invalid": Consent.UNSUBSCRIBED,
}

_ORDER_ORIGIN = {
    "external_id": "id",
    "subtotal": "total_line_items_price",
    "discount_total": "total_discounts",
    "shipping_total": "total_shipping_price_set.shop_money.amount",
    "tax_total": "total_tax",
    "total": "total_price",
    "coupon_codes": "discount_codes",
    "placed_at": "processed_at",
    "refunded_at": "refunds.created_at",
    "cart_token": "checkout_token",
    "lines": "line_items",
}
_LINE_ORIGIN = {"external_id": "id", "product_external_id": "product_id", "unit_price": "price"}
_CUSTOMER_ORIGIN = {
    "external_id": "id",
    "first_seen_at": "created_at",
    "email_consent": "email_marketing_consent.state",
    "email_consent_at": "email_marketing_consent.consent_updated_at",
    "sms_consent": "sms_marketing_consent.state",
    "sms_consent_at": "sms_marketing_consent.consent_updated_at",
}
_FULFILLMENT_ORIGIN = {
    "external_id": "id",
    "order_external_id": "order_id",
    "carrier": "tracking_company",
    "status": "shipment_status",
    "shipped_at": "created_at",
}
_CART_ORIGIN = {
    "value": "total_price",
    "checkout_url": "abandoned_checkout_url",
    "completed_order_external_id": "order_id",
    "lines": "line_items",
}
_CART_LINE_ORIGIN = {"product_external_id": "product_id", "unit_price": "price"}
_PRODUCT_ORIGIN = {
    "external_id": "id",
    "url": "handle",
    "image_url": "image.src",
    "price": "variants.price",
    "category": "product_type",
}


# --- statuses -------------------------------------------------------------------------------


def order_status(payload: dict) -> OrderStatus:
    if payload.get("cancelled_at"):
        return OrderStatus.CANCELLED
    return FINANCIAL_STATUS.get(payload.get("financial_status"), OrderStatus.PENDING)


def fulfillment_status(payload: dict) -> FulfillmentStatus:
    if payload.get("status") in _FULFILLMENT_FAILED:
        return FulfillmentStatus.FAILED
    return SHIPMENT_STATUS.get(payload.get("shipment_status"), FulfillmentStatus.IN_TRANSIT)


def consent_state(value: object, field: str) -> Consent | None:
    """Shopify's consent state (any case); None when Shopify sent none (nothing changes)."""
    if value is None or value == "":
        return None
    state = CONSENT_STATE.get(str(value).lower())
    if state is None:
        raise IngestError(
            f"{field}: {value!r} is not a consent state Shopify documents "
            f"({', '.join(CONSENT_STATE)})",
            field=field,
        )
    return state


# --- payload -> input models ----------------------------------------------------------------


def customer_in(
    payload: object, prefix: str = "", locale: object = None, seen_at: object = None
) -> CustomerIn | None:
    """A customer object (top level or embedded in an order or checkout); None for a guest.

    `seen_at` stands in for a missing created_at (embedded customers often carry null): the
    customer was seen at the latest when they placed that order or checkout.
    """
    c = obj(payload)
    if not (c.get("id") or c.get("email") or c.get("phone")):
        return None
    region = obj(c.get("default_address")).get("country_code")
    values = {
        "external_id": ext_id(c.get("id")),
        "email": c.get("email") or "",
        "phone": lenient_phone(c.get("phone"), region),
        "first_name": text(c.get("first_name"), 100),
        "last_name": text(c.get("last_name"), 100),
        "language": lenient_language(c.get("locale") or locale),
        "tags": split_tags(c.get("tags")),
        "first_seen_at": moment(c.get("created_at")) or seen_at,
        "updated_at": moment(c.get("updated_at")),
        **_consent_values(c, prefix),
    }
    return build(CustomerIn, values, _CUSTOMER_ORIGIN, prefix)


def _consent_values(c: dict, prefix: str) -> dict:
    where = f"{prefix}." if prefix else ""
    values = {}
    email = obj(c.get("email_marketing_consent"))
    if email:
        values["email_consent"] = consent_state(
            email.get("state"), f"{where}email_marketing_consent.state"
        )
        values["email_consent_at"] = moment(email.get("consent_updated_at"))
    elif isinstance(c.get("accepts_marketing"), bool):
        # Admin API versions before 2022-04 had only this flag.
        values["email_consent"] = CONSENT_STATE[
            "subscribed" if c["accepts_marketing"] else "not_subscribed"
        ]
        values["email_consent_at"] = moment(c.get("accepts_marketing_updated_at"))
    sms = obj(c.get("sms_marketing_consent"))
    if sms:
        values["sms_consent"] = consent_state(
            sms.get("state"), f"{where}sms_marketing_consent.state"
        )
        values["sms_consent_at"] = moment(sms.get("consent_updated_at"))
    return values


def _shipping_total(payload: dict) -> object:
    shop_money = obj(obj(payload.get("total_shipping_price_set")).get("shop_money"))
    if shop_money.get("amount") is not None:
        return shop_money["amount"]
    prices = [obj(line).get("price") for line in items(payload.get("shipping_lines"))]
    try:
        return sum((Decimal(str(p)) for p in prices if p is not None), Decimal(0))
    except InvalidOperation:
        return prices[0]


def _refunded_at(payload: dict) -> object:
    refunds = [obj(r) for r in items(payload.get("refunds"))]
    return moment(refunds[-1].get("created_at")) if refunds else None


def order_in(payload: dict) -> OrderIn:
    lines = [
        build(
            OrderLineIn,
            {
                "external_id": ext_id(item.get("id")),
                "product_external_id": ext_id(item.get("product_id")),
                "sku": text(item.get("sku"), 64),
                "title": text(item.get("name") or item.get("title"), 300),
                "quantity": item.get("quantity"),
                "unit_price": item.get("price"),
            },
            _LINE_ORIGIN,
            f"line_items[{i}]",
        )
        for i, item in enumerate(obj(x) for x in items(payload.get("line_items")))
    ]
    status = order_status(payload)
    placed_at = moment(payload.get("processed_at") or payload.get("created_at"))
    values = {
        "external_id": ext_id(payload.get("id")),
        "name": text(payload.get("name"), 64),
        "customer": customer_in(
            payload.get("customer"), "customer", payload.get("customer_locale"), placed_at
        ),
        "email": payload.get("email") or payload.get("contact_email") or "",
        "status": status,
        "currency": payload.get("currency"),
        "subtotal": payload.get("total_line_items_price"),
        "discount_total": payload.get("total_discounts") or "0",
        "shipping_total": _shipping_total(payload),
        "tax_total": payload.get("total_tax") or "0",
        "total": payload.get("total_price"),
        "coupon_codes": [
            text(obj(d).get("code"), 100) for d in items(payload.get("discount_codes"))
        ],
        "placed_at": placed_at,
        "cancelled_at": moment(payload.get("cancelled_at")),
        "refunded_at": _refunded_at(payload) if status == OrderStatus.REFUNDED else None,
        "cart_token": text(payload.get("checkout_token"), 128),
        "lines": lines,
        "updated_at": moment(payload.get("updated_at")),
    }
    return build(OrderIn, values, _ORDER_ORIGIN)


def fulfillment_in(payload: dict, *, order_id: str = "", prefix: str = "") -> FulfillmentIn:
    numbers = [n for n in items(payload.get("tracking_numbers")) if n]
    urls = [u for u in items(payload.get("tracking_urls")) if u]
    values = {
        "external_id": ext_id(payload.get("id")),
        "order_external_id": ext_id(payload.get("order_id")) or order_id,
        "carrier": text(payload.get("tracking_company"), 100),
        "tracking_number": text(payload.get("tracking_number") or next(iter(numbers), ""), 100),
        # A malformed tracking link must not cost the merchant the shipment itself.
        "tracking_url": lenient_url(payload.get("tracking_url") or next(iter(urls), "")),
        "status": fulfillment_status(payload),
        "shipped_at": moment(payload.get("created_at")),
        "updated_at": moment(payload.get("updated_at")),
    }
    return build(FulfillmentIn, values, _FULFILLMENT_ORIGIN, prefix)


def cart_in(payload: dict) -> CartIn:
    lines = [
        build(
            CartLineIn,
            {
                "product_external_id": ext_id(item.get("product_id")),
                "sku": text(item.get("sku"), 64),
                "title": text(_line_title(item), 300),
                "quantity": item.get("quantity"),
                "unit_price": item.get("price"),
            },
            _CART_LINE_ORIGIN,
            f"line_items[{i}]",
        )
        for i, item in enumerate(obj(x) for x in items(payload.get("line_items")))
    ]
    values = {
        # The 2026-04 payload has no top-level id; the checkout token is the stable key (and
        # the order's checkout_token names it, which is how the order recovers the cart).
        "token": text(payload.get("token"), 128) or ext_id(payload.get("id")),
        "customer": customer_in(
            payload.get("customer"),
            "customer",
            payload.get("customer_locale"),
            moment(payload.get("created_at")),
        ),
        "email": payload.get("email") or "",
        "lines": lines,
        "value": payload.get("total_price"),
        "currency": payload.get("currency") or payload.get("presentment_currency"),
        "checkout_url": payload.get("abandoned_checkout_url") or "",
        "updated_at": moment(payload.get("updated_at") or payload.get("created_at")),
        "completed_order_external_id": ext_id(payload.get("order_id")),
    }
    return build(CartIn, values, _CART_ORIGIN)


def _line_title(item: dict) -> str:
    title = item.get("title") or item.get("presentment_title") or ""
    variant = item.get("variant_title")
    return f"{title} - {variant}" if title and variant else title


def product_in(payload: dict, headers) -> ProductIn:
    variants = [obj(v) for v in items(payload.get("variants"))]
    image = obj(payload.get("image")) or next(
        iter(obj(i) for i in items(payload.get("images"))), {}
    )
    values = {
        "external_id": ext_id(payload.get("id")),
        "sku": text(variants[0].get("sku"), 64) if len(variants) == 1 else "",
        "title": text(payload.get("title"), 300),
        "url": _product_url(headers, payload.get("handle")),
        "image_url": image.get("src") or "",
        "price": _lowest_price(variants),
        "category": text(payload.get("product_type"), 200),
        "tags": split_tags(payload.get("tags")),
        "published": payload.get("status", "active") == "active"
        and payload.get("published_at") is not None,
        "in_stock": _in_stock(variants),
        "updated_at": moment(payload.get("updated_at")),
    }
    return build(ProductIn, values, _PRODUCT_ORIGIN)


def _product_url(headers, handle: object) -> str:
    # The storefront address of a product is the shop's domain plus its handle; the
    # .myshopify.com domain redirects to the shop's own domain.
    domain = header(headers, "X-Shopify-Shop-Domain").strip().lower()
    if not handle or not domain.endswith(".myshopify.com"):
        return ""
    return lenient_url(f"https://{domain}/products/{handle}")


def _lowest_price(variants: list[dict]) -> object:
    lowest = None
    for i, variant in enumerate(variants):
        price = variant.get("price")
        if price in (None, ""):
            continue
        try:
            amount = Decimal(str(price))
        except InvalidOperation:
            raise IngestError(
                f"variants[{i}].price: {price!r} is not an amount", field=f"variants[{i}].price"
            ) from None
        lowest = amount if lowest is None else min(lowest, amount)
    return lowest


def _in_stock(variants: list[dict]) -> bool:
    """In stock while one variant can be sold: untracked, stock left, or oversell allowed."""
    if not variants:
        return True
    return any(
        not isinstance(v.get("inventory_quantity"), int)
        or v["inventory_quantity"] > 0
        or v.get("inventory_policy") == "continue"
        for v in variants
    )


# --- topic handlers -------------------------------------------------------------------------


def handle_order(store, payload: dict, headers) -> str:
    data = order_in(payload)
    result = upsert_order(store, data, source=SOURCE)
    # orders/updated and orders/fulfilled carry the order's shipments too.
    for i, shipment in enumerate(obj(f) for f in items(payload.get("fulfillments"))):
        upsert_fulfillment(
            store,
            fulfillment_in(shipment, order_id=data.external_id, prefix=f"fulfillments[{i}]"),
            source=SOURCE,
        )
    return f"order {data.external_id} {result.outcome}"


def handle_fulfillment(store, payload: dict, headers) -> str:
    data = fulfillment_in(payload)
    try:
        result = upsert_fulfillment(store, data, source=SOURCE)
    except OrderNotFound as exc:
        # Name Shopify's field; the delivery is retried and can be replayed once the order is in.
        raise OrderNotFound(data.order_external_id, field="order_id") from exc
    return f"fulfillment {data.external_id} {result.outcome}"


def handle_checkout(store, payload: dict, headers) -> str | Skip:
    if payload.get("completed_at") and not payload.get("order_id"):
        return Skip(
            f"checkout completed at {payload['completed_at']}: not an abandoned cart; the order "
            "whose checkout_token names it marks the cart recovered"
        )
    data = cart_in(payload)
    result = upsert_cart(store, data, source=SOURCE)
    return f"cart {data.token} {result.outcome}"


def handle_customer(store, payload: dict, headers) -> str:
    data = customer_in(payload)
    if data is None:
        raise IngestError("id: a customer needs an id, an email or a phone", field="id")
    result = upsert_customer(store, data, source=SOURCE)
    return f"customer {data.external_id or data.email} {result.outcome}"


def handle_email_consent(store, payload: dict, headers) -> str:
    consent = obj(payload.get("email_marketing_consent"))
    values = {
        "external_id": ext_id(payload.get("customer_id")),
        "email": payload.get("email_address") or "",
        "email_consent": consent_state(consent.get("state"), "email_marketing_consent.state"),
        "email_consent_at": moment(consent.get("consent_updated_at")),
    }
    origin = {**_CUSTOMER_ORIGIN, "external_id": "customer_id", "email": "email_address"}
    data = build(CustomerIn, values, origin)
    result = upsert_customer(store, data, source=SOURCE)
    return f"customer {data.external_id} e-mail consent {result.outcome}"


def handle_sms_consent(store, payload: dict, headers) -> str:
    consent = obj(payload.get("sms_marketing_consent"))
    values = {
        "external_id": ext_id(payload.get("id")),
        "phone": lenient_phone(payload.get("phone")),
        "sms_consent": consent_state(consent.get("state"), "sms_marketing_consent.state"),
        "sms_consent_at": moment(consent.get("consent_updated_at")),
    }
    data = build(CustomerIn, values, _CUSTOMER_ORIGIN)
    result = upsert_customer(store, data, source=SOURCE)
    return f"customer {data.external_id} SMS consent {result.outcome}"


def handle_product(store, payload: dict, headers) -> str:
    data = product_in(payload, headers)
    result = upsert_product(store, data, source=SOURCE)
    return f"product {data.external_id} {result.outcome}"


TOPICS = {
    "orders/create": handle_order,
    "orders/updated": handle_order,
    "orders/paid": handle_order,
    "orders/cancelled": handle_order,
    "orders/fulfilled": handle_order,
    "orders/partially_fulfilled": handle_order,
    "fulfillments/create": handle_fulfillment,
    "fulfillments/update": handle_fulfillment,
    "checkouts/create": handle_checkout,
    "checkouts/update": handle_checkout,
    "customers/create": handle_customer,
    "customers/update": handle_customer,
    "customers_email_marketing_consent/update": handle_email_consent,
    "customers_marketing_consent/update": handle_sms_consent,
    "products/create": handle_product,
    "products/update": handle_product,
}

SPEC = PlatformSpec(
    name=Platform.SHOPIFY,
    label="Shopify",
    signature_header="X-Shopify-Hmac-Sha256",
    topic_header="X-Shopify-Topic",
    delivery_id_header="X-Shopify-Webhook-Id",
    topics=TOPICS,
)
