from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import Customer
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def test_customers_are_found_by_email_and_their_order_figures_are_right(store, tmp_path):
    path = write_csv(
        tmp_path / "orders.csv",
        GENERIC_HEADER,
        [
            generic_row("1", email="ada@example.com", placed_at="2026-01-05T10:00:00Z"),
            generic_row("2", email="ADA@example.com", placed_at="2026-02-05T10:00:00Z", total="5"),
            generic_row("3", email="ada@example.com", status="pending", total="7"),
            generic_row("4", email="ada@example.com", status="refunded", total="100"),
            generic_row("5", email="bo@example.com"),
        ],
    )

    run_import(path, store)

    ada = Customer.objects.get(store=store, email="ada@example.com")
    assert ada.orders_count == 3  # paid and pending orders; refunded ones do not count
    assert ada.total_spent == Decimal("20.00")  # paid orders only
    assert ada.first_order_at == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert ada.last_order_at == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert ada.first_seen_at == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert Customer.objects.get(store=store, email="bo@example.com").orders_count == 1


def test_an_existing_customer_is_matched_by_email_and_recounted(store, tmp_path):
    first = write_csv(tmp_path / "a.csv", GENERIC_HEADER, [generic_row("1", email="a@x.org")])
    run_import(first, store)
    second = write_csv(
        tmp_path / "b.csv", GENERIC_HEADER, [generic_row("2", email="a@x.org", total="30")]
    )

    run_import(second, store)

    customer = Customer.objects.get(store=store)
    assert (customer.orders_count, customer.total_spent) == (2, Decimal("45.00"))
