"""Orders with their lines: upsert by external id, status changes as domain events."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from regulars.commerce import domain_events
from regulars.commerce.models import Cart, Order, OrderLine, OrderStatus, Product
from regulars.commerce.schemas import OrderIn, OrderLineIn
from regulars.commerce.services.common import UpsertResult, apply_fields, aware, is_stale
from regulars.commerce.services.customers import resolve_customer
from regulars.commerce.services.stats import refresh_customer_stats
from regulars.core import prepared
from regulars.core.prepared import Prepared

# An open cart of the same customer touched this long before an order counts as recovered by it.
CART_RECOVERY_WINDOW = timedelta(hours=24)

_STATUS_EVENTS = {
    OrderStatus.PAID: domain_events.order_paid,
    OrderStatus.CANCELLED: domain_events.order_cancelled,
    OrderStatus.REFUNDED: domain_events.order_refunded,
}
_STATUS_TIME_FIELD = {
    OrderStatus.PAID: "paid_at",
    OrderStatus.CANCELLED: "cancelled_at",
    OrderStatus.REFUNDED: "refunded_at",
}


def upsert_order(store, data: OrderIn, *, source: str) -> UpsertResult:
    updated_at = aware(data.updated_at, store)
    with transaction.atomic():
        order = prepared.first(Order, _LOCKED, store.pk, data.external_id)
        if order is not None and is_stale(order.source_updated_at, updated_at):
            return UpsertResult(order, stale=True)
        email = data.email or (data.customer.email if data.customer else "")
        customer = resolve_customer(
            store,
            customer=data.customer,
            external_id=data.customer_external_id,
            email=email,
            source=source,
        )
        values = _order_values(store, data, email=email, customer=customer, updated_at=updated_at)
        if order is None:
            return _create(store, data, values, source=source)
        return _update(store, order, data, values)


# The order by external id, locked: asked by every order webhook, so compiled once
# (core.prepared; compiled inside the transaction, as FOR UPDATE must be).
_LOCKED = Prepared(
    lambda store_id, external_id: prepared.select(
        Order.objects.select_for_update()
        .filter(store_id=store_id, external_id=external_id)
        .order_by("pk")[:1]
    ),
    int,
    str,
)


def _order_values(store, data: OrderIn, *, email, customer, updated_at) -> dict:
    line_sum = sum((_line_total(line) for line in data.lines), Decimal(0))
    placed_at = aware(data.placed_at, store)
    values = {
        "name": data.name,
        "customer": customer,
        "email": email,
        "status": data.status,
        "currency": data.currency,
        "subtotal": data.subtotal if data.subtotal is not None else (line_sum or data.total),
        "discount_total": data.discount_total,
        "shipping_total": data.shipping_total,
        "tax_total": data.tax_total,
        "total": data.total,
        "coupon_codes": [code.strip() for code in data.coupon_codes if code.strip()],
        "placed_at": placed_at,
        "paid_at": aware(data.paid_at, store),
        "cancelled_at": aware(data.cancelled_at, store),
        "refunded_at": aware(data.refunded_at, store),
    }
    # A status without its time gets the time of the update that reported it.
    time_field = _STATUS_TIME_FIELD.get(data.status)
    if time_field and values[time_field] is None:
        values[time_field] = updated_at or (
            placed_at if time_field == "paid_at" else timezone.now()
        )
    if updated_at:
        values["source_updated_at"] = updated_at
    return values


def _line_total(line: OrderLineIn) -> Decimal:
    return line.total if line.total is not None else line.unit_price * line.quantity


def _create(store, data: OrderIn, values: dict, *, source: str) -> UpsertResult:
    try:
        with transaction.atomic():
            order = Order.objects.create(
                store=store, external_id=data.external_id, source=source, **values
            )
    except IntegrityError:
        # The same order arrived through another request at the same moment.
        return upsert_order(store, data, source=source)
    _add_lines(store, order, data.lines)  # a new order has no lines to replace
    _recover_cart(store, order, data.cart_token)
    _refresh_stats(store, {order.customer_id})
    domain_events.order_placed(order)
    if order.status in _STATUS_EVENTS:
        _STATUS_EVENTS[order.status](order)
    return UpsertResult(order, created=True)


def _update(store, order: Order, data: OrderIn, values: dict) -> UpsertResult:
    old_status, old_customer_id = order.status, order.customer_id
    # A time once recorded stays: a later copy without it neither erases it nor moves it to
    # the copy's own time (so the same copy sent twice changes nothing).
    for field in _STATUS_TIME_FIELD.values():
        if getattr(data, field) is None and getattr(order, field) is not None:
            values[field] = getattr(order, field)
    changed = apply_fields(order, values)
    lines_changed = bool(data.lines) and _lines_differ(order, data.lines)
    if changed:
        order.save()
    if lines_changed:
        _replace_lines(store, order, data.lines)
    _recover_cart(store, order, data.cart_token)
    if changed or lines_changed:
        _refresh_stats(store, {old_customer_id, order.customer_id})
    if order.status != old_status and order.status in _STATUS_EVENTS:
        _STATUS_EVENTS[order.status](order)
    meaningful = (set(changed) - {"source_updated_at"}) or lines_changed
    return UpsertResult(order, updated=bool(meaningful))


def _lines_differ(order: Order, lines: list[OrderLineIn]) -> bool:
    kept = [
        (line.external_id, line.title, line.quantity, line.unit_price, line.total)
        for line in order.lines.order_by("pk")
    ]
    incoming = [
        (line.external_id, line.title, line.quantity, line.unit_price, _line_total(line))
        for line in lines
    ]
    return kept != incoming


def _replace_lines(store, order: Order, lines: list[OrderLineIn]) -> None:
    """An order's payload carries all its lines, so the kept lines are replaced as a whole."""
    OrderLine.objects.filter(order=order).delete()
    _add_lines(store, order, lines)


