"""What an import recounts once it ends, for the customers it touched.

The order figures of all of a store's customers at once, after an import that touched most
of them: one aggregate over the store's orders joined into one UPDATE, rather than four
correlated subqueries per customer (commerce.services.stats, which suits a few customers).
The rules are the same: orders pending or paid count, spend is the total of paid orders.

First-seen times: a customer was seen no later than their earliest order, whatever its status.
"""

from django.db import connection
from django.db.models import F, Min, OuterRef, Subquery

from regulars.commerce.imports.sql import among
from regulars.commerce.models import Customer, Order, OrderStatus

_COUNTED = (OrderStatus.PENDING, OrderStatus.PAID)


def refresh_all_customer_stats(store) -> None:
    customers = connection.ops.quote_name(Customer._meta.db_table)
    orders = connection.ops.quote_name(Order._meta.db_table)
    counted = "status IN (%s, %s)"
    # Table names come from the models; every value is a parameter.
    aggregate = f"""
        SELECT customer_id AS cid,
               SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS n,
               SUM(CASE WHEN status = %s THEN total ELSE 0 END) AS spent,
               MIN(CASE WHEN {counted} THEN placed_at END) AS first_at,
               MAX(CASE WHEN {counted} THEN placed_at END) AS last_at
        FROM {orders}
        WHERE store_id = %s AND customer_id IS NOT NULL
        GROUP BY customer_id
    """  # noqa: S608
    params = [*_COUNTED, OrderStatus.PAID, *_COUNTED, *_COUNTED, store.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {customers} SET orders_count = s.n, total_spent = s.spent,
                    first_order_at = s.first_at, last_order_at = s.last_at
                FROM ({aggregate}) AS s
                WHERE {customers}.id = s.cid AND {customers}.store_id = %s""",  # noqa: S608
            [*params, store.pk],
        )
        # Customers left without any order (theirs moved to another customer).
        cursor.execute(
            f"""UPDATE {customers} SET orders_count = 0, total_spent = 0,
                    first_order_at = NULL, last_order_at = NULL
                WHERE store_id = %s AND (orders_count <> 0 OR last_order_at IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM {orders} o WHERE o.customer_id = {customers}.id)
            """,  # noqa: S608
            [store.pk],
        )


def lower_first_seen(store, customer_ids=None) -> int:
    """Move the first-seen time of the given customers of `store` (all of them when None) back
    to their earliest order where that is earlier. One statement; the earliest order is the
    first entry of the (customer, placed_at) index."""
    earliest = Subquery(
        Order.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(at=Min("placed_at"))
        .values("at")[:1]
    )
    customers = Customer.objects.filter(store=store)
    if customer_ids is not None:
        customers = customers.filter(pk__in=among(list(customer_ids)))
    return (
        customers.annotate(earliest=earliest)
        .filter(earliest__lt=F("first_seen_at"))
        .update(first_seen_at=earliest)
    )
