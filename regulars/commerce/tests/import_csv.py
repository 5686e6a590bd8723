"""CSV files for the import tests, written into pytest's tmp_path, and the command that reads them.

SHOPIFY_HEADER is the column list of Shopify's orders export ("Export orders" > "Plain CSV
file", as documented in Shopify's help centre, "Exporting orders"): one row per line item, the
order's fields on its first row only.
"""

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]

GENERIC_HEADER = [
    "order_id",
    "name",
    "placed_at",
    "updated_at",
    "paid_at",
    "cancelled_at",
    "refunded_at",
    "status",
    "customer_id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "currency",
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "total",
    "coupon_codes",
    "product_id",
    "sku",
    "title",
    "quantity",
    "unit_price",
]


def write_csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    """A UTF-8 CSV with `header`; each row gives some columns by name, the others are empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"not in the header: {unknown}"
        writer.writerow([row.get(column, "") for column in header])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def generic_row(order_id: str, **fields) -> dict:
    """One line of a generic order, with plausible values for what the test does not say."""
    row = {
        "order_id": order_id,
        "placed_at": "2026-03-01T10:00:00Z",
        "status": "paid",
        "email": f"buyer{order_id}@example.com",
        "currency": "USD",
        "total": "15.00",
        "product_id": "LP-1",
        "sku": "BT-LP",
        "title": "Blue Train LP",
        "quantity": "1",
        "unit_price": "15.00",
    }
    row.update(fields)
    return row


def run_import(path: Path, store, *options: str) -> tuple[int, str, str]:
    """`regulars import orders PATH --store SLUG` as the shell runs it: exit code, out, err."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import",
            "orders",
            str(path),
            "--store",
            store.slug,
            "--no-progress",
            *options,
            stdout=out,
            stderr=err,
        )
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
