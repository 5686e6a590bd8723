"""The order figures of all of a store's customers at once, after an import that touched most
of them: one aggregate over the store's orders joined into one UPDATE, rather than four
correlated subqueries per customer (commerce.services.stats, which suits a few customers).
The rules are the same: orders pending or paid count, spend is the total of paid orders."""

from django.db import connection

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
