"""NPS and CSAT are store-wide figures, so an answer whose e-mail or customer id matches no
customer of the store is kept without a customer, with a note naming the line; the command
still exits with 0. An unknown order id is noted the same way."""

import pytest

from regulars.commerce.models import ImportRun, ImportStatus
from regulars.commerce.services import upsert_customer
from regulars.commerce.tests.builders import customer_in
from regulars.insights.models import SurveyResponse
from regulars.insights.tests.surveys_csv import run_command, write_csv

pytestmark = pytest.mark.django_db

HEADER = ["customer_id", "email", "date", "score", "order_id"]


def test_an_answer_from_an_unknown_customer_is_kept_without_one(store, tmp_path):
    ana = upsert_customer(
        store, customer_in(external_id="c1", email="ana@example.com"), source="api"
    )
    path = write_csv(
        tmp_path / "nps.csv",
        HEADER,
        [
            {"email": "ana@example.com", "date": "2026-03-02", "score": "9"},
            {"email": "who@example.com", "date": "2026-03-02", "score": "2"},
            {"customer_id": "c404", "date": "2026-03-02", "score": "7"},
            # An unknown id with a known e-mail is matched by the e-mail.
            {"customer_id": "c405", "email": "ana@example.com", "date": "2026-03-03", "score": "8"},
            {
                "customer_id": "c406",
                "email": "nobody@example.com",
                "date": "2026-03-03",
                "score": "10",
            },
        ],
    )

    code, out, err = run_command(path, store)

    assert code == 0
    assert err == (
        f"{path}:3: email: no customer of this store has the e-mail 'who@example.com';"
        " the response is kept without a customer\n"
        f"{path}:4: customer_id: no customer of this store has the id 'c404';"
        " the response is kept without a customer\n"
        f"{path}:6: customer_id: no customer of this store has the id 'c406' or the e-mail"
        " 'nobody@example.com'; the response is kept without a customer\n"
    )
    assert "responses created:     5\n" in out
    assert "without a customer:   3\n" in out
    assert list(
        SurveyResponse.objects.filter(store=store)
        .order_by("answered_at", "score")
        .values_list("score", "customer_id")
    ) == [(2, None), (7, None), (9, ana.obj.pk), (8, ana.obj.pk), (10, None)]
    run = ImportRun.objects.get(store=store)
    assert (run.status, run.rejected, len(run.errors)) == (ImportStatus.DONE, 0, 3)
    assert {error["level"] for error in run.errors} == {"warning"}


def test_an_unknown_order_is_noted_and_the_answer_kept_without_it(store, tmp_path):
    upsert_customer(store, customer_in(external_id="c1", email="ana@example.com"), source="api")
    path = write_csv(
        tmp_path / "csat.csv",
        HEADER,
        [{"customer_id": "c1", "date": "2026-03-02", "score": "4", "order_id": "9999"}],
    )

    code, _, err = run_command(path, store, kind="csat")

    assert code == 0
    assert err == (
        f"{path}:2: order_id: no order of this store has the id '9999';"
        " the response is kept without an order\n"
    )
    response = SurveyResponse.objects.get(store=store)
    assert (response.order_id, response.customer.external_id) == (None, "c1")


def test_notes_are_listed_up_to_a_hundred_so_rejected_rows_stay_in_view(store, tmp_path):
    rows = [{"email": f"p{n}@example.com", "date": "2026-03-02", "score": "9"} for n in range(150)]
    rows.append({"email": "late@example.com", "date": "2026-03-02", "score": "99"})
    path = write_csv(tmp_path / "nps.csv", HEADER, rows)

    code, out, err = run_command(path, store, "--batch-size", "40")

    assert code == 2
    lines = err.splitlines()
    assert len([line for line in lines if "kept without a customer" in line]) == 100
    assert lines[-3:] == [
        f"{path}:152: score: '99' is outside the NPS scale 0–10",
        f"{path}: 50 more notes of answers kept without their customer or order are not listed",
        f"{path}: 1 row was rejected; see above",
    ]
    assert "without a customer:   150\n" in out
    run = ImportRun.objects.get(store=store)
    assert len(run.errors) == 101
    assert run.errors[-1]["level"] == "error"
