"""Products: upsert by external id."""

from django.db import IntegrityError, transaction

from regulars.commerce.models import Product
from regulars.commerce.schemas import ProductIn
from regulars.commerce.services.common import UpsertResult, apply_fields, aware, is_stale


def upsert_product(store, data: ProductIn, *, source: str) -> UpsertResult:
    updated_at = aware(data.updated_at, store)
    values = {
        "sku": data.sku,
        "title": data.title,
        "url": data.url,
        "image_url": data.image_url,
        "price": data.price,
        "currency": data.currency or store.currency,
        "category": data.category,
        "tags": list(data.tags),
        "published": data.published,
        "in_stock": data.in_stock,
    }
    with transaction.atomic():
        product = Product.objects.filter(store=store, external_id=data.external_id).first()
        if product is None:
            try:
                with transaction.atomic():
                    product = Product.objects.create(
                        store=store,
                        external_id=data.external_id,
                        source=source,
                        source_updated_at=updated_at,
                        **values,
                    )
            except IntegrityError:
                return upsert_product(store, data, source=source)
            return UpsertResult(product, created=True)
        if is_stale(product.source_updated_at, updated_at):
            return UpsertResult(product, stale=True)
        changed = apply_fields(product, values)
        if updated_at:
            apply_fields(product, {"source_updated_at": updated_at})
        if changed or updated_at:
            product.save()
        return UpsertResult(product, updated=bool(changed))


def products_by_external_id(store, external_ids) -> dict[str, Product]:
    ids = {i for i in external_ids if i}
    if not ids:
        return {}
    return {p.external_id: p for p in Product.objects.filter(store=store, external_id__in=ids)}
