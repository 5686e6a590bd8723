"""One function per commerce domain event. Each emits after commit with ids only.

Later apps subscribe by name in their `AppConfig.ready()`:
`regulars.core.events.subscribe(ORDER_PAID, handler)`; a handler receives keyword ids.
"""

from regulars.core.events import emit

CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"
ORDER_PLACED = "order.placed"
ORDER_PAID = "order.paid"
ORDER_CANCELLED = "order.cancelled"
ORDER_REFUNDED = "order.refunded"
FULFILLMENT_CREATED = "fulfillment.created"
FULFILLMENT_UPDATED = "fulfillment.updated"
FULFILLMENT_DELIVERED = "fulfillment.delivered"
CART_UPDATED = "cart.updated"
CONSENT_CHANGED = "customer.consent_changed"
# One event per CSV import, not one per order: an import is history (docs/csv-import.md).
ORDERS_IMPORTED = "orders.imported"

ALL_EVENTS = (
    CUSTOMER_CREATED,
    CUSTOMER_UPDATED,
    ORDER_PLACED,
    ORDER_PAID,
    ORDER_CANCELLED,
    ORDER_REFUNDED,
    FULFILLMENT_CREATED,
    FULFILLMENT_UPDATED,
    FULFILLMENT_DELIVERED,
    CART_UPDATED,
    CONSENT_CHANGED,
    ORDERS_IMPORTED,
)


def customer_created(customer) -> None:
    emit(CUSTOMER_CREATED, store_id=customer.store_id, customer_id=customer.pk)


def customer_updated(customer) -> None:
    emit(CUSTOMER_UPDATED, store_id=customer.store_id, customer_id=customer.pk)


def consent_changed(customer, *, channel: str, state: str) -> None:
    emit(
        CONSENT_CHANGED,
        store_id=customer.store_id,
        customer_id=customer.pk,
        channel=channel,
        state=state,
    )


def _order_event(name: str, order) -> None:
    emit(name, store_id=order.store_id, order_id=order.pk, customer_id=order.customer_id)


def order_placed(order) -> None:
    _order_event(ORDER_PLACED, order)


def order_paid(order) -> None:
    _order_event(ORDER_PAID, order)


def order_cancelled(order) -> None:
    _order_event(ORDER_CANCELLED, order)


def order_refunded(order) -> None:
    _order_event(ORDER_REFUNDED, order)


def _fulfillment_event(name: str, fulfillment) -> None:
    emit(
        name,
        store_id=fulfillment.store_id,
        fulfillment_id=fulfillment.pk,
        order_id=fulfillment.order_id,
        status=fulfillment.status,
    )


def fulfillment_created(fulfillment) -> None:
    _fulfillment_event(FULFILLMENT_CREATED, fulfillment)


def fulfillment_updated(fulfillment) -> None:
    _fulfillment_event(FULFILLMENT_UPDATED, fulfillment)


def fulfillment_delivered(fulfillment) -> None:
    _fulfillment_event(FULFILLMENT_DELIVERED, fulfillment)


def cart_updated(cart) -> None:
    emit(
        CART_UPDATED,
        store_id=cart.store_id,
        cart_id=cart.pk,
        customer_id=cart.customer_id,
        recovered=cart.recovered_order_id is not None,
    )


def orders_imported(run) -> None:
    """A CSV import finished: its orders are in (ImportRun `run` counts them)."""
    emit(
        ORDERS_IMPORTED,
        store_id=run.store_id,
        import_run_id=run.pk,
        created=run.created,
        updated=run.updated,
    )
