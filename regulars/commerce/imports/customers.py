"""The customers of a batch of imported orders: found with one query per kind of key, the
rest created with one INSERT.

Matching follows commerce.services.customers: by external id; an unknown external id adopts a
guest (no external id) with the same e-mail; without an external id, by e-mail, then by phone.
An import is history, older than what webhooks and the API keep up to date, so it only fills
in what a kept customer lacks (an empty name, e-mail or phone, an earlier first-seen time) and
never overwrites a value. Consent is taken from the file only for customers it creates.
"""

from dataclasses import dataclass, field
from datetime import datetime

from regulars.commerce.imports.records import OrderRecord, customer_key
from regulars.commerce.imports.sql import BulkInsert, among, bulk_update, time_text
from regulars.commerce.models import Consent, Customer, Source

Key = tuple[str, str]

_KEPT = ("id", "external_id", "email", "phone", "first_name", "last_name", "first_seen_at")
_FILLED = ("email", "phone", "first_name", "last_name")
_CONSENT_SOURCE = "csv import"


@dataclass(slots=True)
class _Wanted:
    """One customer of the batch, merged from all the orders that name them."""

    external_id: str
    email: str
    phone: str
    first_name: str
    last_name: str
    first_seen_at: str  # database text of their earliest order in the batch
    consent: bool | None = None  # "accepts marketing", as their latest order says
    consent_at: str | None = None

    def merge(self, other) -> None:
        for name in _FILLED:
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))


@dataclass(slots=True)
class _Kept:
    id: int
    external_id: str
    email: str
    phone: str
    first_name: str
    last_name: str
    first_seen_at: datetime | str
    changed: set = field(default_factory=set)


