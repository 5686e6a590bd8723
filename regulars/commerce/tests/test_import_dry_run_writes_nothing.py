import pytest

from regulars.commerce.models import Customer, ImportRun, Order, OrderLine, Product
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def test_a_dry_run_counts_what_would_change_and_writes_nothing(store, tmp_path):
    path = write_csv(
        tmp_path / "orders.csv",
        GENERIC_HEADER,
        [generic_row("1"), generic_row("2", total="x"), generic_row("3", email="b1@example.com")],
    )

    code, out, err = run_import(path, store, "--dry-run")

    assert code == 2  # the bad row is reported as in a real import
    assert f"{path}:3: total: 'x' is not a number" in err
    assert out.startswith(f"Checked (dry run, nothing written) {path}")
    assert "orders created:     2" in out and "customers created:  2" in out
    for model in (Order, OrderLine, Customer, Product, ImportRun):
        assert not model.objects.exists()
