"""A store's purchases as NumPy arrays: what the store-wide metrics, cohorts and RFM read.

A purchase is a paid order that has a customer: pending orders are not (yet) purchases,
cancelled and refunded ones no longer are, and an order without a customer cannot be repeated
by anyone. The orders are read with one SQL query through the database cursor, without the
ORM (which would build a million model instances), and sorted by (customer, placed_at), so
that each customer's orders are one run of consecutive rows, oldest first.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import numpy as np
from django.db import connection

from regulars.commerce.models import Order, OrderStatus

_ROW = np.dtype([("customer_id", np.int64), ("placed_at", np.int64), ("total", np.float64)])
_CHUNK = 100_000  # rows converted at a time: the Python tuples of one chunk only, not all


@dataclass(frozen=True, eq=False)
class OrderFrame:
    """A store's purchases, one array element per order, sorted by (customer, placed_at).

    `placed_at` is in whole seconds since 1970-01-01 UTC. `total` is in the store's currency;
    an order in another currency (no rate to convert it is known) still counts as a purchase,
    with `priced` False and a `total` of 0, so that it moves no revenue figure.
    """

    customer_id: np.ndarray
    placed_at: np.ndarray
    total: np.ndarray
    priced: np.ndarray
    currency: str
    timezone: str
    until: datetime | None = field(default=None)

    @property
    def orders(self) -> int:
        return len(self.customer_id)

    @cached_property
    def is_first(self) -> np.ndarray:
        """True for each customer's first order (the first of its run)."""
        first = np.ones(self.orders, dtype=bool)
        np.not_equal(self.customer_id[1:], self.customer_id[:-1], out=first[1:])
        return first


def load_orders(store, *, until: datetime | None = None) -> OrderFrame:
    """The purchases of `store` placed before `until` (all of them when None)."""
    sql, params = _query(store, until)
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_CHUNK):
            parts.append(np.fromiter(rows, dtype=_ROW, count=len(rows)))
    data = np.concatenate(parts) if parts else np.empty(0, dtype=_ROW)
    # Sorted here rather than by the query: SQLite would sort a million rows in a temporary
    # B-tree, about three times slower than reading them; lexsort is stable, so orders placed
    # in the same second keep the order the database returned them in.
    data = data[np.lexsort((data["placed_at"], data["customer_id"]))]
    total = data["total"]
    priced = total >= 0
    return OrderFrame(
        customer_id=np.ascontiguousarray(data["customer_id"]),
        placed_at=np.ascontiguousarray(data["placed_at"]),
        total=np.where(priced, total, 0.0),
        priced=priced,
        currency=store.currency,
        timezone=store.timezone,
        until=until,
    )


def _query(store, until: datetime | None) -> tuple[str, list]:
    """The SQL reading the purchases, for this database.

    Totals are never negative (the input schemas refuse it), so -1 marks an order in another
    currency without a column of its own. Times become whole seconds in the database: SQLite
    keeps them as text ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC), PostgreSQL as timestamptz.
    """
    table = connection.ops.quote_name(Order._meta.db_table)
    if connection.vendor == "postgresql":
        seconds = "floor(extract(epoch FROM placed_at))::bigint"
        total = "CASE WHEN currency = %s THEN total::float8 ELSE -1.0 END"
    else:
        seconds = (
            "unixepoch(placed_at)"
            if connection.Database.sqlite_version_info >= (3, 38)
            else "CAST(strftime('%%s', placed_at) AS INTEGER)"
        )
        total = "CASE WHEN currency = %s THEN CAST(total AS REAL) ELSE -1.0 END"
    sql = (
        f"SELECT customer_id, {seconds}, {total} FROM {table}"  # noqa: S608 - names from models
        " WHERE store_id = %s AND status = %s AND customer_id IS NOT NULL"
    )
    params = [store.currency, store.pk, OrderStatus.PAID.value]
    if until is not None:
        if until.tzinfo is None:
            raise ValueError("until must be an aware datetime")
        sql += " AND placed_at < %s"
        params.append(connection.ops.adapt_datetimefield_value(until))
    return sql, params
