"""The import remembers the customers and products it found or created, and commits several
batches at once: neither may change what ends up in the store. The same file imported one
order per batch, with a commit every two orders, and in one batch must leave the same rows."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.imports import service
from regulars.commerce.models import Customer, ImportRun, Order, OrderLine, Product
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def _file(tmp_path, *, adopted_guest: bool = True):
    """Customers named again and again, each time telling a little more."""
    rows = [
        # Ada by external id, without a phone or last name; later orders add them.
        generic_row(
            "1",
            customer_id="C1",
            email="ada@example.com",
            first_name="Ada",
            placed_at="2026-03-05T10:00:00Z",
        ),
        generic_row("2", email="guest@example.com", placed_at="2026-03-06T10:00:00Z"),
        generic_row(
            "3",
            customer_id="C1",
            phone="+442071838750",
            placed_at="2026-03-07T10:00:00Z",
            product_id="LP-2",
            title="Kind of Blue",
        ),
        # An earlier order of Ada's, later in the file: she was seen on 1 March.
        generic_row("4", customer_id="C1", last_name="Lovelace", placed_at="2026-03-01T08:00:00Z"),
        # The guest gets an external id: the same customer, not a second one.
        generic_row(
            "5",
            customer_id="C2",
            email="guest@example.com",
            first_name="Gus",
            placed_at="2026-03-08T10:00:00Z",
        ),
        generic_row(
            "6", email="guest@example.com", last_name="Grey", placed_at="2026-03-09T10:00:00Z"
        ),
        # A customer known by phone alone, named in a later order.
        generic_row("7", email="", phone="+66812345678", placed_at="2026-03-10T10:00:00Z"),
        generic_row(
            "8",
            email="",
            phone="+66812345678",
            first_name="Somchai",
            placed_at="2026-03-11T10:00:00Z",
            product_id="LP-2",
            title="Kind of Blue",
        ),
        generic_row(
            "9", customer_id="C1", email="other@example.com", placed_at="2026-03-12T10:00:00Z"
        ),
    ]
    if not adopted_guest:
        rows = [row for row in rows if row["order_id"] not in ("2", "5", "6")]
    return write_csv(tmp_path / "orders.csv", GENERIC_HEADER, rows)


def _state(store) -> tuple:
    customers = sorted(
        Customer.objects.filter(store=store).values_list(
            "external_id",
            "email",
            "phone",
            "first_name",
            "last_name",
            "first_seen_at",
            "orders_count",
            "first_order_at",
        )
    )
    orders = sorted(
        Order.objects.filter(store=store).values_list(
            "external_id", "customer__external_id", "customer__email", "customer__phone"
        )
    )
    lines = sorted(
        OrderLine.objects.filter(store=store).values_list("order__external_id", "product__title")
    )
    products = sorted(Product.objects.filter(store=store).values_list("external_id", "title"))
    return customers, orders, lines, products


@pytest.fixture
def small_transactions(monkeypatch):
    monkeypatch.setattr(service, "ORDERS_PER_TRANSACTION", 2)


def test_batches_and_transactions_leave_the_same_rows(
    store, other_store, tmp_path, small_transactions
):
    path = _file(tmp_path)

    assert run_import(path, store, "--batch-size", "1")[0] == 0
    assert run_import(path, other_store, "--batch-size", "100")[0] == 0

    assert _state(store) == _state(other_store)
    customers = _state(store)[0]
    assert len(customers) == 3  # Ada, Gus (the guest, adopted) and Somchai
    ada = Customer.objects.get(store=store, external_id="C1")
    assert (ada.email, ada.phone, ada.first_name, ada.last_name) == (
        "ada@example.com",  # an import fills in, never overwrites
        "+442071838750",
        "Ada",
        "Lovelace",
    )
    assert ada.first_seen_at == datetime(2026, 3, 1, 8, tzinfo=UTC)
    gus = Customer.objects.get(store=store, external_id="C2")
    assert (gus.email, gus.first_name, gus.last_name) == ("guest@example.com", "Gus", "Grey")
    assert gus.orders.count() == 3
    assert Customer.objects.get(store=store, phone="+66812345678").first_name == "Somchai"


def test_a_second_import_of_the_file_in_small_batches_changes_nothing(
    store, tmp_path, small_transactions
):
    path = _file(tmp_path)
    run_import(path, store, "--batch-size", "1")
    before = _state(store)

    code, out, _ = run_import(path, store, "--batch-size", "1")

    assert code == 0
    assert "orders unchanged:   9" in out and "customers created:  0" in out
    assert _state(store) == before


def test_a_dry_run_over_several_transactions_counts_as_the_import_would(
    store, tmp_path, small_transactions
):
    # Not with the guest adopted in a later transaction: a dry run rolls each transaction
    # back, so the later one cannot find the guest and counts a new customer
    # (docs/csv-import.md).
    path = _file(tmp_path, adopted_guest=False)

    _, dry, _ = run_import(path, store, "--batch-size", "1", "--dry-run")
    assert not Customer.objects.exists() and not Product.objects.exists()
    _, real, _ = run_import(path, store, "--batch-size", "1")

    counted = ("orders created:", "customers created:", "products created:", "lines written:")
    for line in dry.splitlines():
        if line.strip().startswith(counted):
            assert line in real.splitlines()
    assert "customers created:  2" in real and "products created:   2" in real


def test_a_failure_keeps_the_committed_transactions_and_reports_what_they_hold(
    store, tmp_path, small_transactions, monkeypatch
):
    path = _file(tmp_path)
    real_write = service.BatchWriter.write
    written = []

    def failing_write(writer, orders):
        if len(written) == 5:
            raise RuntimeError("the disk is full")
        written.append(orders)
        real_write(writer, orders)

    monkeypatch.setattr(service.BatchWriter, "write", failing_write)

    with pytest.raises(RuntimeError, match="the disk is full"):
        run_import(path, store, "--batch-size", "1")

    # Orders 1-4 were committed two by two; order 5 went with its transaction.
    assert sorted(Order.objects.filter(store=store).values_list("external_id", flat=True)) == [
        "1",
        "2",
        "3",
        "4",
    ]
    run = ImportRun.objects.get(store=store)
    assert (run.status, run.created) == ("failed", 4)
