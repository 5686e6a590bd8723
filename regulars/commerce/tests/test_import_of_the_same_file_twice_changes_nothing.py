import pytest

from regulars.commerce.models import Customer, ImportRun, Order, OrderLine, Product
from regulars.commerce.tests.import_csv import (
    GENERIC_HEADER,
    SHOPIFY_HEADER,
    generic_row,
    run_import,
    write_csv,
)

pytestmark = pytest.mark.django_db


def snapshot(store):
    return (
        list(Order.objects.filter(store=store).order_by("pk").values()),
        list(OrderLine.objects.filter(store=store).order_by("pk").values()),
        list(Customer.objects.filter(store=store).order_by("pk").values()),
        list(Product.objects.filter(store=store).order_by("pk").values()),
    )


def test_a_generic_file_imported_twice_changes_nothing_the_second_time(store, tmp_path):
    path = write_csv(
        tmp_path / "orders.csv",
        GENERIC_HEADER,
        [
            generic_row("1", customer_id="C1", coupon_codes="A;B"),
            generic_row("1", product_id="LP-2", title="Giant Steps LP"),
            generic_row("2", status="cancelled", cancelled_at="", email="x@example.com"),
        ],
    )
    run_import(path, store)
    before = snapshot(store)

    code, out, _ = run_import(path, store)

    assert code == 0
    assert "orders created:     0" in out
    assert "orders updated:     0" in out
    assert "orders unchanged:   2" in out
    assert "customers created:  0" in out and "products created:   0" in out
    assert snapshot(store) == before
    second = ImportRun.objects.filter(store=store).order_by("pk").last()
    assert (second.created, second.updated, second.rejected) == (0, 0, 0)


def test_a_shopify_export_imported_twice_changes_nothing_the_second_time(store, tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        SHOPIFY_HEADER,
        [
            {
                "Name": "#1",
                "Email": "a@example.com",
                "Financial Status": "paid",
                "Currency": "USD",
                "Total": "10.00",
                "Created at": "2026-03-01 10:00:00 +0000",
                "Lineitem quantity": "1",
                "Lineitem name": "LP",
                "Lineitem price": "10.00",
                "Lineitem sku": "LP",
            },
        ],
    )
    run_import(path, store)
    before = snapshot(store)

    code, out, _ = run_import(path, store)

    assert code == 0 and "orders unchanged:   1" in out
    assert snapshot(store) == before
