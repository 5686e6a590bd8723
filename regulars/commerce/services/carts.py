"""Carts and checkouts: upsert by token; a cart is abandoned until an order recovers it."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from regulars.commerce import domain_events
from regulars.commerce.models import Cart, Order
from regulars.commerce.schemas import CartIn
from regulars.commerce.services.common import UpsertResult, apply_fields, aware, is_stale
from regulars.commerce.services.customers import resolve_customer


def upsert_cart(store, data: CartIn, *, source: str) -> UpsertResult:
    updated_at = aware(data.updated_at, store)
    lines = [line.model_dump(mode="json") for line in data.lines]
    value = data.value
    if value is None:
        value = sum((line.unit_price * line.quantity for line in data.lines), Decimal(0))
    with transaction.atomic():
        cart = Cart.objects.select_for_update().filter(store=store, token=data.token).first()
        if cart is not None and is_stale(cart.updated_at, updated_at):
            return UpsertResult(cart, stale=True)
        email = data.email or (data.customer.email if data.customer else "")
        customer = resolve_customer(
            store,
            customer=data.customer,
            external_id=data.customer_external_id,
            email=email,
            source=source,
        )
        values = {
            "customer": customer,
            "email": email,
            "lines": lines,
            "value": value,
            "currency": data.currency,
            "checkout_url": data.checkout_url,
            "updated_at": updated_at,
        }
        if data.completed_order_external_id:
            order = Order.objects.filter(
                store=store, external_id=data.completed_order_external_id
            ).first()
            if order is not None:
                values["recovered_order"] = order
        if cart is None:
            try:
                with transaction.atomic():
                    cart = Cart.objects.create(
                        store=store, token=data.token, source=source, **values
                    )
            except IntegrityError:
                return upsert_cart(store, data, source=source)
            domain_events.cart_updated(cart)
            return UpsertResult(cart, created=True)
        if cart.recovered_order_id and "recovered_order" not in values:
            values.pop("recovered_order", None)
        changed = apply_fields(cart, values)
        if changed:
            cart.save()
            domain_events.cart_updated(cart)
        return UpsertResult(cart, updated=bool(changed))
