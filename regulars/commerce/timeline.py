"""One timeline per customer, composed from the source tables through a registry of providers.

A provider is `fn(customer, *, before, limit) -> iterable of TimelineEntry`: the customer's
`limit` newest entries strictly older than `before` (None: no bound), from ONE query, newest
first. `timeline_for` asks every provider and merges their sorted lists by time, so the cost
is one query per provider whatever the length of the customer's history.

commerce registers its providers below; later apps (messaging, feedback) call
`register_timeline_provider` in their `AppConfig.ready()`.
"""

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import DateTimeField, F, IntegerField, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from regulars.commerce.models import (
    Cart,
    Customer,
    Event,
    Fulfillment,
    FulfillmentStatus,
    Order,
)

# A cart untouched this long without an order is shown as abandoned rather than open.
CART_ABANDONED_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to a customer. Text fields are plain text, escaped on display."""

    at: datetime
    kind: str  # e.g. "order.placed", "fulfillment.delivered", "cart.abandoned", "event.searched"
    title: str
    detail: str = ""
    link: str = ""  # an external http(s) address: tracking page, checkout, product page
    link_label: str = ""
    amount: Decimal | None = None
    currency: str = ""
    icon: str = "event"  # a CSS modifier naming the pictogram: order, paid, ship, cart...
    tone: str = "neutral"  # neutral, good, bad, warn, info: the colour of the marker
    ref_kind: str = ""  # what the entry is about, for a link inside Regulars: "order"
    ref_id: int | None = None
    # Orders entries that share one instant: a higher rank is the later step (paid after placed).
    rank: int = 0

    @property
    def sort_key(self) -> tuple:
        return (self.at, self.rank, self.kind, self.ref_id or 0)


Provider = Callable[..., Iterable[TimelineEntry]]
_providers: list[Provider] = []


def register_timeline_provider(fn: Provider) -> Provider:
    """Add a source of entries (idempotent); usable as a decorator."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def timeline_providers() -> list[Provider]:
    return list(_providers)


def timeline_for(
    customer: Customer, *, before: datetime | None = None, limit: int = 50
) -> list[TimelineEntry]:
    """The customer's `limit` newest entries older than `before`, newest first."""
    streams = [
        sorted(provider(customer, before=before, limit=limit), key=_key, reverse=True)
        for provider in _providers
    ]
    merged = heapq.merge(*streams, key=_key, reverse=True)
    return list(itertools.islice(merged, limit))


def timeline_page(
    customer: Customer, *, before: datetime | None = None, limit: int = 50
) -> tuple[list[TimelineEntry], datetime | None]:
    """A page of the timeline and the `before` value of the next page (None on the last).

    The next page starts strictly before the last shown instant, so a page never ends inside a
    group of entries sharing one instant (an order placed and paid at the same second): the
    group moves whole to the next page.
    """
    entries = timeline_for(customer, before=before, limit=limit + 1)
    if len(entries) <= limit:
        return entries, None
    overflow, page = entries[limit], entries[:limit]
    trimmed = [entry for entry in page if entry.at != overflow.at]
    if trimmed:
        page = trimmed
    return page, page[-1].at


def _key(entry: TimelineEntry) -> tuple:
    return entry.sort_key


def _before(field: str, before: datetime | None) -> Q:
    condition = Q(**{f"{field}__isnull": False})
    if before is not None:
        condition &= Q(**{f"{field}__lt": before})
    return condition


def _stamped(queryset, *, field: str, step: str, rank: int, columns: list[str]):
    """The rows of `queryset` that carry `field`, each with its time as `at` and its step name."""
    return (
        queryset.filter(_before(field, None))
        .annotate(
            at=F(field),
            step=Value(step),
            step_rank=Value(rank, output_field=IntegerField()),
        )
        .values_list(*columns, "at", "step", "step_rank")
    )


def _newest_of_union(parts: list, *, before: datetime | None, limit: int) -> list[tuple]:
    """UNION ALL of the stamped parts, newest first, in one query."""
    if before is not None:
        parts = [part.filter(at__lt=before) for part in parts]
    union = parts[0].union(*parts[1:], all=True)
    return list(union.order_by("-at")[:limit])


# --- orders -----------------------------------------------------------------------------------

_ORDER_STEPS = [
    # (time field, step, rank, title, icon, tone)
    ("placed_at", "placed", 0, "Placed order {name}", "order", "info"),
    ("paid_at", "paid", 1, "Paid order {name}", "paid", "good"),
    ("cancelled_at", "cancelled", 2, "Cancelled order {name}", "cancel", "bad"),
    ("refunded_at", "refunded", 3, "Refunded order {name}", "refund", "warn"),
]
_ORDER_COLUMNS = ["pk", "name", "external_id", "total", "currency", "coupon_codes"]


