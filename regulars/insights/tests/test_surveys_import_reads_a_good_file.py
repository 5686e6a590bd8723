"""`regulars insights import-responses`: a good file's answers are kept with their customer,
time, score, comment and channel; headers are read whatever their case and common names."""

from datetime import UTC, datetime

import pytest

from regulars.commerce.models import ImportRun, ImportStatus
from regulars.commerce.services import upsert_customer, upsert_order
from regulars.commerce.tests.builders import customer_in, order_in
from regulars.insights.models import SurveyResponse
from regulars.insights.tests.surveys_csv import HEADER, run_command, write_csv

pytestmark = pytest.mark.django_db


def test_it_imports_every_answer_of_a_good_file(store, tmp_path):
    ana = upsert_customer(
        store, customer_in(external_id="c1", email="ana@example.com"), source="api"
    )
    bo = upsert_customer(store, customer_in(external_id="c2", email="bo@example.com"), source="api")
    path = write_csv(
        tmp_path / "nps.csv",
        HEADER,
        [
            {"email": "Ana@Example.com", "date": "2026-03-02", "score": "9", "comment": "Fast!"},
            {
                "customer_id": "c2",
                "date": "2026-03-03T10:30:00+02:00",
                "score": "3",
                "channel": "SMS",
            },
        ],
    )

    code, out, err = run_command(path, store)

    assert (code, err) == (0, "")
    assert f"Imported {path} (NPS) into store {store.slug}" in out
    assert "responses created:     2\n" in out
    assert "rows rejected:        0" in out
    kept = SurveyResponse.objects.filter(store=store).order_by("answered_at")
    assert [
        (r.customer_id, r.kind, r.score, r.comment, r.channel, r.source, r.answered_at)
        for r in kept
    ] == [
        # A date alone is midnight in the store's zone (New York, UTC-5 in March).
        (ana.obj.pk, "nps", 9, "Fast!", "", "import", datetime(2026, 3, 2, 5, tzinfo=UTC)),
        (bo.obj.pk, "nps", 3, "", "sms", "import", datetime(2026, 3, 3, 8, 30, tzinfo=UTC)),
    ]
    assert all(len(r.external_id) == 64 for r in kept)
    run = ImportRun.objects.get(store=store)
    assert (run.kind, run.file_format, run.status) == ("survey responses", "nps", ImportStatus.DONE)
    assert (run.rows_done, run.created, run.rejected, run.errors) == (2, 2, 0, [])


def test_it_reads_other_tools_column_names_in_any_case(store, tmp_path):
    upsert_customer(store, customer_in(external_id="c1", email="ana@example.com"), source="api")
    path = tmp_path / "export.csv"
    path.write_text(
        "Response ID,E-mail,Submitted At,Rating,Feedback,Medium,Customer ID\n"
        "r-1,ana@example.com,2026-03-02 10:00,5,Great sleeve,Email,\n"
        "r-2,,2026-03-03 11:00,4.0,,,c1\n",
        encoding="utf-8",
    )

    code, out, _ = run_command(path, store, kind="csat")

    assert code == 0
    assert "(CSAT)" in out
    assert list(
        SurveyResponse.objects.filter(store=store)
        .order_by("answered_at")
        .values_list("kind", "score", "comment", "channel", "customer__external_id")
    ) == [("csat", 5, "Great sleeve", "email", "c1"), ("csat", 4, "", "", "c1")]


def test_an_order_id_links_the_answer_to_the_order(store, tmp_path):
    order = upsert_order(store, order_in("1001"), source="api").obj
    path = write_csv(
        tmp_path / "csat.csv",
        ["email", "date", "score", "order_id"],
        [{"email": "ana@example.com", "date": "2026-03-02", "score": "5", "order_id": "1001"}],
    )

    code, _, err = run_command(path, store, kind="csat")

    assert (code, err) == (0, "")
    response = SurveyResponse.objects.get(store=store)
    assert (response.order_id, response.customer_id) == (order.pk, order.customer_id)


def test_a_dry_run_counts_what_it_would_create_and_writes_nothing(store, tmp_path):
    path = write_csv(
        tmp_path / "nps.csv",
        HEADER,
        [
            {"email": "ana@example.com", "date": "2026-03-02", "score": "9"},
            {"email": "ana@example.com", "date": "2026-03-02", "score": "9"},  # the same answer
            {"email": "bo@example.com", "date": "2026-03-02", "score": "10"},
        ],
    )

    code, out, _ = run_command(path, store, "--dry-run")

    assert code == 0
    assert "Checked (dry run, nothing written)" in out
    assert "responses to create:   2\n" in out
    assert "already imported:     1\n" in out
    assert not SurveyResponse.objects.exists()
    assert not ImportRun.objects.exists()
