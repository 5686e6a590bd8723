"""Writing one batch of imported orders: a handful of queries however many orders it holds.

Per batch, in the transaction the service holds open over several batches: the kept orders with the batch's external ids (one query), their
lines (one query), the customers and products (one query per kind of key, then one INSERT for
the new ones), one INSERT for the new orders and one for their lines, one UPDATE for the changed
orders, and their lines replaced. No model instances, no per-order services and no domain
events: an import is history, and must not send a year-old order its confirmation.

The out-of-order rule: a kept order is left alone when it is newer than the file's copy, that
is when the file says when the order was last updated and the kept copy's source time is later,
or when the file does not say and the kept copy has a source time (it came from a webhook or
the API, which always say).
"""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from regulars.commerce.imports.customers import CustomerResolver
from regulars.commerce.imports.products import ProductResolver
from regulars.commerce.imports.records import OrderRecord
from regulars.commerce.imports.sql import (
    BulkInsert,
    among,
    bulk_update,
    json_value,
    time_text,
)
from regulars.commerce.imports.values import time_value
from regulars.commerce.models import Order, OrderLine, OrderStatus, Source
from regulars.core.bulkload import new_ids

# The kept order's values compared with the file's, in this order.
_COMPARED = (
    "name",
    "customer",
    "email",
    "status",
    "currency",
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "total",
    "coupon_codes",
    "placed_at",
    "paid_at",
    "cancelled_at",
    "refunded_at",
)
_TIMES = {"paid_at": 12, "cancelled_at": 13, "refunded_at": 14}  # positions in _COMPARED
_LINE = ("product", "sku", "title", "quantity", "unit_price", "total")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    lines: int = 0


def kept_is_newer(kept_updated_at: datetime | None, file_updated_at: datetime | None) -> bool:
    if file_updated_at is None:
        return kept_updated_at is not None
    return kept_updated_at is not None and file_updated_at < kept_updated_at


_EXTERNAL_ID = OrderRecord._fields.index("external_id")
_UPDATED_AT = OrderRecord._fields.index("updated_at")


