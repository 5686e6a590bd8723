"""The customers of a batch of imported orders: found with one query per kind of key, the
rest created with one INSERT.

Matching follows commerce.services.customers: by external id; an unknown external id adopts a
guest (no external id) with the same e-mail; without an external id, by e-mail, then by phone.
An import is history, older than what webhooks and the API keep up to date, so it only fills
in what a kept customer lacks (an empty name, e-mail or phone, an earlier first-seen time) and
never overwrites a value. Consent is taken from the file only for customers it creates.
"""

from datetime import datetime
from operator import itemgetter

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from regulars.commerce.imports.records import OrderRecord, customer_key
from regulars.commerce.imports.sql import (
    BulkInsert,
    among,
    bulk_update,
    raw_rows,
    time_text,
)
from regulars.commerce.models import Consent, Customer, Source
from regulars.core.bulkload import new_ids

Key = tuple[str, str]

_KEPT = ("id", "external_id", "email", "phone", "first_name", "last_name", "first_seen_at")
_FILLED = ("email", "phone", "first_name", "last_name")
_CONSENT_SOURCE = "csv import"

# A wanted customer (one of the batch's, merged from all the orders that name them) is a list:
# external id, e-mail, phone, first name, last name (the record's first five values), the
# database text of their earliest order in the batch, and "accepts marketing" as their latest
# order says with that order's time. Lists, not objects: there are some twenty thousand a batch.
_W_FIRST_SEEN, _W_CONSENT, _W_CONSENT_AT = 5, 6, 7
# A kept customer is a list in _KEPT's order, and whether the import changed it.
_K_ID, _K_EXTERNAL_ID, _K_FIRST_SEEN, _K_CHANGED = 0, 1, 6, 7


class CustomerResolver:
    def __init__(self, store, *, now: datetime, dry_run: bool):
        self.store = store
        self.now = now
        self.time_text = time_text()
        self.insert = BulkInsert(
            Customer,
            [
                "id",
                "store",
                "external_id",
                "email",
                "phone",
                "first_name",
                "last_name",
                "first_seen_at",
                "email_consent",
                "email_consent_at",
                "email_consent_source",
                "source",
            ],
            now,
        )
        # A dry run rolls every batch back; remember what it "created" so as to count it once.
        self._dry_created: set[Key] | None = set() if dry_run else None
        self.created = 0

    def resolve(self, orders: list[OrderRecord]) -> dict[Key, int]:
        """Customer id for each customer key of `orders`, creating the missing customers."""
        wanted, aliases = _collect(orders)
        if not wanted:
            return {}
        kept = self._find(wanted)
        self._fill_in(wanted, kept)
        ids = {key: customer[_K_ID] for key, customer in kept.items()}
        missing = [key for key in wanted if key not in kept]
        if missing:
            ids.update(self._create(missing, wanted))
        for alias, key in aliases.items():
            ids[alias] = ids[key]
        return ids

    # --- finding ------------------------------------------------------------------------------

    def _find(self, wanted: dict[Key, list]) -> dict[Key, list]:
        by_kind: dict[str, list[str]] = {"id": [], "email": [], "phone": []}
        for kind, value in wanted:
            by_kind[kind].append(value)
        customers = Customer.objects.filter(store=self.store)
        kept: dict[Key, list] = {}
        if by_kind["id"]:
            query = customers.filter(external_id__in=among(by_kind["id"])).exclude(external_id="")
            for row in self._rows(query):
                kept[("id", row[_K_EXTERNAL_ID])] = row
        self._adopt_guests(wanted, kept, customers)
        for kind, position in (("email", 2), ("phone", 3)):
            if by_kind[kind]:
                query = customers.filter(**{f"{kind}__in": among(by_kind[kind])})
                for row in self._rows(query):
                    kept.setdefault((kind, row[position]), row)
        return kept

    def _rows(self, query) -> list[list]:
        """Kept customers as lists in _KEPT's order (first-seen time as database text), oldest
        first. Sorted here: ORDER BY id would make SQLite walk all of the store's customers in
        id order instead of looking the e-mails up in their index."""
        rows = []
        if connection.vendor == "sqlite":
            # As stored, text; Django would make a datetime of each, only to be made text again.
            query = query.annotate(seen_text=Cast("first_seen_at", TextField()))
            query = query.values_list(*_KEPT[:-1], "seen_text")
        else:
            query = query.values_list(*_KEPT)
        for row in raw_rows(query):
            row = [*row, False]
            seen = row[_K_FIRST_SEEN]
            if not isinstance(seen, str):  # PostgreSQL gives datetimes
                row[_K_FIRST_SEEN] = self.time_text(seen)
            rows.append(row)
        rows.sort(key=itemgetter(_K_ID))
        return rows

    def _adopt_guests(self, wanted, kept, customers) -> None:
        """An unknown external id takes over the guest customer with the same e-mail."""
        emails = {
            w[1]: key for key, w in wanted.items() if key[0] == "id" and key not in kept and w[1]
        }
        if emails:
            query = customers.filter(external_id="", email__in=among(list(emails)))
            for guest in self._rows(query):
                key = emails.pop(guest[2], None)
                if key is not None:
                    guest[_K_EXTERNAL_ID] = key[1]
                    guest[_K_CHANGED] = True
                    kept[key] = guest

    # --- writing ------------------------------------------------------------------------------

    def _fill_in(self, wanted: dict[Key, list], kept: dict[Key, list]) -> None:
        rows = []
        now = self.time_text(self.now)
        for key, customer in kept.items():
            incoming = wanted[key]
            # kept e-mail, phone, first and last name are at 2..5; the wanted ones at 1..4.
            if not (customer[2] and customer[3] and customer[4] and customer[5]):
                for position in (2, 3, 4, 5):
                    value = incoming[position - 1]
                    if value and not customer[position]:
                        customer[position] = value
                        customer[_K_CHANGED] = True
            if incoming[_W_FIRST_SEEN] < customer[_K_FIRST_SEEN]:
                customer[_K_FIRST_SEEN] = incoming[_W_FIRST_SEEN]
                customer[_K_CHANGED] = True
            if customer[_K_CHANGED]:
                rows.append((*customer[1:7], now, customer[_K_ID]))
        bulk_update(Customer, ("external_id", *_FILLED, "first_seen_at", "updated_at"), rows)

    def _create(self, missing: list[Key], wanted: dict[Key, list]) -> dict[Key, int]:
        store_id = self.store.pk
        rows = []
        ids = new_ids(Customer, len(missing))
        for customer_id, key in zip(ids, missing, strict=True):
            external_id, email, phone, first_name, last_name, first_seen, consent, consent_at = (
                wanted[key]
            )
            subscribed = bool(consent and email)
            rows.append(
                (
                    customer_id,
                    store_id,
                    external_id,
                    email,
                    phone,
                    first_name,
                    last_name,
                    first_seen,
                    Consent.SUBSCRIBED if subscribed else Consent.UNKNOWN,
                    consent_at if subscribed else None,
                    _CONSENT_SOURCE if subscribed else "",
                    Source.CSV,
                )
            )
        self.insert.run(rows)
        self._count_created(missing)
        return dict(zip(missing, ids, strict=True))

    def _count_created(self, keys: list[Key]) -> None:
        if self._dry_created is None:
            self.created += len(keys)
            return
        fresh = [key for key in keys if key not in self._dry_created]
        self._dry_created.update(fresh)
        self.created += len(fresh)


