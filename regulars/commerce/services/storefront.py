"""Storefront events (product views, searches, page views): idempotent on external id."""

from django.db import IntegrityError, transaction

from regulars.commerce.models import Event
from regulars.commerce.schemas import EventIn
from regulars.commerce.services.common import UpsertResult, aware
from regulars.commerce.services.customers import resolve_customer


def record_event(store, data: EventIn, *, source: str) -> UpsertResult:
    with transaction.atomic():
        if data.external_id:
            kept = Event.objects.filter(store=store, external_id=data.external_id).first()
            if kept is not None:
                return UpsertResult(kept)
        customer = resolve_customer(
            store,
            customer=None,
            external_id=data.customer_external_id,
            email=data.email,
            source=source,
        )
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    store=store,
                    external_id=data.external_id,
                    customer=customer,
                    kind=data.kind,
                    properties=data.properties,
                    occurred_at=aware(data.occurred_at, store),
                )
        except IntegrityError:
            return UpsertResult(Event.objects.get(store=store, external_id=data.external_id))
        return UpsertResult(event, created=True)
