from datetime import UTC, datetime
from decimal import Decimal

import pytest

from regulars.commerce.models import ImportRun, Order, OrderStatus
from regulars.commerce.services import upsert_order
from regulars.commerce.tests.builders import order_in
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def test_a_changed_row_updates_its_order_and_lines(store, tmp_path):
    path = tmp_path / "orders.csv"
    write_csv(path, GENERIC_HEADER, [generic_row("1"), generic_row("2")])
    run_import(path, store)
    write_csv(
        path,
        GENERIC_HEADER,
        [
            generic_row("1", status="refunded", refunded_at="2026-03-05T00:00:00Z"),
            generic_row("2", quantity="2", total="30.00"),
        ],
    )

    code, out, _ = run_import(path, store)

    assert code == 0
    assert "orders created:     0" in out and "orders updated:     2" in out
    first = Order.objects.get(store=store, external_id="1")
    assert first.status == OrderStatus.REFUNDED
    assert first.refunded_at == datetime(2026, 3, 5, tzinfo=UTC)
    second = Order.objects.get(store=store, external_id="2")
    assert second.total == Decimal("30.00")
    assert [(x.quantity, x.total) for x in second.lines.all()] == [(2, Decimal("30.00"))]
    run = ImportRun.objects.filter(store=store).order_by("pk").last()
    assert (run.created, run.updated) == (0, 2)


def test_an_empty_cell_does_not_erase_a_time_already_kept(store, tmp_path):
    path = tmp_path / "orders.csv"
    write_csv(path, GENERIC_HEADER, [generic_row("1", paid_at="2026-03-01T11:00:00Z")])
    run_import(path, store)
    write_csv(path, GENERIC_HEADER, [generic_row("1", paid_at="", total="16.00")])

    run_import(path, store)

    order = Order.objects.get(store=store, external_id="1")
    assert order.total == Decimal("16.00")
    assert order.paid_at == datetime(2026, 3, 1, 11, tzinfo=UTC)


def test_a_row_older_than_the_kept_order_is_left_alone(store, tmp_path):
    path = tmp_path / "orders.csv"
    write_csv(
        path,
        GENERIC_HEADER,
        [generic_row("1", updated_at="2026-03-02T00:00:00Z", total="20.00")],
    )
    run_import(path, store)
    write_csv(
        path,
        GENERIC_HEADER,
        [generic_row("1", updated_at="2026-03-01T00:00:00Z", total="99.00")],
    )

    code, out, _ = run_import(path, store)

    assert code == 0
    assert "orders kept (newer copy already here): 1" in out
    assert Order.objects.get(store=store, external_id="1").total == Decimal("20.00")


def test_an_order_kept_from_the_api_is_not_overwritten_by_an_undated_row(store, tmp_path):
    upsert_order(store, order_in(external_id="1"), source="api")
    kept = Order.objects.get(store=store, external_id="1")
    path = write_csv(tmp_path / "orders.csv", GENERIC_HEADER, [generic_row("1", total="99.00")])

    code, out, _ = run_import(path, store)

    assert code == 0
    assert "orders kept (newer copy already here): 1" in out
    assert Order.objects.get(store=store, external_id="1").total == kept.total
