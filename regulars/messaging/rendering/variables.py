"""The variables a message template may use, documented for the dashboard's template editor.

`build_context` (context.py) fills exactly these; `check_template` refuses any other top-level
name, so a typo is caught when the template is saved, not when a customer gets a blank.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str  # as written in a template; "[]" marks each item of a list
    type: str  # text, number, money, date, list, object
    example: str
    meaning: str


def _v(name, type_, example, meaning) -> Variable:
    return Variable(name, type_, example, meaning)


_CUSTOMER = [
    _v("customer", "object", "", "The customer the message goes to."),
    _v("customer.first_name", "text", "Ana", "First name, empty when unknown."),
    _v("customer.last_name", "text", "Petrosyan", "Last name, empty when unknown."),
    _v("customer.name", "text", "Ana Petrosyan", "First and last name, empty when unknown."),
    _v("customer.email", "text", "ana@example.com", "E-mail address."),
    _v("customer.phone", "text", "+37491234567", "Phone number in international form."),
    _v("customer.language", "text", "hy", "Preferred language code."),
    _v("customer.orders_count", "number", "3", "Paid orders so far."),
    _v("customer.total_spent", "money", "120.00 USD", "Total of paid orders so far."),
]

_STORE = [
    _v("store", "object", "", "The store sending the message."),
    _v("store.name", "text", "Vinyl Corner", "The store's name."),
    _v("store.currency", "text", "USD", "The store's currency code."),
    _v("store.url", "text", "https://regulars.example", "The address of this Regulars site."),
]

_ORDER = [
    _v("order", "object", "", "The order the message is about (order and shipping messages)."),
    _v("order.name", "text", "#1001", "The order's number as the store shows it."),
    _v("order.placed_at", "date", "2026-03-01 05:00 EST", "When it was placed, local time."),
    _v("order.status", "text", "paid", "pending, paid, cancelled or refunded."),
    _v("order.subtotal", "money", "30.00 USD", "Sum of the lines."),
    _v("order.discount_total", "money", "5.00 USD", "Discounts applied."),
    _v("order.shipping_total", "money", "4.50 USD", "Shipping cost."),
    _v("order.total", "money", "29.50 USD", "What the customer paid."),
    _v("order.currency", "text", "USD", "The order's currency code."),
    _v("order.coupon_codes", "list", "WELCOME10", "Coupon codes used, a list of texts."),
    _v("order.lines", "list", "", "The items ordered: {% for line in order.lines %}."),
    _v("order.lines[].title", "text", "Blue Train LP", "The item's title."),
    _v("order.lines[].quantity", "number", "2", "How many."),
    _v("order.lines[].price", "money", "15.00 USD", "Price of one."),
    _v("order.lines[].total", "money", "30.00 USD", "Price of the line (quantity × price)."),
    _v("order.lines[].url", "text", "https://shop.example/p/blue-train", "The product's page."),
    _v("order.lines[].image_url", "text", "https://shop.example/i/1.jpg", "The product's image."),
]

_FULFILLMENT = [
    _v("fulfillment", "object", "", "The shipment the message is about."),
    _v("fulfillment.carrier", "text", "UPS", "The carrier."),
    _v("fulfillment.tracking_number", "text", "1Z999AA10123456784", "The tracking number."),
    _v("fulfillment.tracking_url", "text", "https://www.ups.com/track?tracknum=1Z999", "Tracking."),
    _v(
        "fulfillment.status",
        "text",
        "in_transit",
        "in_transit, out_for_delivery, delivered, failed.",
    ),
    _v(
        "fulfillment.shipped_at", "date", "2026-03-02 09:00 EST", "When it was shipped, local time."
    ),
    _v("fulfillment.delivered_at", "date", "", "When it was delivered, empty until then."),
]

_COUPON = [
    _v("coupon", "object", "", "A coupon offered in this message (win-back, welcome...)."),
    _v("coupon.code", "text", "COMEBACK15", "The code to enter at checkout."),
    _v("coupon.description", "text", "15% off your next order", "What it gives."),
    _v("coupon.expires_at", "date", "2026-04-01", "Last day it can be used."),
]

_OTHER = [
    _v(
        "recommended_products",
        "list",
        "",
        "Products picked for this customer: bought "
        "together with theirs, then best sellers; {% for product in recommended_products %}.",
    ),
    _v("recommended_products[].title", "text", "A Love Supreme LP", "The product's title."),
    _v("recommended_products[].url", "text", "https://shop.example/p/a-love-supreme", "Its page."),
    _v("recommended_products[].image_url", "text", "https://shop.example/i/2.jpg", "Its image."),
    _v("recommended_products[].price", "money", "18.00 USD", "Its price."),
    _v(
        "data",
        "object",
        "",
        "Data sent with the message by its sender (the JSON API's `context`), "
        "e.g. {{ data.reply }}; empty otherwise.",
    ),
    _v(
        "unsubscribe_url",
        "text",
        "https://regulars.example/u/…",
        "One-click unsubscribe (marketing messages; empty in transactional ones).",
    ),
    _v(
        "preferences_url",
        "text",
        "https://regulars.example/p/…",
        "The customer's page to choose which messages they get.",
    ),
]

VARIABLES: list[Variable] = _CUSTOMER + _STORE + _ORDER + _FULFILLMENT + _COUPON + _OTHER

# The names a template may use at its top level.
TOP_LEVEL_NAMES = frozenset(v.name.split(".")[0].split("[")[0] for v in VARIABLES)
