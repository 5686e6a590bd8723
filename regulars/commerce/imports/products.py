"""The products named by a batch's order lines: found with one query, the rest created.

As with lines sent through the API, an unknown product is created from its line (title, SKU,
price) so that best sellers and co-purchases count before the catalogue is synced; a kept
product is never changed by an import. Shopify's export carries no product id, so its lines
match a kept product by SKU, and a new one gets the external id "sku:<SKU>", which cannot be
mistaken for one of Shopify's numeric ids. A product found or created once is remembered for
the rest of the import: a file names the same few thousand products again and again.
"""

from datetime import datetime

from django.db.models import Q

from regulars.commerce.imports.records import OrderRecord
from regulars.commerce.imports.sql import BulkInsert, among
from regulars.commerce.models import Product, Source

SKU_PREFIX = "sku:"


class ProductResolver:
    def __init__(self, store, *, by_sku: bool, now: datetime, dry_run: bool):
        self.store = store
        self.by_sku = by_sku
        self.insert = BulkInsert(
            Product, ["store", "external_id", "sku", "title", "price", "currency", "source"], now
        )
        self._dry_created: set[str] | None = set() if dry_run else None
        self.created = 0
        self._known: dict[str, int] = {}

    def resolve(self, orders: list[OrderRecord]) -> dict[str, int]:
        """Product id for each product key (external id, or SKU) of the orders' lines, and
        for those of earlier batches."""
        known = self._known
        first_line = {}
        for order in orders:  # by position: records may be plain tuples (generic.py)
            for line in order[_LINES]:
                key = line[0]
                if key and key not in known and key not in first_line:
                    first_line[key] = (line, order[_CURRENCY])
        if not first_line:
            return known
        ids = self._find(list(first_line))
        missing = [key for key in first_line if key not in ids]
        if missing:
            rows = []
            for key in missing:
                line, currency = first_line[key]
                rows.append(
                    (
                        self.store.pk,
                        self._external_id(key),
                        line[1],  # sku
                        line[2],  # title
                        line[4],  # unit price
                        currency,
                        Source.CSV,
                    )
                )
            self.insert.run(rows)
            self._count_created(missing)
            ids.update(self._find(missing))
        known.update(ids)
        return known

    def forget(self) -> None:
        """Drop what was remembered: the transaction that wrote it was rolled back."""
        self._known.clear()

    def _external_id(self, key: str) -> str:
        return f"{SKU_PREFIX}{key}"[:64] if self.by_sku else key

    def _find(self, keys: list[str]) -> dict[str, int]:
        products = Product.objects.filter(store=self.store).exclude(external_id="")
        found: dict[str, int] = {}
        if not self.by_sku:
            query = products.filter(external_id__in=among(keys))
            return dict(query.values_list("external_id", "pk"))
        made = {self._external_id(sku): sku for sku in keys}
        query = Product.objects.filter(
            Q(sku__in=among(keys)) | Q(external_id__in=among(list(made))), store=self.store
        ).order_by("pk")
        for pk, external_id, sku in query.values_list("pk", "external_id", "sku"):
            found.setdefault(made.get(external_id, sku), pk)
        return found

    def _count_created(self, keys: list[str]) -> None:
        if self._dry_created is None:
            self.created += len(keys)
            return
        fresh = [key for key in keys if key not in self._dry_created]
        self._dry_created.update(fresh)
        self.created += len(fresh)


_LINES = OrderRecord._fields.index("lines")
_CURRENCY = OrderRecord._fields.index("currency")
