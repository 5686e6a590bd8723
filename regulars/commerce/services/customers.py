"""Customers: upsert by external id, else by e-mail or phone; consent with time and source."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from regulars.commerce import domain_events
from regulars.commerce.models import CONSENT_CHANNELS, Consent, ConsentChange, Customer
from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services.common import UpsertResult, apply_fields, aware, is_stale
from regulars.core import prepared
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.prepared import Prepared

# Profile fields copied from the input when it carries a value; an empty value never erases
# what is kept, because many senders (an order's embedded customer) carry only a few fields.
_PROFILE_FIELDS = ("email", "phone", "first_name", "last_name", "language", "timezone", "birthday")


def _find(store, data: CustomerIn) -> Customer | None:
    # Every order webhook asks for its customer, so the look-ups are compiled once.
    if data.external_id:
        found = _first(_BY_EXTERNAL_ID, store.pk, data.external_id)
        if found is not None:
            return found
        # A guest known only by e-mail (or phone) becomes this account.
        by_email, by_phone = _GUEST_BY_EMAIL, _GUEST_BY_PHONE
    else:
        by_email, by_phone = _BY_EMAIL, _BY_PHONE
    if data.email:
        found = _first(by_email, store.pk, data.email)
        if found is not None:
            return found
    if data.phone:
        return _first(by_phone, store.pk, data.phone)
    return None


def _first(statement: Prepared, *args) -> Customer | None:
    return prepared.first(Customer, statement, *args)


def _lookup(field: str, *, guest: bool = False) -> Prepared:
    """The store's first customer (by id) whose `field` is a given value; with `guest`, among
    those without an external id only."""
    guests = {"external_id": ""} if guest else {}

    def build(store_id, value):
        customers = Customer.objects.filter(store_id=store_id, **{field: value}, **guests)
        return prepared.select(customers.order_by("pk")[:1])

    return Prepared(build, int, str)


_BY_EXTERNAL_ID = _lookup("external_id")
_BY_EMAIL, _GUEST_BY_EMAIL = _lookup("email"), _lookup("email", guest=True)
_BY_PHONE, _GUEST_BY_PHONE = _lookup("phone"), _lookup("phone", guest=True)


def upsert_customer(store, data: CustomerIn, *, source: str) -> UpsertResult:
    updated_at = aware(data.updated_at, store)
    with transaction.atomic():
        customer = _find(store, data)
        if customer is None:
            return _create(store, data, source=source, updated_at=updated_at)
        if is_stale(customer.source_updated_at, updated_at):
            return UpsertResult(customer, stale=True)
        values = {name: getattr(data, name) for name in _PROFILE_FIELDS if getattr(data, name)}
        if data.external_id and not customer.external_id:
            values["external_id"] = data.external_id
        if data.tags:
            values["tags"] = list(data.tags)
        first_seen = aware(data.first_seen_at, store)
        if first_seen and first_seen < customer.first_seen_at:
            values["first_seen_at"] = first_seen
        if updated_at:
            values["source_updated_at"] = updated_at
        changed = apply_fields(customer, values)
        consent_changes = _apply_consent(customer, data, source=source, store=store)
        if changed or consent_changes:
            customer.save()
            domain_events.customer_updated(customer)
        _record_consent_changes(customer, consent_changes, source=source)
        meaningful = set(changed) - {"source_updated_at"}
        return UpsertResult(customer, updated=bool(meaningful or consent_changes))


def _create(store, data: CustomerIn, *, source: str, updated_at) -> UpsertResult:
    customer = Customer(
        store=store,
        external_id=data.external_id,
        first_seen_at=aware(data.first_seen_at, store) or timezone.now(),
        tags=list(data.tags),
        source=source,
        source_updated_at=updated_at,
        **{name: getattr(data, name) for name in _PROFILE_FIELDS if getattr(data, name)},
    )
    consent_changes = _apply_consent(customer, data, source=source, store=store)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        # Another request created the same external id a moment ago: update that one instead.
        return upsert_customer(store, data, source=source)
    domain_events.customer_created(customer)
    _record_consent_changes(customer, consent_changes, source=source)
    return UpsertResult(customer, created=True)


def _apply_consent(customer: Customer, data: CustomerIn, *, source: str, store):
    """Set the consent fields the input carries; the changes, for the audit trail and events."""
    changes = []
    for channel in CONSENT_CHANNELS:
        state = getattr(data, f"{channel}_consent")
        previous = getattr(customer, f"{channel}_consent")
        if state is None or state == previous:
            continue
        at = aware(getattr(data, f"{channel}_consent_at"), store) or aware(data.updated_at, store)
        _set_consent_fields(customer, channel, state, at or timezone.now(), source)
        changes.append((channel, str(state), previous))
    return changes


def _record_consent_changes(customer: Customer, changes, *, source: str) -> None:
    ConsentChange.objects.bulk_create(
        ConsentChange(
            store_id=customer.store_id,
            customer=customer,
            channel=channel,
            state=state,
            previous=previous,
            source=source[:40],
            at=getattr(customer, f"{channel}_consent_at"),
        )
        for channel, state, previous in changes
    )
    for channel, state, _previous in changes:
        domain_events.consent_changed(customer, channel=channel, state=state)


def _set_consent_fields(customer: Customer, channel: str, state: str, at, source: str) -> None:
    setattr(customer, f"{channel}_consent", state)
    setattr(customer, f"{channel}_consent_at", at)
    setattr(customer, f"{channel}_consent_source", source[:40])


def do_set_consent(
    customer: Customer,
    *,
    channel: str,
    state: str,
    source: str,
    at=None,
    text: str = "",
    actor=None,
) -> bool:
    """Record a consent change for one channel, with its audit row; False if nothing changed.

    `text` is what the customer agreed to (kept word for word); `actor` the staff user who
    changed it by hand.
    """
    if channel not in CONSENT_CHANNELS:
        raise ValueError(f"unknown consent channel {channel!r}")
    if state not in Consent.values:
        raise ValueError(f"unknown consent state {state!r}")
    previous = getattr(customer, f"{channel}_consent")
    if previous == state:
        return False
    at = at or timezone.now()
    with transaction.atomic():
        _set_consent_fields(customer, channel, state, at, source)
        customer.save(
            update_fields=[
                f"{channel}_consent",
                f"{channel}_consent_at",
                f"{channel}_consent_source",
            ]
        )
        ConsentChange.objects.create(
            store_id=customer.store_id,
            customer=customer,
            channel=channel,
            state=state,
            previous=previous,
            source=source[:40],
            text=text,
            actor=actor,
            at=at,
        )
    domain_events.consent_changed(customer, channel=channel, state=state)
    return True


def resolve_customer(
    store, *, customer: CustomerIn | None, external_id: str, email: str, source: str
) -> Customer | None:
    """The customer an order, cart or event belongs to, created from what the sender knows."""
    if customer is not None:
        return upsert_customer(store, customer, source=source).obj
    if external_id:
        found = _first(_BY_EXTERNAL_ID, store.pk, external_id)
        if found is not None:
            return found
    if external_id or email:
        return upsert_customer(
            store, CustomerIn(external_id=external_id, email=email), source=source
        ).obj
    return None


def access_customer(store, *, customer_id: int | None, external_id: str = "") -> Customer:
    """The store's customer by Regulars id, else by the store's own id; a not-found error
    naming the field that was given (API calls that act on one customer use this)."""
    customers = Customer.objects.filter(store=store)
    customer = (
        customers.filter(pk=customer_id).first()
        if customer_id
        else customers.filter(external_id=external_id).first()
    )
    if customer is None:
        field = "customer_id" if customer_id else "customer_external_id"
        raise RegularsError(
            "No such customer in this store.", code=CoreErrorCode.NOT_FOUND, field=field
        )
    return customer
