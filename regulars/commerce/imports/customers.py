"""The customers of a batch of imported orders: found with one query per kind of key, the
rest created with one INSERT.

Matching follows commerce.services.customers: by external id; an unknown external id adopts a
guest (no external id) with the same e-mail; without an external id, by e-mail, then by phone.
An import is history, older than what webhooks and the API keep up to date, so it only fills
in what a kept customer lacks (an empty name, e-mail or phone) and never overwrites a value;
first-seen times are lowered to the customer's earliest order once the import ends
(stats.lower_first_seen). Consent is taken from the file only for customers it creates.

A customer found or created once is remembered for the rest of the import: a file names most
customers many times, and asking the database again in every batch was a quarter of the
import's time. What is remembered is exactly what the database would answer (the customer a
key finds does not change while the import holds the write lock between batches), except the
e-mail keys that a batch's own orders tie to an external id: those take the full path, as
before, so that the answer never depends on which batch an order falls in more than it did.
"""

from datetime import datetime
from functools import cached_property
from operator import itemgetter

from django.db import connection

from regulars.commerce.imports.records import OrderRecord, customer_key
from regulars.commerce.imports.sql import (
    BulkInsert,
    among,
    bulk_update,
    time_text,
)
from regulars.commerce.models import Consent, Customer, Source
from regulars.core.bulkload import new_ids

Key = tuple[str, str]

_KEPT = ("id", "external_id", "email", "phone", "first_name", "last_name")
_FILLED = ("email", "phone", "first_name", "last_name")
_CONSENT_SOURCE = "csv import"

# A wanted customer (one of the batch's, merged from all the orders that name them) is a list:
# external id, e-mail, phone, first name, last name (the record's first five values), the
# database text of their earliest order in the batch, and "accepts marketing" as their latest
# order says with that order's time. Lists, not objects: there are some twenty thousand a batch.
_W_FIRST_SEEN, _W_CONSENT, _W_CONSENT_AT = 5, 6, 7
# A kept customer is a list in _KEPT's order, and whether the import changed it.
_K_ID, _K_EXTERNAL_ID, _K_CHANGED = 0, 1, 6

