"""Products to show one customer in a message: bought together with theirs, then best sellers.

One SQL aggregation over the store's paid orders ranks both (no Python loop over orders).
Never a product the customer already has (in any order of theirs that was not cancelled),
never an unpublished or out-of-stock one, never another store's.

Written as SQL rather than with the ORM: it runs once per message in a bulk send, and
compiling the equivalent queryset (two nested subqueries, a filtered distinct count) cost
ten times more than running it.
"""

from functools import cache

from regulars.commerce.models import Customer, Order, OrderLine, OrderStatus, Product
from regulars.messaging.rendering.formatting import format_money


@cache
def _sql() -> str:
    line, order, product = (m._meta.db_table for m in (OrderLine, Order, Product))
    # Table names come from our own models, never from input; every value is a parameter.
    return f"""
        WITH owned AS (
            SELECT DISTINCT l.product_id FROM {line} l JOIN {order} o ON o.id = l.order_id
            WHERE o.store_id = %s AND o.customer_id = %s AND o.status <> %s
              AND l.product_id IS NOT NULL
        ),
        baskets AS (
            SELECT DISTINCT l.order_id FROM {line} l JOIN {order} o ON o.id = l.order_id
            WHERE o.store_id = %s AND o.status = %s
              AND l.product_id IN (SELECT product_id FROM owned)
        )
        SELECT p.*,
            COUNT(DISTINCT CASE WHEN l.order_id IN (SELECT order_id FROM baskets)
                                THEN l.order_id END) AS together,
            SUM(l.quantity) AS sold
        FROM {line} l
        JOIN {order} o ON o.id = l.order_id
        JOIN {product} p ON p.id = l.product_id
        WHERE o.store_id = %s AND o.status = %s AND p.store_id = %s
          AND p.published = %s AND p.in_stock = %s
          AND l.product_id NOT IN (SELECT product_id FROM owned)
        GROUP BY p.id
        ORDER BY together DESC, sold DESC, p.id
        LIMIT %s
    """  # noqa: S608


def recommended_products(store, customer: Customer, *, limit: int = 4) -> list[dict]:
    if limit <= 0:
        return []
    paid, cancelled = OrderStatus.PAID.value, OrderStatus.CANCELLED.value
    params = [
        *(store.pk, customer.pk, cancelled),  # owned
        *(store.pk, paid),  # baskets
        *(store.pk, paid, store.pk, True, True, int(limit)),
    ]
    return [_as_variables(p, store) for p in Product.objects.raw(_sql(), params)]


def _as_variables(product: Product, store) -> dict:
    currency = product.currency or store.currency
    return {
        "title": product.title,
        "url": product.url,
        "image_url": product.image_url,
        "price": format_money(product.price, currency) if product.price is not None else "",
    }
