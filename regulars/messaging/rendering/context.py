"""The variables of a message for one customer (see variables.py for what each one means).

Everything here is plain data (dicts, lists, text, numbers): templates never see a model
instance, so a template cannot reach the ORM or Python internals through a variable.
Money is text with its currency ("12.50 USD"), times are text in the customer's time zone.
"""

from django.conf import settings

from regulars.commerce.models import Customer, Fulfillment, Order, OrderLine
from regulars.core.errors import RegularsError
from regulars.messaging.rendering.formatting import format_money, local_time
from regulars.messaging.rendering.recommend import recommended_products

# Keys a coupon dict may carry; coupons come from the promotions issue, as plain dicts.
COUPON_KEYS = ("code", "description", "expires_at")


def build_context(
    store,
    customer: Customer,
    *,
    order: Order | None = None,
    fulfillment: Fulfillment | None = None,
    coupon: dict | None = None,
    extra: dict | None = None,
    recommendations: bool = True,
) -> dict:
    """The documented variables for `customer` (and the order, shipment and coupon a message
    is about). `extra` is merged last (the sender fills `unsubscribe_url` that way).
    `recommendations=False` skips the two recommendation queries when the template does not
    use them (see `template_variables`)."""
    _check_same_store(store, customer, "customer")
    zone = customer.timezone or store.timezone
    context = {
        "customer": customer_variables(customer, store),
        "store": {"name": store.name, "currency": store.currency, "url": settings.BASE_URL},
        "order": None,
        "fulfillment": None,
        "coupon": _coupon_variables(coupon),
        "recommended_products": (recommended_products(store, customer) if recommendations else []),
        "data": {},
        "unsubscribe_url": "",
        "preferences_url": "",
    }
    if order is not None:
        _check_same_store(store, order, "order")
        context["order"] = order_variables(order, zone)
    if fulfillment is not None:
        _check_same_store(store, fulfillment, "fulfillment")
        context["fulfillment"] = fulfillment_variables(fulfillment, zone)
    return context | (extra or {})


def _check_same_store(store, obj, field: str) -> None:
    if obj.store_id != store.pk:
        raise RegularsError(f"The {field} belongs to another store.", field=field)


def customer_variables(customer: Customer, store) -> dict:
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "name": f"{customer.first_name} {customer.last_name}".strip(),
        "email": customer.email,
        "phone": customer.phone,
        "language": customer.language or store.default_language,
        "orders_count": customer.orders_count,
        "total_spent": format_money(customer.total_spent, store.currency),
    }


def order_variables(order: Order, zone: str) -> dict:
    currency = order.currency
    if "lines" in getattr(order, "_prefetched_objects_cache", {}):  # a send to many prefetches
        lines = order.lines.all()
    else:
        lines = OrderLine.objects.filter(order=order).select_related("product").order_by("pk")
    return {
        "name": order.name or order.external_id,
        "placed_at": local_time(order.placed_at, zone),
        "status": order.status,
        "subtotal": format_money(order.subtotal, currency),
        "discount_total": format_money(order.discount_total, currency),
        "shipping_total": format_money(order.shipping_total, currency),
        "total": format_money(order.total, currency),
        "currency": currency,
        "coupon_codes": [str(code) for code in order.coupon_codes or []],
        "lines": [_line_variables(line, currency) for line in lines],
    }


def _line_variables(line: OrderLine, currency: str) -> dict:
    product = line.product
    return {
        "title": line.title,
        "quantity": line.quantity,
        "price": format_money(line.unit_price, currency),
        "total": format_money(line.total, currency),
        "url": product.url if product else "",
        "image_url": product.image_url if product else "",
    }


def fulfillment_variables(fulfillment: Fulfillment, zone: str) -> dict:
    return {
        "carrier": fulfillment.carrier,
        "tracking_number": fulfillment.tracking_number,
        "tracking_url": fulfillment.tracking_url,
        "status": fulfillment.status,
        "shipped_at": local_time(fulfillment.shipped_at, zone),
        "delivered_at": local_time(fulfillment.delivered_at, zone),
    }


def _coupon_variables(coupon: dict | None) -> dict | None:
    if coupon is None:
        return None
    values = {key: "" for key in COUPON_KEYS}
    values.update({str(k): v for k, v in coupon.items()})
    return values