class CustomerResolver:
    def __init__(self, store, *, now: datetime, dry_run: bool):
        self.store = store
        self.now = now
        self.time_text = time_text()
        self.insert = BulkInsert(
            Customer,
            [
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
        ids = {key: customer.id for key, customer in kept.items()}
        missing = [key for key in wanted if key not in kept]
        if missing:
            ids.update(self._create(missing, wanted))
        for alias, key in aliases.items():
            ids[alias] = ids[key]
        return ids

    # --- finding ------------------------------------------------------------------------------

    def _find(self, wanted: dict[Key, _Wanted]) -> dict[Key, _Kept]:
        by_kind: dict[str, list[str]] = {"id": [], "email": [], "phone": []}
        for kind, value in wanted:
            by_kind[kind].append(value)
        customers = Customer.objects.filter(store=self.store)
        kept: dict[Key, _Kept] = {}
        if by_kind["id"]:
            query = customers.filter(external_id__in=among(by_kind["id"])).exclude(external_id="")
            for row in query.values_list(*_KEPT):
                kept[("id", row[1])] = self._kept(row)
        self._adopt_guests(wanted, kept, customers)
        for kind in ("email", "phone"):
            if by_kind[kind]:
                query = customers.filter(**{f"{kind}__in": among(by_kind[kind])}).order_by("pk")
                for row in query.values_list(*_KEPT):
                    customer = self._kept(row)
                    kept.setdefault((kind, getattr(customer, kind)), customer)
        return kept

    def _kept(self, row) -> _Kept:
        customer = _Kept(*row)
        customer.first_seen_at = self.time_text(customer.first_seen_at)
        return customer

    def _adopt_guests(self, wanted, kept, customers) -> None:
        """An unknown external id takes over the guest customer with the same e-mail."""
        emails = {
            w.email: key
            for key, w in wanted.items()
            if key[0] == "id" and key not in kept and w.email
        }
        if emails:
            query = customers.filter(external_id="", email__in=among(list(emails))).order_by("pk")
            for row in query.values_list(*_KEPT):
                key = emails.pop(row[2], None)
                if key is not None:
                    guest = self._kept(row)
                    guest.external_id = key[1]
                    guest.changed.add("external_id")
                    kept[key] = guest

    # --- writing ------------------------------------------------------------------------------

    def _fill_in(self, wanted: dict[Key, _Wanted], kept: dict[Key, _Kept]) -> None:
        rows = []
        for key, customer in kept.items():
            incoming = wanted[key]
            for name in _FILLED:
                value = getattr(incoming, name)
                if value and not getattr(customer, name):
                    setattr(customer, name, value)
                    customer.changed.add(name)
            if incoming.first_seen_at < customer.first_seen_at:
                customer.first_seen_at = incoming.first_seen_at
                customer.changed.add("first_seen_at")
            if customer.changed:
                rows.append(
                    (
                        customer.external_id,
                        customer.email,
                        customer.phone,
                        customer.first_name,
                        customer.last_name,
                        customer.first_seen_at,
                        self.time_text(self.now),
                        customer.id,
                    )
                )
        bulk_update(Customer, ("external_id", *_FILLED, "first_seen_at", "updated_at"), rows)

    def _create(self, missing: list[Key], wanted: dict[Key, _Wanted]) -> dict[Key, int]:
        store_id = self.store.pk
        rows = []
        for key in missing:
            w = wanted[key]
            subscribed = bool(w.consent and w.email)
            rows.append(
                (
                    store_id,
                    w.external_id,
                    w.email,
                    w.phone,
                    w.first_name,
                    w.last_name,
                    w.first_seen_at,
                    Consent.SUBSCRIBED if subscribed else Consent.UNKNOWN,
                    w.consent_at if subscribed else None,
                    _CONSENT_SOURCE if subscribed else "",
                    Source.CSV,
                )
            )
        self.insert.run(rows)
        self._count_created(missing)
        return self._new_ids(missing)

    def _count_created(self, keys: list[Key]) -> None:
        if self._dry_created is None:
            self.created += len(keys)
            return
        fresh = [key for key in keys if key not in self._dry_created]
        self._dry_created.update(fresh)
        self.created += len(fresh)

    def _new_ids(self, keys: list[Key]) -> dict[Key, int]:
        """Ids of the customers just created; a guest is the newest with its e-mail or phone."""
        customers = Customer.objects.filter(store=self.store)
        by_kind: dict[str, list[str]] = {"id": [], "email": [], "phone": []}
        for kind, value in keys:
            by_kind[kind].append(value)
        ids: dict[Key, int] = {}
        if by_kind["id"]:
            query = customers.filter(external_id__in=among(by_kind["id"])).exclude(external_id="")
            ids.update(
                (("id", external_id), pk)
                for pk, external_id in query.values_list("pk", "external_id")
            )
        guests = customers.filter(external_id="")
        for kind in ("email", "phone"):
            if by_kind[kind]:
                query = guests.filter(**{f"{kind}__in": among(by_kind[kind])}).order_by("pk")
                if kind == "phone":
                    query = query.filter(email="")
                ids.update(((kind, value), pk) for pk, value in query.values_list("pk", kind))
        return ids


def _collect(orders: list[OrderRecord]) -> tuple[dict[Key, _Wanted], dict[Key, Key]]:
    """The batch's customers by key, merged across their orders, and the e-mail keys that name
    a customer also given by external id in the same batch."""
    wanted: dict[Key, _Wanted] = {}
    for order in orders:
        record = order.customer
        if record is None:
            continue
        key = customer_key(record)
        w = wanted.get(key)
        if w is None:
            w = wanted[key] = _Wanted(*record[:5], first_seen_at=order.placed_at)
        else:
            w.merge(record)
            if order.placed_at < w.first_seen_at:  # database text of UTC times sorts as times
                w.first_seen_at = order.placed_at
        if record.accepts_marketing is not None and (
            w.consent_at is None or order.placed_at >= w.consent_at
        ):
            w.consent, w.consent_at = record.accepts_marketing, order.placed_at
    by_email = {w.email: key for key, w in wanted.items() if key[0] == "id" and w.email}
    aliases = {}
    for key in [k for k in wanted if k[0] == "email" and k[1] in by_email]:
        target = by_email[key[1]]
        alias = wanted.pop(key)
        wanted[target].merge(alias)
        wanted[target].first_seen_at = min(wanted[target].first_seen_at, alias.first_seen_at)
        aliases[key] = target
    return wanted, aliases
