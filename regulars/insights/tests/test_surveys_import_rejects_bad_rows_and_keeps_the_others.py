"""Each bad row is named with its file, line, column and reason; the good rows are imported,
the command exits with 2 and the ImportRun keeps the rejected rows for the dashboard. A file
that cannot be read at all is refused whole, and nothing is written."""

import pytest
import time_machine

from regulars.commerce.models import ImportRun, ImportStatus
from regulars.commerce.services import upsert_customer
from regulars.commerce.tests.builders import customer_in
from regulars.insights.models import SurveyResponse
from regulars.insights.tests.surveys_csv import HEADER, answer, run_command, write_csv

pytestmark = pytest.mark.django_db

BAD_ROWS = [
    ("nps", {"score": "11"}, "score", "'11' is outside the NPS scale 0–10"),
    ("nps", {"score": "-1"}, "score", "'-1' is outside the NPS scale 0–10"),
    ("nps", {"score": "nine"}, "score", "'nine' is not a whole number"),
    ("nps", {"score": "8.5"}, "score", "'8.5' is not a whole number"),
    ("nps", {"score": ""}, "score", "is empty"),
    ("csat", {"score": "0"}, "score", "'0' is outside the CSAT scale 1–5"),
    ("csat", {"score": "6"}, "score", "'6' is outside the CSAT scale 1–5"),
    ("nps", {"date": "2026-02-30"}, "date", "'2026-02-30' is not an ISO 8601 date and time"),
    ("nps", {"date": "03/02/2026"}, "date", "'03/02/2026' is not an ISO 8601 date and time"),
    ("nps", {"date": "2026-04-03"}, "date", "'2026-04-03' is in the future"),
    ("nps", {"date": ""}, "date", "is empty; give the date (and time) of the answer"),
    ("nps", {"email": "bo@"}, "email", "'bo@' is not an e-mail address"),
    ("nps", {"email": ""}, "email", "is empty; each row needs an e-mail or a customer id"),
    ("nps", {"channel": "x" * 21}, "channel", "is 21 characters long; at most 20 fit"),
    ("nps", {"comment": "y" * 10_001}, "comment", "is 10,001 characters long; at most 10,000 fit"),
]


@time_machine.travel("2026-04-01T12:00:00Z", tick=False)
@pytest.mark.parametrize(("kind", "bad", "column", "reason"), BAD_ROWS)
def test_a_bad_row_is_rejected_with_its_line_column_and_reason(
    store, tmp_path, kind, bad, column, reason
):
    for who in ("a", "c"):
        upsert_customer(
            store, customer_in(external_id=who, email=f"{who}@example.com"), source="api"
        )
    rows = [
        answer("a@example.com", score=5),
        answer("b@example.com", score=4) | bad,
        answer("c@example.com", score=3),
    ]
    path = write_csv(tmp_path / "answers.csv", HEADER, rows)

    code, out, err = run_command(path, store, kind=kind)

    assert code == 2
    assert err == f"{path}:3: {column}: {reason}\n{path}: 1 row was rejected; see above\n"
    assert "responses created:     2\n" in out
    assert "rows rejected:        1" in out
    assert sorted(SurveyResponse.objects.filter(store=store).values_list("score", flat=True)) == [
        3,
        5,
    ]
    run = ImportRun.objects.get(store=store)
    assert run.status == ImportStatus.DONE_WITH_ERRORS
    assert (run.rows_done, run.created, run.rejected) == (3, 2, 1)
    assert run.errors == [{"line": 3, "field": column, "message": reason, "level": "error"}]


def test_the_column_is_named_as_the_file_names_it(store, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("E-mail,Submitted At,Rating\nbo@example.com,2026-03-02,ten\n")

    code, _, err = run_command(path, store)

    assert code == 2
    assert f"{path}:2: Rating: 'ten' is not a whole number\n" in err
    assert not SurveyResponse.objects.exists()


def test_a_row_with_too_few_columns_names_the_first_missing_one(store, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(
        "email,date,score,comment\n"
        "a@example.com,2026-03-02,9,\n"
        "b@example.com,2026-03-02\n"
        "c@example.com,2026-03-02,10,Nice\n"
    )

    code, _, err = run_command(path, store)

    assert code == 2
    assert f"{path}:3: score: has 2 columns; the header has 4\n" in err
    assert sorted(SurveyResponse.objects.values_list("score", flat=True)) == [9, 10]


def test_a_row_that_is_not_utf8_is_rejected_and_the_others_are_imported(store, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(
        b"email,date,score,comment\n"
        b"a@example.com,2026-03-02,9,Caf\xe9\n"
        b"b@example.com,2026-03-02,10,Caf\xc3\xa9\n"
    )

    code, _, err = run_command(path, store)

    assert code == 2
    assert f"{path}:2: is not UTF-8 text (byte 0xe9 on line 2)" in err
    assert list(SurveyResponse.objects.values_list("comment", flat=True)) == ["Café"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "email,comment\na@example.com,hi\n",
            "is missing the columns date, score of a survey responses CSV (see docs/insights.md)",
        ),
        (
            "name,date,score\nAna,2026-03-02,9\n",
            "is missing the column email or customer_id of a survey responses CSV"
            " (see docs/insights.md)",
        ),
        (
            "email,E-mail,date,score\na@example.com,a@example.com,2026-03-02,9\n",
            "the columns 'email' and 'E-mail' both give the email; keep only one",
        ),
        ("", "is empty"),
    ],
)
def test_a_file_it_cannot_read_is_refused_whole(store, tmp_path, content, problem):
    path = tmp_path / "answers.csv"
    path.write_text(content)

    code, out, err = run_command(path, store)

    assert (code, out) == (2, "")
    assert err == f"error: {path}: {problem}\n"
    assert not SurveyResponse.objects.exists()
    assert not ImportRun.objects.exists()


def test_an_unknown_store_or_a_missing_file_is_refused(store, tmp_path):
    path = write_csv(tmp_path / "answers.csv", HEADER, [answer("a@example.com")])

    code, _, err = run_command(path, store.__class__(slug="nowhere"))
    assert code == 2
    assert err.startswith("error: --store: no store has the slug 'nowhere' (stores: ")

    code, _, err = run_command(tmp_path / "missing.csv", store)
    assert code == 2
    assert err.startswith(f"error: {tmp_path / 'missing.csv'}: cannot be opened: ")
    assert not SurveyResponse.objects.exists()


def test_a_file_that_breaks_down_part_way_keeps_the_batches_before_and_says_where(store, tmp_path):
    path = tmp_path / "answers.csv"
    problem = "line 4: not valid CSV (field larger than field limit (131072))"
    path.write_text(
        "email,date,score,comment\n"
        "a@example.com,2026-03-02,9,\n"
        "b@example.com,2026-03-02,10,\n"
        f"c@example.com,2026-03-02,8,{'x' * 200_000}\n"
    )

    code, _, err = run_command(path, store, "--batch-size", "2")

    assert code == 2
    assert err.endswith(f"error: {path}: {problem}\n")
    assert SurveyResponse.objects.filter(store=store).count() == 2
    run = ImportRun.objects.get(store=store)
    assert run.status == ImportStatus.FAILED
    assert run.errors[-1]["message"] == problem
