from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import (
    Customer,
    ImportRun,
    ImportStatus,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Source,
)
from regulars.commerce.tests.import_csv import SHOPIFY_HEADER, run_import, write_csv

pytestmark = pytest.mark.django_db


def shopify_export(tmp_path):
    # As Shopify writes it: the order's fields on its first row; later rows of the same Name
    # repeat Name, Email and Created at and carry only their line item.
    rows = [
        {
            "Name": "#1001",
            "Email": "Ada@Example.com",
            "Financial Status": "paid",
            "Paid at": "2026-03-01 10:16:00 -0500",
            "Fulfillment Status": "fulfilled",
            "Accepts Marketing": "yes",
            "Currency": "USD",
            "Subtotal": "45.00",
            "Shipping": "4.99",
            "Taxes": "3.15",
            "Total": "48.14",
            "Discount Code": "SPRING5",
            "Discount Amount": "5.00",
            "Created at": "2026-03-01 10:15:32 -0500",
            "Lineitem quantity": "2",
            "Lineitem name": "Blue Train LP",
            "Lineitem price": "15.00",
            "Lineitem sku": "BT-LP",
            "Billing Name": "Ada Lovelace",
            "Billing Phone": "+44 20 7946 0018",
            "Id": "5501",
        },
        {
            "Name": "#1001",
            "Email": "Ada@Example.com",
            "Created at": "2026-03-01 10:15:32 -0500",
            "Lineitem quantity": "1",
            "Lineitem name": "Kind of Blue LP",
            "Lineitem price": "15.00",
            "Lineitem sku": "KOB-LP",
        },
        {
            "Name": "#1002",
            "Email": "grace@example.com",
            "Financial Status": "refunded",
            "Currency": "USD",
            "Subtotal": "20.00",
            "Total": "20.00",
            "Created at": "2026-03-02 09:00:00 -0500",
            "Lineitem quantity": "1",
            "Lineitem name": "A Love Supreme LP",
            "Lineitem price": "20.00",
            "Lineitem sku": "ALS-LP",
            "Billing Name": "Grace Hopper",
            "Refunded Amount": "20.00",
            "Id": "5502",
        },
        {
            "Name": "#1003",
            "Email": "ada@example.com",
            "Financial Status": "pending",
            "Currency": "USD",
            "Total": "15.00",
            "Created at": "2026-03-03 12:00:00 -0500",
            "Cancelled at": "2026-03-03 13:00:00 -0500",
            "Lineitem quantity": "1",
            "Lineitem name": "Blue Train LP",
            "Lineitem price": "15.00",
            "Lineitem sku": "BT-LP",
            "Id": "5503",
        },
    ]
    return write_csv(tmp_path / "orders_export.csv", SHOPIFY_HEADER, rows)


def test_it_imports_each_order_with_its_line_items(store, tmp_path):
    code, out, err = run_import(shopify_export(tmp_path), store)

    assert (code, err) == (0, "")
    assert "(shopify)" in out
    assert "orders created:     3" in out
    order = Order.objects.get(store=store, external_id="5501")
    assert order.name == "#1001"
    assert order.status == OrderStatus.PAID
    assert order.source == Source.CSV
    assert order.currency == "USD"
    assert (order.subtotal, order.shipping_total, order.tax_total) == (
        Decimal("45.00"),
        Decimal("4.99"),
        Decimal("3.15"),
    )
    assert (order.discount_total, order.total) == (Decimal("5.00"), Decimal("48.14"))
    assert order.coupon_codes == ["SPRING5"]
    assert order.placed_at == datetime(2026, 3, 1, 15, 15, 32, tzinfo=UTC)
    assert order.paid_at == datetime(2026, 3, 1, 15, 16, tzinfo=UTC)
    lines = list(OrderLine.objects.filter(order=order).order_by("pk"))
    assert [(x.title, x.sku, x.quantity, x.unit_price, x.total) for x in lines] == [
        ("Blue Train LP", "BT-LP", 2, Decimal("15.00"), Decimal("30.00")),
        ("Kind of Blue LP", "KOB-LP", 1, Decimal("15.00"), Decimal("15.00")),
    ]


def test_it_reads_shopify_financial_statuses_and_cancellations(store, tmp_path):
    run_import(shopify_export(tmp_path), store)

    refunded = Order.objects.get(store=store, external_id="5502")
    cancelled = Order.objects.get(store=store, external_id="5503")
    assert refunded.status == OrderStatus.REFUNDED
    assert cancelled.status == OrderStatus.CANCELLED
    assert cancelled.cancelled_at == datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    assert cancelled.paid_at is None


def test_it_matches_customers_by_email_and_keeps_their_name_phone_and_consent(store, tmp_path):
    run_import(shopify_export(tmp_path), store)

    ada = Customer.objects.get(store=store, email="ada@example.com")
    assert (ada.first_name, ada.last_name, ada.phone) == ("Ada", "Lovelace", "+442079460018")
    assert ada.email_consent == "subscribed"
    assert ada.source == Source.CSV
    assert Customer.objects.filter(store=store).count() == 2
    assert set(Order.objects.filter(store=store, customer=ada).values_list("name", flat=True)) == {
        "#1001",
        "#1003",
    }


def test_it_creates_the_products_it_finds_by_sku(store, tmp_path):
    run_import(shopify_export(tmp_path), store)

    products = Product.objects.filter(store=store).order_by("sku")
    assert [(p.external_id, p.sku, p.title) for p in products] == [
        ("sku:ALS-LP", "ALS-LP", "A Love Supreme LP"),
        ("sku:BT-LP", "BT-LP", "Blue Train LP"),
        ("sku:KOB-LP", "KOB-LP", "Kind of Blue LP"),
    ]
    line = OrderLine.objects.get(order__external_id="5502")
    assert line.product == products[0]


def test_it_records_the_run_for_the_dashboard(store, tmp_path):
    path = shopify_export(tmp_path)
    run_import(path, store)

    run = ImportRun.objects.get(store=store)
    assert run.kind == "orders"
    assert run.file_name == str(path)
    assert run.file_format == "shopify"
    assert run.status == ImportStatus.DONE
    assert (run.rows_done, run.created, run.updated, run.rejected) == (4, 3, 0, 0)
    assert run.bytes_done == run.bytes_total == path.stat().st_size
    assert run.errors == []
    assert run.finished_at is not None