class BatchWriter:
    def __init__(self, store, *, now: datetime, by_sku: bool, dry_run: bool = False):
        self.store = store
        self.now = now
        self.dry_run = dry_run
        self.counts = Counts()
        self.customers = CustomerResolver(store, now=now, dry_run=dry_run)
        self.products = ProductResolver(store, by_sku=by_sku, now=now, dry_run=dry_run)
        # Customers whose order figures must be recounted once the import ends.
        self.touched_customers: set[int] = set()
        self._time_text = time_text()
        self._insert_orders = BulkInsert(
            Order, ["id", "store", "source", "source_updated_at", "external_id", *_COMPARED], now
        )
        self._insert_lines = BulkInsert(OrderLine, ["store", "order", *_LINE], now)

    def write(self, orders: list[OrderRecord]) -> None:
        """Write one batch, in the caller's transaction (service.py commits several at once)."""
        if orders:
            self._write(orders)

    def rolled_back(self) -> None:
        """The transaction of the last batches was rolled back (a dry run): what they created
        is gone, so nothing of it may be remembered or recounted."""
        self.touched_customers.clear()
        self.customers.forget()
        self.products.forget()

    def _write(self, orders: list[OrderRecord]) -> None:
        # Records are read by position: the generic format's quick way makes plain tuples in
        # OrderRecord's layout (records.py), and there are a million of them.
        kept = self._kept_orders([o[_EXTERNAL_ID] for o in orders])
        if kept:
            new, existing = [], []
            for order in orders:
                found = kept.get(order[_EXTERNAL_ID])
                if found is None:
                    new.append(order)
                elif kept_is_newer(found[1], time_value(order[_UPDATED_AT])):
                    self.counts.kept_newer += 1
                else:
                    existing.append(OrderRecord._make(order))
            live = new + existing
        else:
            new, existing, live = orders, [], orders
        customer_ids = self.customers.resolve(live)  # one per order of `live`
        product_ids = self.products.resolve(live)
        if new:
            self._create(new, customer_ids[: len(new)], product_ids)
        if existing:
            self._update(existing, kept, customer_ids[len(new) :], product_ids)

    def _kept_orders(self, external_ids: list[str]) -> dict[str, tuple]:
        query = Order.objects.filter(store=self.store, external_id__in=among(external_ids))
        fields = ("external_id", "source_updated_at", "pk", *_COMPARED)
        return {row[0]: row for row in query.values_list(*fields)}

    # --- new orders ---------------------------------------------------------------------------

    def _create(self, orders: list[OrderRecord], customer_ids: list, product_ids) -> None:
        store_id, csv, paid = self.store.pk, Source.CSV, OrderStatus.PAID.value
        rows, lined = [], []
        # Ids are given rather than read back: the batch's transaction holds the write lock.
        order_ids = new_ids(Order, len(orders))
        for order_id, o, customer_id in zip(order_ids, orders, customer_ids, strict=True):
            (_, _, external_id, name, _, email, status, currency, subtotal, discount, shipping,
             tax, total, coupons, placed_at, paid_at, cancelled_at, refunded_at, updated_at,
             lines) = o  # fmt: skip
            # "id", "store", "source", "source_updated_at", "external_id", *_COMPARED: the
            # record's values are database values already; empty cells get the defaults.
            rows.append(
                (
                    order_id,
                    store_id,
                    csv,
                    updated_at,
                    external_id,
                    name,
                    customer_id,
                    email,
                    status,
                    currency,
                    subtotal,
                    discount or "0",
                    shipping or "0",
                    tax or "0",
                    total,
                    coupons or "[]",
                    placed_at,
                    paid_at or (placed_at if status == paid else None),
                    cancelled_at,
                    refunded_at,
                )
            )
            if lines:
                lined.append((order_id, lines))
        self._insert_orders.run(rows)
        self._insert_order_lines(lined, product_ids)
        self.counts.created += len(orders)
        self.touched_customers.update(customer_ids)
        self.touched_customers.discard(None)

    def _insert_order_lines(self, orders: list[tuple[int, tuple]], product_ids) -> None:
        """Lines of (order id, the order's line records)."""
        store_id, product = self.store.pk, product_ids.get
        rows = [
            (store_id, order_id, product(key), sku, title, quantity, unit_price, total)
            for order_id, lines in orders
            for key, sku, title, quantity, unit_price, total in lines
        ]
        if rows:
            self._insert_lines.run(rows)
        self.counts.lines += len(rows)

    # --- kept orders --------------------------------------------------------------------------

    def _update(self, orders: list[OrderRecord], kept, customer_ids: list, product_ids) -> None:
        kept_lines = self._kept_lines([kept[o.external_id][2] for o in orders])
        changed_rows, relined = [], []
        for order, customer_id in zip(orders, customer_ids, strict=True):
            row = kept[order.external_id]
            order_id, old = row[2], row[3:]
            new = _comparable(order, customer_id, old)
            lines = [
                (product_ids.get(key), sku, title, qty, Decimal(unit_price), Decimal(total))
                for key, sku, title, qty, unit_price, total in order.lines
            ]
            # A file without lines for the order does not erase the kept ones.
            lines_differ = bool(lines) and lines != kept_lines.get(order_id, [])
            if new == old and not lines_differ:
                self.counts.unchanged += 1
                continue
            self.counts.updated += 1
            self.touched_customers.update(pk for pk in (old[1], customer_id) if pk)
            changed_rows.append(
                (
                    order.updated_at or self._time_text(row[1]),
                    *self._db_values(new),
                    self._time_text(self.now),
                    order_id,
                )
            )
            if lines_differ:
                relined.append((order_id, order.lines))
        bulk_update(Order, ("source_updated_at", *_COMPARED, "updated_at"), changed_rows)
        if relined:
            ids = among([order_id for order_id, _ in relined])
            OrderLine.objects.filter(store=self.store, order_id__in=ids).delete()
            self._insert_order_lines(relined, product_ids)

    def _db_values(self, values: tuple) -> tuple:
        text = self._time_text
        *plain, coupons, placed_at, paid_at, cancelled_at, refunded_at = values
        return (
            *plain,
            json_value(coupons),
            text(placed_at),
            text(paid_at),
            text(cancelled_at),
            text(refunded_at),
        )

    def _kept_lines(self, order_ids: list[int]) -> dict[int, list[tuple]]:
        lines: dict[int, list[tuple]] = {}
        ids = among(order_ids)
        query = OrderLine.objects.filter(store=self.store, order_id__in=ids).order_by("pk")
        for order_id, *values in query.values_list("order_id", *_LINE):
            lines.setdefault(order_id, []).append(tuple(values))
        return lines


def _comparable(order: OrderRecord, customer_id, old: tuple) -> tuple:
    """The file's order as the kept one reads back from the database, to compare the two.
    An empty cell never erases a kept value (as upsert_order keeps a recorded time)."""

    def amount(text: str | None, position: int):
        return old[position] if text is None else Decimal(text)

    values = [
        order.name or old[0],
        old[1] if customer_id is None else customer_id,
        order.email or old[2],
        order.status,
        order.currency,
        Decimal(order.subtotal),
        amount(order.discount_total, 6),
        amount(order.shipping_total, 7),
        amount(order.tax_total, 8),
        Decimal(order.total),
        old[10] if order.coupon_codes is None else json.loads(order.coupon_codes),
        time_value(order.placed_at),
        time_value(order.paid_at),
        time_value(order.cancelled_at),
        time_value(order.refunded_at),
    ]
    for position in _TIMES.values():
        if values[position] is None:
            values[position] = old[position]
    if order.status == OrderStatus.PAID and values[12] is None:
        values[12] = values[11]
    return tuple(values)
