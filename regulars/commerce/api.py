"""The commerce part of the JSON API (/api/v1/): batch upserts and reads, scoped by the key's store.

Handlers parse, call the upsert services, render. A batch is all-or-nothing: every item runs
in its own savepoint inside one transaction, and if any item fails the whole batch is rolled
back and answered 422 naming each failing item, so nothing half-applies and domain events
fire only for batches that committed.
"""

from collections.abc import Callable, Sequence
from decimal import InvalidOperation

from django.db import DataError, transaction
from django.db.models import Count, Q
from ninja import Path, Query, Router

from regulars.commerce.models import Cart, Customer, Event, Order, OrderStatus, Source
from regulars.commerce.schemas import (
    BatchOut,
    CartBatchIn,
    CartBatchOut,
    CustomerBatchIn,
    CustomerDetailOut,
    CustomerFilters,
    CustomerPage,
    ErrorsOut,
    EventBatchIn,
    FulfillmentBatchIn,
    OrderBatchIn,
    OrderDetailOut,
    OrderFilters,
    OrderOut,
    OrderPage,
    ProductBatchIn,
)
from regulars.commerce.services import (
    UpsertResult,
    record_event,
    upsert_cart,
    upsert_customer,
    upsert_fulfillment,
    upsert_order,
    upsert_product,
)
from regulars.commerce.services.common import aware
from regulars.core.errors import CoreErrorCode, RegularsError

router = Router()

# The error answers each kind of operation can give, so that the OpenAPI schema documents them.
_READ_ERRORS = dict.fromkeys((400, 401, 404, 422, 429), ErrorsOut)
_WRITE_ERRORS = dict.fromkeys((400, 401, 403, 413, 422, 429), ErrorsOut)
_ID = Path(..., ge=1, le=2**63 - 1)


