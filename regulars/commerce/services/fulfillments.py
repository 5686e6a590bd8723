"""Fulfillments (shipments) of an order: upsert by external id; delivery is its own event."""

from django.db import IntegrityError, transaction

from regulars.commerce import domain_events
from regulars.commerce.errors import OrderNotFound
from regulars.commerce.models import Fulfillment, FulfillmentStatus, Order
from regulars.commerce.schemas import FulfillmentIn
from regulars.commerce.services.common import UpsertResult, apply_fields, aware, is_stale


def upsert_fulfillment(store, data: FulfillmentIn, *, source: str) -> UpsertResult:
    updated_at = aware(data.updated_at, store)
    order = Order.objects.filter(store=store, external_id=data.order_external_id).first()
    if order is None:
        raise OrderNotFound(data.order_external_id)
    values = {
        "order": order,
        "carrier": data.carrier,
        "tracking_number": data.tracking_number,
        "tracking_url": data.tracking_url,
        "status": data.status,
        "shipped_at": aware(data.shipped_at, store),
        "delivered_at": aware(data.delivered_at, store),
    }
    if data.status == FulfillmentStatus.DELIVERED and values["delivered_at"] is None:
        values["delivered_at"] = updated_at or values["shipped_at"]
    if updated_at:
        values["source_updated_at"] = updated_at
    with transaction.atomic():
        fulfillment = (
            Fulfillment.objects.select_for_update()
            .filter(store=store, external_id=data.external_id)
            .first()
        )
        if fulfillment is None:
            try:
                with transaction.atomic():
                    fulfillment = Fulfillment.objects.create(
                        store=store, external_id=data.external_id, source=source, **values
                    )
            except IntegrityError:
                return upsert_fulfillment(store, data, source=source)
            domain_events.fulfillment_created(fulfillment)
            if fulfillment.status == FulfillmentStatus.DELIVERED:
                domain_events.fulfillment_delivered(fulfillment)
            return UpsertResult(fulfillment, created=True)
        if is_stale(fulfillment.source_updated_at, updated_at):
            return UpsertResult(fulfillment, stale=True)
        if values["delivered_at"] is None:
            values["delivered_at"] = fulfillment.delivered_at
        old_status = fulfillment.status
        changed = apply_fields(fulfillment, values)
        if changed:
            fulfillment.save()
        meaningful = set(changed) - {"source_updated_at"}
        if meaningful:
            domain_events.fulfillment_updated(fulfillment)
        if old_status != fulfillment.status and fulfillment.status == FulfillmentStatus.DELIVERED:
            domain_events.fulfillment_delivered(fulfillment)
        return UpsertResult(fulfillment, updated=bool(meaningful))