@register_timeline_provider
def order_entries(customer: Customer, *, before, limit: int) -> list[TimelineEntry]:
    orders = Order.objects.filter(store_id=customer.store_id, customer=customer).order_by()
    parts = [
        _stamped(orders, field=field, step=step, rank=rank, columns=_ORDER_COLUMNS)
        for field, step, rank, *_ in _ORDER_STEPS
    ]
    looks = {step: (title, icon, tone) for _, step, _, title, icon, tone in _ORDER_STEPS}
    entries = []
    for pk, name, external_id, total, currency, coupons, at, step, rank in _newest_of_union(
        parts, before=before, limit=limit
    ):
        title, icon, tone = looks[step]
        entries.append(
            TimelineEntry(
                at=at,
                kind=f"order.{step}",
                title=title.format(name=name or f"#{external_id}"),
                detail=_coupon_text(coupons) if step == "placed" else "",
                amount=total,
                currency=currency,
                icon=icon,
                tone=tone,
                ref_kind="order",
                ref_id=pk,
                rank=rank,
            )
        )
    return entries


def _coupon_text(coupons) -> str:
    codes = [str(code) for code in coupons or [] if code]
    if not codes:
        return ""
    return ("Coupon " if len(codes) == 1 else "Coupons ") + ", ".join(codes)


# --- shipments --------------------------------------------------------------------------------

_FULFILLMENT_COLUMNS = [
    "pk",
    "order_id",
    "order__name",
    "order__external_id",
    "carrier",
    "tracking_number",
    "tracking_url",
]


@register_timeline_provider
def fulfillment_entries(customer: Customer, *, before, limit: int) -> list[TimelineEntry]:
    shipments = Fulfillment.objects.filter(
        store_id=customer.store_id, order__customer=customer
    ).order_by()
    # A failed delivery has no time of its own: the platform's last update says when it failed.
    failed = shipments.filter(status=FulfillmentStatus.FAILED).annotate(
        failed_at=Coalesce("source_updated_at", "updated_at", output_field=DateTimeField())
    )
    parts = [
        _stamped(
            shipments, field="shipped_at", step="shipped", rank=4, columns=_FULFILLMENT_COLUMNS
        ),
        _stamped(
            shipments, field="delivered_at", step="delivered", rank=5, columns=_FULFILLMENT_COLUMNS
        ),
        _stamped(failed, field="failed_at", step="failed", rank=5, columns=_FULFILLMENT_COLUMNS),
    ]
    looks = {
        "shipped": ("Order {order} shipped", "ship", "info"),
        "delivered": ("Order {order} delivered", "delivered", "good"),
        "failed": ("Delivery of order {order} failed", "failed", "bad"),
    }
    entries = []
    rows = _newest_of_union(parts, before=before, limit=limit)
    for _pk, order_id, name, external_id, carrier, number, url, at, step, rank in rows:
        title, icon, tone = looks[step]
        carrier_text = " ".join(part for part in (carrier, number) if part)
        entries.append(
            TimelineEntry(
                at=at,
                kind=f"fulfillment.{step}",
                title=title.format(order=name or f"#{external_id}"),
                detail=carrier_text,
                link=http_url(url),
                link_label="Track package" if http_url(url) else "",
                icon=icon,
                tone=tone,
                ref_kind="order",
                ref_id=order_id,
                rank=rank,
            )
        )
    return entries


# --- carts ------------------------------------------------------------------------------------

_CART_COLUMNS = ["pk", "value", "currency", "checkout_url", "lines", "recovered_order__name"]


