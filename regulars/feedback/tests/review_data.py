"""Data for the review tests, made through the services the product uses: customers, orders with
their lines, a delivered (or not yet delivered) fulfillment; images made with Pillow. (The
`media` fixture, a media folder of the test's own, is in conftest.py.)"""

import io
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from regulars.commerce.models import Customer, Order, Product
from regulars.commerce.schemas import FulfillmentIn, OrderIn
from regulars.commerce.services import upsert_fulfillment, upsert_order
from regulars.feedback import links
from regulars.feedback.models import FeedbackSettings

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def order(
    store,
    external_id: str = "1001",
    *,
    customer: str = "c1",
    email: str | None = None,
    first_name: str = "Ana",
    last_name: str = "Silva",
    language: str = "",
    products: tuple[tuple[str, str], ...] = (("p1", "Blue Train LP"),),
    delivered: bool = True,
) -> Order:
    """A paid order of `customer` with a line per (external id, title) product, shipped, and
    delivered unless `delivered` is False."""
    data = OrderIn(
        external_id=external_id,
        name=f"#{external_id}",
        customer={
            "external_id": customer,
            "email": email or f"{customer}@example.com",
            "first_name": first_name,
            "last_name": last_name,
            **({"language": language} if language else {}),
        },
        status="paid",
        currency="USD",
        total="30.00",
        placed_at="2026-05-01T10:00:00Z",
        updated_at="2026-05-01T10:00:00Z",
        lines=[
            {
                "external_id": f"{external_id}-{n}",
                "product_external_id": pid,
                "title": title,
                "quantity": 1,
                "unit_price": "15.00",
            }
            for n, (pid, title) in enumerate(products, 1)
        ],
    )
    placed = upsert_order(store, data, source="api").obj
    fulfillment = FulfillmentIn(
        external_id=f"f-{external_id}",
        order_external_id=external_id,
        status="delivered" if delivered else "in_transit",
        shipped_at="2026-05-02T10:00:00Z",
        updated_at="2026-05-04T10:00:00Z",
    )
    upsert_fulfillment(store, fulfillment, source="api")
    return Order.objects.select_related("customer").get(pk=placed.pk)


def product(store, external_id: str = "p1") -> Product:
    return Product.objects.get(store=store, external_id=external_id)


def customer(store, external_id: str = "c1") -> Customer:
    return Customer.objects.get(store=store, external_id=external_id)


def review_path(placed: Order) -> str:
    """The path of the review page of an order's signed link."""
    return urlsplit(links.review_url(placed.store_id, placed.pk, placed.customer_id)).path


def settings_of(store, **values) -> FeedbackSettings:
    found, _ = FeedbackSettings.objects.update_or_create(store=store, defaults=values)
    return found


def image_bytes(fmt: str = "JPEG", size=(40, 30), **save) -> bytes:
    out = io.BytesIO()
    mode = "RGB" if fmt in ("JPEG", "GIF") else "RGBA"
    Image.new(mode, size, (200, 80, 40)).save(out, format=fmt, **save)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# The start of a PDF: a file some customers pick by mistake, renamed .jpg or not.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
