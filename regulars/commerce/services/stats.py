"""Per-customer order figures kept on the customer for fast lists and filters.

Counted orders are those not cancelled or refunded; spend is the total of paid orders.
One SQL UPDATE with correlated subqueries, never a Python loop per customer.
"""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from regulars.commerce.models import Customer, Order, OrderStatus
from regulars.core import prepared
from regulars.core.prepared import Prepared

_COUNTED = [OrderStatus.PENDING, OrderStatus.PAID]


def _per_customer(aggregate, statuses):
    return Subquery(
        Order.objects.filter(customer=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("customer")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def _figures() -> dict:
    money = DecimalField(max_digits=14, decimal_places=3)
    return {
        "orders_count": Coalesce(_per_customer(Count("pk"), _COUNTED), Value(0)),
        "total_spent": Coalesce(
            _per_customer(Sum("total"), [OrderStatus.PAID]),
            Value(Decimal(0)),
            output_field=money,
        ),
        "first_order_at": _per_customer(Min("placed_at"), _COUNTED),
        "last_order_at": _per_customer(Max("placed_at"), _COUNTED),
    }


def refresh_customer_stats(store, customer_ids=None) -> int:
    """Recount the given customers of `store` (all of them when `customer_ids` is None)."""
    customers = Customer.objects.filter(store=store)
    if customer_ids is not None:
        customer_ids = [pk for pk in customer_ids if pk]
        if not customer_ids:
            return 0
        if len(customer_ids) == 1:
            return _refresh_one(store.pk, customer_ids[0])
        customers = customers.filter(pk__in=customer_ids)
    return customers.update(**_figures())


def _refresh_one(store_id: int, customer_id: int) -> int:
    """The same UPDATE for one customer (every order webhook's case), compiled once: building
    it with the ORM cost several times running it."""
    with connection.cursor() as cursor:
        cursor.execute(*_REFRESH_ONE.bind(store_id, customer_id))
        return cursor.rowcount


_REFRESH_ONE = Prepared(
    lambda store_id, customer_id: prepared.update(
        Customer.objects.filter(store_id=store_id, pk=customer_id), **_figures()
    ),
    int,
    int,
)
