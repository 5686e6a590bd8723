"""An import matches only the store's own customers and orders: another store's customer with
the same e-mail or id is never linked, and each store keeps its own copy of an answer."""

import pytest

from regulars.commerce.services import upsert_customer, upsert_order
from regulars.commerce.tests.builders import customer_in, order_in
from regulars.insights.models import SurveyResponse
from regulars.insights.tests.surveys_csv import run_command, write_csv

pytestmark = pytest.mark.django_db

HEADER = ["customer_id", "email", "date", "score", "order_id"]


def test_a_customer_of_another_store_is_never_matched(store, other_store, tmp_path):
    upsert_customer(
        other_store, customer_in(external_id="c1", email="ana@example.com"), source="api"
    )
    upsert_order(other_store, order_in("1001"), source="api")
    path = write_csv(
        tmp_path / "nps.csv",
        HEADER,
        [
            {"email": "ana@example.com", "date": "2026-03-02", "score": "9"},
            {"customer_id": "c1", "date": "2026-03-02", "score": "10", "order_id": "1001"},
        ],
    )

    code, _, err = run_command(path, store)

    assert code == 0
    assert err.count("no customer of this store") == 2
    assert "no order of this store has the id '1001'" in err
    assert list(
        SurveyResponse.objects.filter(store=store).values_list("customer_id", "order_id")
    ) == [(None, None), (None, None)]
    assert not SurveyResponse.objects.filter(store=other_store).exists()


def test_the_same_file_is_imported_into_each_store_once(store, other_store, tmp_path):
    ana_here = upsert_customer(store, customer_in(email="ana@example.com"), source="api").obj
    ana_there = upsert_customer(other_store, customer_in(email="ana@example.com"), source="api").obj
    path = write_csv(
        tmp_path / "nps.csv",
        HEADER,
        [{"email": "ana@example.com", "date": "2026-03-02T10:00:00Z", "score": "9"}],
    )

    run_command(path, store)
    code, out, _ = run_command(path, other_store)

    assert code == 0
    assert "responses created:     1\n" in out
    here = SurveyResponse.objects.get(store=store)
    there = SurveyResponse.objects.get(store=other_store)
    assert (here.customer_id, there.customer_id) == (ana_here.pk, ana_there.pk)
    # The same answer, so the same external id: it is unique per store, not across stores.
    assert here.external_id == there.external_id