class _BatchFailed(Exception):
    """Raised inside the batch transaction so that it rolls back; carries the item errors."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _item_error(index: int, exc: RegularsError) -> dict:
    field = f"items[{index}]" + (f".{exc.field}" if exc.field else "")
    return {"code": exc.code, "field": field, "message": exc.message, "index": index}


def _apply_batch(
    store, items: Sequence, upsert: Callable[..., UpsertResult], *, key: str = "external_id"
):
    """Upsert every item, in order; all of them or, on any failure, none (422 with the reasons)."""
    results, errors = [], []
    try:
        with transaction.atomic():
            for index, item in enumerate(items):
                try:
                    with transaction.atomic():
                        result = upsert(store, item, source=Source.API)
                except RegularsError as exc:
                    errors.append(_item_error(index, exc))
                    continue
                except (DataError, InvalidOperation):
                    # A computed amount (a customer's total spent, say) too large for its column.
                    errors.append(
                        _item_error(index, RegularsError("An amount of this item is too large."))
                    )
                    continue
                results.append(
                    {
                        "index": index,
                        key: getattr(item, key),
                        "outcome": result.outcome,
                        "id": result.obj.pk,
                    }
                )
            if errors:
                raise _BatchFailed(errors)
    except _BatchFailed:
        return 422, {"errors": errors}
    summary = {"created": 0, "updated": 0, "unchanged": 0, "stale": 0}
    for row in results:
        summary[row["outcome"]] += 1
    return 200, {"items": results, "summary": summary}


_BATCH_NOTE = (
    "Up to 500 items, applied in order. All or nothing: if any item is invalid or cannot be "
    "applied, nothing is written and the answer (422) names every failing item and field. "
    "Sending the same batch again changes nothing; an item whose `updated_at` is older than the "
    "kept copy is answered `stale` and not applied."
)


@router.post(
    "/customers/batch",
    response={200: BatchOut, **_WRITE_ERRORS},
    tags=["customers"],
    summary="Create or update customers",
    description="Matched by external_id, else e-mail, else phone. " + _BATCH_NOTE,
)
def customers_batch(request, payload: CustomerBatchIn):
    return _apply_batch(request.auth.store, payload.items, upsert_customer)


@router.post(
    "/products/batch",
    response={200: BatchOut, **_WRITE_ERRORS},
    tags=["products"],
    summary="Create or update products",
    description="Matched by external_id. " + _BATCH_NOTE,
)
def products_batch(request, payload: ProductBatchIn):
    return _apply_batch(request.auth.store, payload.items, upsert_product)


@router.post(
    "/orders/batch",
    response={200: BatchOut, **_WRITE_ERRORS},
    tags=["orders"],
    summary="Create or update orders with their lines",
    description=(
        "Matched by external_id. An order's lines replace the kept lines as a whole. " + _BATCH_NOTE
    ),
)
def orders_batch(request, payload: OrderBatchIn):
    return _apply_batch(request.auth.store, payload.items, upsert_order)


@router.post(
    "/fulfillments/batch",
    response={200: BatchOut, **_WRITE_ERRORS},
    tags=["orders"],
    summary="Create or update fulfillments (shipments)",
    description="The order must be known (sent earlier or in an earlier batch). " + _BATCH_NOTE,
)
def fulfillments_batch(request, payload: FulfillmentBatchIn):
    return _apply_batch(request.auth.store, payload.items, upsert_fulfillment)


@router.post(
    "/carts/batch",
    response={200: CartBatchOut, **_WRITE_ERRORS},
    tags=["carts"],
    summary="Create or update carts and checkouts",
    description="Matched by token. " + _BATCH_NOTE,
)
def carts_batch(request, payload: CartBatchIn):
    return _apply_batch(request.auth.store, payload.items, upsert_cart, key="token")


@router.post(
    "/events/batch",
    response={200: BatchOut, **_WRITE_ERRORS},
    tags=["events"],
    summary="Record storefront events (product views, searches, ...)",
    description="Each event needs an external_id; one already recorded is `unchanged`. "
    + _BATCH_NOTE,
)
def events_batch(request, payload: EventBatchIn):
    return _apply_batch(request.auth.store, payload.items, record_event)


# --- reads --------------------------------------------------------------------------------------


def page_of(queryset, params) -> dict:
    count = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit])
    following = params.offset + len(items)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next_offset": following if following < count else None,
        "items": items,
    }


def _not_found(what: str) -> RegularsError:
    return RegularsError(f"No {what} in this store.", code=CoreErrorCode.NOT_FOUND)


@router.get(
    "/customers",
    response={200: CustomerPage, **_READ_ERRORS},
    tags=["customers"],
    summary="List customers",
    description="Oldest first (by id). `updated_since` selects customers changed at or after it.",
)
def list_customers(request, filters: Query[CustomerFilters]):
    customers = Customer.objects.filter(store=request.auth.store).order_by("pk")
    if filters.email:
        customers = customers.filter(email=filters.email.strip().lower())
    if filters.external_id:
        customers = customers.filter(external_id=filters.external_id)
    if filters.updated_since:
        customers = customers.filter(updated_at__gte=_aware(filters.updated_since, request))
    return 200, page_of(customers, filters)


@router.get(
    "/customers/{customer_id}",
    response={200: CustomerDetailOut, **_READ_ERRORS},
    tags=["customers"],
    summary="One customer, with counts of orders, carts and events",
)
def get_customer(request, customer_id: int = _ID):
    customer = Customer.objects.filter(store=request.auth.store, pk=customer_id).first()
    if customer is None:
        raise _not_found(f"customer with id {customer_id}")
    customer.counts = _customer_counts(customer)
    return 200, customer


def _customer_counts(customer: Customer) -> dict:
    # One aggregate per table: joining orders, carts and events at once would multiply rows.
    orders = Order.objects.filter(store_id=customer.store_id, customer=customer).aggregate(
        orders=Count("pk", filter=Q(status__in=[OrderStatus.PENDING, OrderStatus.PAID])),
        paid_orders=Count("pk", filter=Q(status=OrderStatus.PAID)),
    )
    carts = Cart.objects.filter(store_id=customer.store_id, customer=customer).aggregate(
        carts=Count("pk"), abandoned_carts=Count("pk", filter=Q(recovered_order__isnull=True))
    )
    return {
        **orders,
        **carts,
        "events": Event.objects.filter(store_id=customer.store_id, customer=customer).count(),
    }


def _orders(store):
    return Order.objects.filter(store=store).select_related("customer")


def _order_row(order: Order) -> Order:
    order.customer_external_id = order.customer.external_id if order.customer else None
    return order


@router.get(
    "/orders",
    response={200: OrderPage, **_READ_ERRORS},
    tags=["orders"],
    summary="List orders",
    description="Newest first (by placed_at).",
)
def list_orders(request, filters: Query[OrderFilters]):
    orders = _orders(request.auth.store).order_by("-placed_at", "-pk")
    if filters.customer_id:
        orders = orders.filter(customer_id=filters.customer_id)
    if filters.customer_external_id:
        orders = orders.filter(customer__external_id=filters.customer_external_id)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.placed_since:
        orders = orders.filter(placed_at__gte=_aware(filters.placed_since, request))
    page = page_of(orders, filters)
    page["items"] = [_order_row(order) for order in page["items"]]
    return 200, page


@router.get(
    "/orders/{path:external_id}",
    response={200: OrderDetailOut, **_READ_ERRORS},
    tags=["orders"],
    summary="One order by its external id, with lines and fulfillments",
)
def get_order(request, external_id: str):
    # An id no order can have (too long, or with NUL, which PostgreSQL refuses) is not looked up.
    order = None
    if len(external_id) <= 64 and "\x00" not in external_id:
        order = (
            _orders(request.auth.store)
            .prefetch_related("lines__product", "fulfillments")
            .filter(external_id=external_id)
            .first()
        )
    if order is None:
        raise _not_found(f"order with external id {external_id!r}")
    _order_row(order)
    lines = sorted(order.lines.all(), key=lambda line: line.pk)
    fulfillments = sorted(order.fulfillments.all(), key=lambda f: (f.shipped_at, f.pk))
    return 200, {
        **{name: getattr(order, name) for name in OrderOut.model_fields},
        "lines": [_line_row(line) for line in lines],
        "fulfillments": fulfillments,
    }


def _line_row(line) -> dict:
    return {
        "id": line.pk,
        "external_id": line.external_id,
        "product_external_id": line.product.external_id if line.product else None,
        "sku": line.sku,
        "title": line.title,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "total": line.total,
    }


def _aware(moment, request):
    return aware(moment, request.auth.store)
