"""Each bad row is named with its line, column and reason; the good rows are still imported,
the command exits with 2 and the ImportRun keeps the rejected rows for the dashboard."""

import pytest

from regulars.commerce.models import ImportRun, ImportStatus, Order
from regulars.commerce.tests.import_csv import (
    GENERIC_HEADER,
    SHOPIFY_HEADER,
    generic_row,
    run_import,
    write_csv,
)

pytestmark = pytest.mark.django_db

BAD_GENERIC_ROWS = [
    (
        {"placed_at": "2026-02-30T10:00:00Z"},
        "placed_at",
        "'2026-02-30T10:00:00Z' is not a valid date and time",
    ),
    ({"total": "12,5O"}, "total", "'12,5O' is not a number"),
    ({"order_id": ""}, "order_id", "is required on every row"),
    ({"email": "ada@"}, "email", "'ada@' is not an e-mail address"),
    ({"currency": "XYZ"}, "currency", "'XYZ' is not an ISO 4217 currency code"),
    ({"quantity": "two"}, "quantity", "'two' is not a whole number"),
    ({"status": "shipped"}, "status", "'shipped' is not one of pending, paid, cancelled, refunded"),
]


@pytest.mark.parametrize(("bad", "column", "reason"), BAD_GENERIC_ROWS)
def test_a_bad_generic_row_is_rejected_with_its_line_column_and_reason(
    store, tmp_path, bad, column, reason
):
    path = write_csv(
        tmp_path / "orders.csv",
        GENERIC_HEADER,
        [generic_row("1"), {**generic_row("2"), **bad}, generic_row("3")],
    )

    code, out, err = run_import(path, store)

    assert code == 2
    assert f"{path}:3: {column}: {reason}\n" in err
    assert "1 row was rejected" in err
    assert "orders created:     2" in out
    assert sorted(Order.objects.filter(store=store).values_list("external_id", flat=True)) == [
        "1",
        "3",
    ]
    run = ImportRun.objects.get(store=store)
    assert run.status == ImportStatus.DONE_WITH_ERRORS
    assert (run.rows_done, run.created, run.rejected) == (3, 2, 1)
    assert run.errors == [{"line": 3, "field": column, "message": reason, "level": "error"}]


def test_a_row_with_too_few_columns_names_the_first_missing_one(store, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,placed_at,currency,total\n1,2026-03-01,USD,10\n2,2026-03-01\n3,2026-03-01,USD,5\n"
    )

    code, _, err = run_import(path, store)

    assert code == 2
    assert f"{path}:3: currency: has 2 columns; the header has 4\n" in err
    assert set(Order.objects.filter(store=store).values_list("external_id", flat=True)) == {
        "1",
        "3",
    }


def test_a_row_that_is_not_utf8_is_rejected_and_the_others_are_imported(store, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(
        b"order_id,placed_at,currency,total,title\n"
        b"1,2026-03-01,USD,10,Caf\xc3\xa9 LP\n"
        b"2,2026-03-01,USD,10,Caf\xe9 LP\n"
        b"3,2026-03-01,USD,10,Tea LP\n"
    )

    code, _, err = run_import(path, store)

    assert code == 2
    assert f"{path}:3: is not UTF-8 text (byte 0xe9 on line 3); save the file as CSV UTF-8" in err
    assert set(Order.objects.filter(store=store).values_list("external_id", flat=True)) == {
        "1",
        "3",
    }
    assert Order.objects.get(store=store, external_id="1").lines.get().title == "Café LP"


def test_a_bad_shopify_row_rejects_its_whole_order(store, tmp_path):
    first = {
        "Name": "#1",
        "Email": "a@example.com",
        "Financial Status": "paid",
        "Currency": "USD",
        "Total": "25.00",
        "Created at": "2026-03-01 10:00:00 -0500",
        "Lineitem quantity": "1",
        "Lineitem name": "LP",
        "Lineitem price": "10.00",
    }
    second = {"Name": "#1", "Lineitem quantity": "x", "Lineitem name": "EP", "Lineitem price": "15"}
    good = {**first, "Name": "#2"}
    path = write_csv(tmp_path / "export.csv", SHOPIFY_HEADER, [first, second, good])

    code, _out, err = run_import(path, store)

    assert code == 2
    assert f"{path}:3: Lineitem quantity: 'x' is not a whole number\n" in err
    assert "2 rows were rejected" in err
    assert list(Order.objects.filter(store=store).values_list("name", flat=True)) == ["#2"]


def test_every_problem_of_a_row_is_reported(store, tmp_path):
    path = write_csv(
        tmp_path / "orders.csv",
        GENERIC_HEADER,
        [generic_row("1", total="abc", currency="XYZ", placed_at="soon")],
    )

    code, _, _ = run_import(path, store)

    assert code == 2
    run = ImportRun.objects.get(store=store)
    assert [(e["line"], e["field"]) for e in run.errors] == [
        (2, "currency"),
        (2, "total"),
        (2, "placed_at"),
    ]
    assert not Order.objects.filter(store=store).exists()
