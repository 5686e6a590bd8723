from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import Customer, Order, OrderLine, OrderStatus, Product, Source
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def test_it_imports_orders_with_their_lines_customers_and_products(store, tmp_path):
    path = write_csv(
        tmp_path / "orders.csv",
        GENERIC_HEADER,
        [
            generic_row(
                "A-1",
                placed_at="2026-03-01 10:00:00",  # no offset: the store's zone (New York)
                customer_id="C-7",
                email="Ada@Example.com",
                first_name="Ada",
                last_name="Lovelace",
                phone="+66 81 234 5678",
                subtotal="1,045.00",
                discount_total="5.00",
                shipping_total="4.99",
                tax_total="0",
                total="1,044.99",
                coupon_codes="SPRING5; VIP",
                product_id="LP-1",
                quantity="3",
                unit_price="15.00",
            ),
            generic_row(
                "A-1",
                placed_at="",
                email="",
                total="",
                currency="",
                status="",
                product_id="BOX-9",
                sku="BOX",
                title="Coltrane box set",
                quantity="1",
                unit_price="1000.00",
            ),
            generic_row("A-2", status="refunded", email="grace@example.com", currency="eur"),
        ],
    )

    code, out, err = run_import(path, store)

    assert (code, err) == (0, "")
    assert "(generic)" in out and "orders created:     2" in out
    order = Order.objects.get(store=store, external_id="A-1")
    assert order.placed_at == datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    assert order.status == OrderStatus.PAID and order.paid_at == order.placed_at
    assert order.source == Source.CSV
    assert (order.subtotal, order.discount_total, order.shipping_total, order.total) == (
        Decimal("1045.00"),
        Decimal("5.00"),
        Decimal("4.99"),
        Decimal("1044.99"),
    )
    assert order.coupon_codes == ["SPRING5", "VIP"]
    lines = OrderLine.objects.filter(order=order).order_by("pk")
    assert [(x.product.external_id, x.title, x.quantity, x.total) for x in lines] == [
        ("LP-1", "Blue Train LP", 3, Decimal("45.00")),
        ("BOX-9", "Coltrane box set", 1, Decimal("1000.00")),
    ]
    customer = order.customer
    assert (customer.external_id, customer.email, customer.phone) == (
        "C-7",
        "ada@example.com",
        "+66812345678",
    )
    assert (customer.first_name, customer.last_name) == ("Ada", "Lovelace")
    other = Order.objects.get(store=store, external_id="A-2")
    assert (other.status, other.currency, other.paid_at) == (OrderStatus.REFUNDED, "EUR", None)
    assert Product.objects.filter(store=store).count() == 2
    assert Customer.objects.filter(store=store).count() == 2


def test_only_the_four_required_columns_are_enough(store, tmp_path):
    path = tmp_path / "minimal.csv"
    path.write_text("order_id,placed_at,currency,total\n9,2026-03-01,USD,12.50\n")

    code, _out, _ = run_import(path, store)

    assert code == 0
    order = Order.objects.get(store=store, external_id="9")
    assert (order.total, order.subtotal, order.customer) == (
        Decimal("12.50"),
        Decimal("12.50"),
        None,
    )
    assert order.lines.count() == 0


def test_the_format_can_be_named_instead_of_detected(store, tmp_path):
    path = write_csv(tmp_path / "orders.csv", GENERIC_HEADER, [generic_row("1")])

    code, _, err = run_import(path, store, "--format", "shopify")

    assert code == 2
    assert err.endswith(
        "orders.csv: is missing the required columns Created at, Lineitem quantity,"
        " Lineitem name, Lineitem price of a Shopify orders export\n"
    )
    assert not Order.objects.filter(store=store).exists()


def test_reading_the_file_in_a_second_process_gives_the_same_result(store, tmp_path):
    rows = [generic_row(str(n), email=f"b{n % 7}@example.com") for n in range(1, 40)]
    rows.insert(5, {**generic_row("bad"), "total": "x"})
    # Read the careful way (a blank subtotal is the sum of the lines), as a named tuple.
    rows.append(
        generic_row("40", email="b5@example.com", subtotal=" ", quantity="2", unit_price="3.00")
    )
    path = write_csv(tmp_path / "orders.csv", GENERIC_HEADER, rows)

    code, out, err = run_import(path, store, "--parallel", "--batch-size", "10")

    assert code == 2
    assert f"{path}:7: total: 'x' is not a number" in err
    assert "orders created:     40" in out and "customers created:  7" in out
    assert Order.objects.filter(store=store).count() == 40
    assert Order.objects.get(store=store, external_id="40").subtotal == Decimal("6.00")
    line = OrderLine.objects.get(order__store=store, order__external_id="40")
    assert (line.quantity, line.unit_price, line.total) == (2, Decimal("3.00"), Decimal("6.00"))


def test_no_parallel_reads_and_writes_in_one_process(store, tmp_path):
    path = write_csv(tmp_path / "orders.csv", GENERIC_HEADER, [generic_row("1"), generic_row("2")])

    code, out, err = run_import(path, store, "--no-parallel")

    assert (code, err) == (0, "")
    assert "orders created:     2" in out
    assert Order.objects.filter(store=store).count() == 2