def _collect(orders: list[OrderRecord]) -> tuple[dict[Key, list], dict[Key, Key]]:
    """The batch's customers by key, merged across their orders, and the e-mail keys that name
    a customer also given by external id in the same batch."""
    wanted: dict[Key, list] = {}
    for order in orders:
        record = order[_CUSTOMER]
        if record is None:
            continue
        key = customer_key(record)
        placed_at = order[_PLACED_AT]
        w = wanted.get(key)
        if w is None:
            w = wanted[key] = [*record[:5], placed_at, None, None]
        else:
            _merge(w, record)
            if placed_at < w[_W_FIRST_SEEN]:  # database text of UTC times sorts as times
                w[_W_FIRST_SEEN] = placed_at
        consent = record[5]
        if consent is not None and (w[_W_CONSENT_AT] is None or placed_at >= w[_W_CONSENT_AT]):
            w[_W_CONSENT], w[_W_CONSENT_AT] = consent, placed_at
    by_email = {w[1]: key for key, w in wanted.items() if key[0] == "id" and w[1]}
    aliases = {}
    for key in [k for k in wanted if k[0] == "email" and k[1] in by_email]:
        target = by_email[key[1]]
        alias = wanted.pop(key)
        _merge(wanted[target], alias)
        wanted[target][_W_FIRST_SEEN] = min(wanted[target][_W_FIRST_SEEN], alias[_W_FIRST_SEEN])
        aliases[key] = target
    return wanted, aliases


def _merge(wanted: list, other) -> None:
    """Fill the e-mail, phone and names `wanted` lacks from `other` (a record or wanted)."""
    for position in (1, 2, 3, 4):
        if not wanted[position] and other[position]:
            wanted[position] = other[position]


_CUSTOMER = OrderRecord._fields.index("customer")
_PLACED_AT = OrderRecord._fields.index("placed_at")
