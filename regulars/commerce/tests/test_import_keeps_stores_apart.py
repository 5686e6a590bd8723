import pytest

from regulars.commerce.models import Customer, Order, Product
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def test_the_same_ids_in_two_stores_stay_two_sets_of_rows(store, other_store, tmp_path):
    ours = write_csv(tmp_path / "a.csv", GENERIC_HEADER, [generic_row("1", customer_id="C1")])
    theirs = write_csv(
        tmp_path / "b.csv",
        GENERIC_HEADER,
        [generic_row("1", customer_id="C1", currency="THB", total="500.00", unit_price="500")],
    )
    run_import(ours, store)

    code, out, _ = run_import(theirs, other_store)

    assert code == 0 and "orders created:     1" in out and "customers created:  1" in out
    mine, other = Order.objects.get(store=store), Order.objects.get(store=other_store)
    assert (mine.currency, other.currency) == ("USD", "THB")
    assert mine.customer.store == store and other.customer.store == other_store
    assert mine.customer_id != other.customer_id
    assert other.lines.get().product.store == other_store
    assert Customer.objects.count() == 2 and Product.objects.count() == 2