# A remembered customer is one int: its id shifted left by four bits, with a bit set for each
# of e-mail, phone, first and last name it still lacks (the record's values 1 to 4). Not a
# list: a file of a million orders names some hundreds of thousands of customers.
_LACKS = 0b1111
_SHIFT = 4


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
        self._known: dict[Key, int] = {}

    def resolve(self, orders: list[OrderRecord]) -> list[int | None]:
        """The customer id of each of `orders` (None for an order without a customer),
        creating the missing customers."""
        ids, keys, rest = self._remembered(orders)
        if rest:
            found = self._resolve([orders[i] for i in rest])
            for i in rest:
                ids[i] = found[keys[i]]
        return ids

    def forget(self) -> None:
        """Drop what was remembered: the transaction that wrote it was rolled back."""
        self._known.clear()

    def _remembered(self, orders: list[OrderRecord]) -> tuple[list, list, list[int]]:
        """The ids of the orders' customers answered from memory (None elsewhere), the orders'
        customer keys, and the positions of the orders left to the full path: unknown
        customers, remembered ones the order tells something they lack, and e-mail keys tied
        within the batch to an external id (`_collect`'s aliases)."""
        known = self._known
        keys = [None if o[_CUSTOMER] is None else customer_key(o[_CUSTOMER]) for o in orders]
        kinds = {key[0] for key in keys if key is not None}
        tied: set[str] = set()
        if "id" in kinds and "email" in kinds:
            id_emails = {
                o[_CUSTOMER][1] for o, k in zip(orders, keys, strict=True) if k and k[0] == "id"
            }
            tied = {k[1] for k in keys if k and k[0] == "email" and k[1] in id_emails}
        ids: list[int | None] = [None] * len(orders)
        rest = []
        for i, key in enumerate(keys):
            if key is None:
                continue
            packed = known.get(key)
            if (
                packed is None
                or (packed & _LACKS and _tells_more(packed, orders[i][_CUSTOMER]))
                or (tied and orders[i][_CUSTOMER][1] in tied)
            ):
                rest.append(i)
            else:
                ids[i] = packed >> _SHIFT
        return ids, keys, rest

    def _resolve(self, orders: list[OrderRecord]) -> dict[Key, int]:
        """Customer id for each customer key of `orders`: remembered customers filled in, the
        others found in the database or created, and all of them remembered."""
        wanted, aliases = _collect(orders)
        known = self._known
        unknown = {key: w for key, w in wanted.items() if key not in known}
        self._fill_in_remembered([(key, w) for key, w in wanted.items() if key in known])
        ids = {key: known[key] >> _SHIFT for key in wanted if key in known}
        if unknown:
            kept = self._find(unknown)
            self._fill_in(unknown, kept)
            for key, customer in kept.items():
                ids[key] = customer[_K_ID]
                known[key] = customer[_K_ID] << _SHIFT | _lacks(customer[2:6])
            missing = [key for key in unknown if key not in kept]
            if missing:
                for key, customer_id in self._create(missing, unknown).items():
                    ids[key] = customer_id
                    known[key] = customer_id << _SHIFT | _lacks(unknown[key][1:5])
        # Not remembered: an alias holds only within its batch (see the module's docstring).
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
        """Kept customers as lists in _KEPT's order, oldest first. Sorted here: ORDER BY id
        would make SQLite walk all of the store's customers in id order instead of looking
        the e-mails up in their index."""
        rows = [[*row, False] for row in query.values_list(*_KEPT)]
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
            if customer[_K_CHANGED]:
                rows.append((*customer[1:6], now, customer[_K_ID]))
        bulk_update(Customer, ("external_id", *_FILLED, "updated_at"), rows)

    def _fill_in_remembered(self, wanted: list[tuple[Key, list]]) -> None:
        """Fill in what remembered customers lack. The values were not kept, only which are
        empty; the UPDATE itself leaves alone a value another key of the same customer has
        filled in meanwhile."""
        known, rows = self._known, []
        now = self.time_text(self.now)
        for key, incoming in wanted:
            packed = known[key]
            lacks = packed & _LACKS
            if lacks and _tells_more(packed, incoming):
                rows.append((*incoming[1:5], now, packed >> _SHIFT))
                known[key] = packed & ~_LACKS | (lacks & _lacks(incoming[1:5]))
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self._fill_sql, rows)

    @cached_property
    def _fill_sql(self) -> str:
        quote = connection.ops.quote_name
        columns = {f.name: quote(f.column) for f in Customer._meta.concrete_fields}
        sets = ", ".join(
            f"{columns[name]} = CASE WHEN {columns[name]} = '' THEN %s ELSE {columns[name]} END"
            for name in _FILLED
        )
        table = quote(Customer._meta.db_table)
        # Names come from the model, values go as parameters.
        return (
            f"UPDATE {table} SET {sets}, {columns['updated_at']} = %s"  # noqa: S608
            f" WHERE {columns['id']} = %s"
        )

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


def _lacks(values) -> int:
    """The bits of the e-mail, phone, first and last name that `values` (those four) lack."""
    email, phone, first_name, last_name = values
    return (not email) | (not phone) << 1 | (not first_name) << 2 | (not last_name) << 3


def _tells_more(packed: int, record) -> bool:
    """Whether `record` (a customer record, or wanted) has a value the remembered customer
    lacks."""
    return bool(
        (packed & 1 and record[1])
        or (packed & 2 and record[2])
        or (packed & 4 and record[3])
        or (packed & 8 and record[4])
    )


def _merge(wanted: list, other) -> None:
    """Fill the e-mail, phone and names `wanted` lacks from `other` (a record or wanted)."""
    for position in (1, 2, 3, 4):
        if not wanted[position] and other[position]:
            wanted[position] = other[position]


_CUSTOMER = OrderRecord._fields.index("customer")
_PLACED_AT = OrderRecord._fields.index("placed_at")
