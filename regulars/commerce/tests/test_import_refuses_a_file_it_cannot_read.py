import pytest

from regulars.commerce.models import ImportRun, ImportStatus, Order
from regulars.commerce.tests.import_csv import run_import

pytestmark = pytest.mark.django_db


def test_an_empty_file_is_refused(store, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    code, out, err = run_import(path, store)

    assert (code, out) == (2, "")
    assert err == f"CommandError: {path}: is empty\n"
    assert not Order.objects.filter(store=store).exists()


def test_a_header_of_no_known_format_is_refused_and_the_run_is_marked_failed(store, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("id;email;name\n1;a@example.com;Ada\n")

    code, _, err = run_import(path, store)

    assert code == 2
    assert err == (
        f"CommandError: {path}: is neither a Shopify orders export (no Lineitem columns) nor a"
        " generic orders CSV (no order_id column); its values are separated by ';' but Regulars"
        " reads comma-separated files\n"
    )
    run = ImportRun.objects.get(store=store)
    assert run.status == ImportStatus.FAILED
    assert run.errors[0]["message"].startswith("is neither a Shopify orders export")
    assert not Order.objects.filter(store=store).exists()


def test_a_header_that_is_not_utf8_is_refused(store, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"order_id,placed_at,currency,total,r\xe9f\n1,2026-03-01,USD,1,x\n")

    code, _, err = run_import(path, store)

    assert code == 2
    assert "line 1: the header is not UTF-8 text (byte 0xe9 on line 1)" in err
    assert not Order.objects.filter(store=store).exists()


def test_an_unknown_store_is_refused(store, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,placed_at,currency,total\n1,2026-03-01,USD,1\n")
    store.slug = "nope"

    code, _, err = run_import(path, store)

    assert code == 2
    assert "--store: no store has the slug 'nope'" in err
    assert not Order.objects.exists()