def _add_lines(store, order: Order, lines: list[OrderLineIn]) -> None:
    products = _products_for_lines(store, order, lines)
    OrderLine.objects.bulk_create(
        OrderLine(
            store=store,
            order=order,
            product=products.get(line.product_external_id),
            external_id=line.external_id,
            sku=line.sku,
            title=line.title,
            quantity=line.quantity,
            unit_price=line.unit_price,
            total=_line_total(line),
        )
        for line in lines
    )


def _products_for_lines(store, order: Order, lines: list[OrderLineIn]) -> dict[str, Product]:
    """Products named by the lines; unknown ones are created from the line so that
    co-purchases and best sellers can be counted before the catalogue is synced."""
    wanted = {line.product_external_id: line for line in lines if line.product_external_id}
    if not wanted:
        return {}
    found = {
        p.external_id: p for p in Product.objects.filter(store=store, external_id__in=list(wanted))
    }
    missing = [
        Product(
            store=store,
            external_id=external_id,
            sku=line.sku,
            title=line.title,
            price=line.unit_price,
            currency=order.currency,
            source=order.source,
        )
        for external_id, line in wanted.items()
        if external_id not in found
    ]
    if missing:
        Product.objects.bulk_create(missing, ignore_conflicts=True)
        found.update(
            (p.external_id, p)
            for p in Product.objects.filter(
                store=store, external_id__in=[p.external_id for p in missing]
            )
        )
    return found


def _recover_cart(store, order: Order, cart_token: str) -> None:
    # Asked for every order: the look-ups are compiled once (core.prepared).
    if cart_token:
        carts = prepared.rows(Cart, _OPEN_CART_BY_TOKEN, store.pk, cart_token)
    elif order.customer_id:
        carts = prepared.rows(
            Cart,
            _OPEN_CARTS_OF_CUSTOMER,
            store.pk,
            order.customer_id,
            order.placed_at - CART_RECOVERY_WINDOW,
            order.placed_at,
        )
    else:
        return
    for cart in carts:
        cart.recovered_order = order
        cart.save(update_fields=["recovered_order"])
        domain_events.cart_updated(cart)


def _open_carts(store_id: int):
    return Cart.objects.filter(store_id=store_id, recovered_order__isnull=True)


_OPEN_CART_BY_TOKEN = Prepared(
    lambda store_id, token: prepared.select(_open_carts(store_id).filter(token=token)), int, str
)
_OPEN_CARTS_OF_CUSTOMER = Prepared(
    lambda store_id, customer_id, since, until: prepared.select(
        _open_carts(store_id).filter(
            customer_id=customer_id, updated_at__gte=since, updated_at__lte=until
        )
    ),
    int,
    int,
    datetime,
    datetime,
)


def _refresh_stats(store, customer_ids: set) -> None:
    refresh_customer_stats(store, [pk for pk in customer_ids if pk])