@register_timeline_provider
def cart_entries(customer: Customer, *, before, limit: int) -> list[TimelineEntry]:
    carts = Cart.objects.filter(store_id=customer.store_id, customer=customer).order_by()
    # Shown once: open or abandoned at its last change, or recovered when its order was placed.
    parts = [
        _stamped(
            carts.filter(recovered_order__isnull=True),
            field="updated_at",
            step="open",
            rank=0,
            columns=[*_CART_COLUMNS, "recovered_order_id"],
        ),
        _stamped(
            carts.filter(recovered_order__isnull=False),
            field="recovered_order__placed_at",
            step="recovered",
            rank=1,
            columns=[*_CART_COLUMNS, "recovered_order_id"],
        ),
    ]
    abandoned_before = timezone.now() - CART_ABANDONED_AFTER
    entries = []
    rows = _newest_of_union(parts, before=before, limit=limit)
    for _pk, value, currency, url, lines, order_name, order_id, at, step, rank in rows:
        if step == "recovered":
            kind, title, icon, tone = (
                "cart.recovered",
                f"Cart recovered by order {order_name}",
                "recovered",
                "good",
            )
        elif at < abandoned_before:
            kind, title, icon, tone = "cart.abandoned", "Abandoned a cart", "cart", "warn"
        else:
            kind, title, icon, tone = "cart.open", "Cart in progress", "cart", "neutral"
        link = "" if step == "recovered" else http_url(url)
        entries.append(
            TimelineEntry(
                at=at,
                kind=kind,
                title=title,
                detail=_cart_lines_text(lines),
                link=link,
                link_label="Checkout page" if link else "",
                amount=value,
                currency=currency,
                icon=icon,
                tone=tone,
                ref_kind="order" if order_id else "",
                ref_id=order_id,
                rank=rank,
            )
        )
    return entries


def _cart_lines_text(lines) -> str:
    items = []
    for line in lines or []:
        if isinstance(line, dict) and line.get("title"):
            quantity = line.get("quantity") or 1
            items.append(f"{quantity} × {line['title']}" if quantity != 1 else str(line["title"]))
    if len(items) > 3:
        items = [*items[:3], f"and {len(items) - 3} more"]
    return ", ".join(items)


# --- storefront events ------------------------------------------------------------------------

_EVENT_LOOKS: dict[str, tuple[str, str, str]] = {
    # kind: (title naming the object, title without it, property kind holding the object)
    "product_viewed": ("Viewed {value}", "Viewed a product", "product"),
    "searched": ("Searched for “{value}”", "Searched the store", "query"),
    "page_viewed": ("Visited {value}", "Visited a page", "page"),
    "added_to_cart": ("Added {value} to the cart", "Added a product to the cart", "product"),
    "removed_from_cart": (
        "Removed {value} from the cart",
        "Removed a product from the cart",
        "product",
    ),
    "checkout_started": ("Started checkout", "Started checkout", ""),
    "signed_in": ("Signed in", "Signed in", ""),
    "signed_up": ("Created an account", "Created an account", ""),
}
_VALUE_KEYS = {
    "product": ("product_title", "title", "name", "product_name", "product_external_id", "sku"),
    "query": ("query", "q", "term", "search"),
    "page": ("title", "page_title", "path", "url"),
}


@register_timeline_provider
def event_entries(customer: Customer, *, before, limit: int) -> list[TimelineEntry]:
    events = Event.objects.filter(store_id=customer.store_id, customer=customer)
    if before is not None:
        events = events.filter(occurred_at__lt=before)
    rows = events.order_by("-occurred_at", "-pk").values_list(
        "pk", "kind", "properties", "occurred_at"
    )
    return [_event_entry(pk, kind, props or {}, at) for pk, kind, props, at in rows[:limit]]


def _event_entry(pk: int, kind: str, properties: dict, at: datetime) -> TimelineEntry:
    if not isinstance(properties, dict):
        properties = {}
    with_value, without_value, value_kind = _EVENT_LOOKS.get(kind, ("", "", ""))
    value = _first_value(properties, _VALUE_KEYS.get(value_kind, ()))
    if with_value:
        title = with_value.format(value=value) if value else without_value
    else:
        title = kind.replace("_", " ").replace(".", " ").capitalize()
    link = http_url(str(properties.get("url") or properties.get("product_url") or ""))
    return TimelineEntry(
        at=at,
        kind=f"event.{kind}",
        title=title,
        detail=_event_detail(kind, properties),
        link=link,
        link_label="Open page" if link else "",
        icon="search" if kind == "searched" else "view",
        tone="neutral",
        ref_kind="event",
        ref_id=pk,
    )


def _first_value(properties: dict, keys: Iterable[str]) -> str:
    for key in keys:
        value = properties.get(key)
        if value not in (None, "", [], {}):
            return str(value)[:200]
    return ""


def _event_detail(kind: str, properties: dict) -> str:
    if kind == "searched" and properties.get("results") is not None:
        return f"{properties['results']} results"
    return ""


def http_url(value: str | None) -> str:
    """`value` if it is an http(s) address, else "": never a javascript: or data: link."""
    value = (value or "").strip()
    return value if value.lower().startswith(("https://", "http://")) else ""
