"""Importing the same answers again creates nothing: each response's external id is a hash of
what it says, unique per store, and rows already kept are counted as such."""

import pytest

from regulars.commerce.models import ImportRun
from regulars.insights.models import SurveyResponse
from regulars.insights.tests.surveys_csv import HEADER, answer, run_command, write_csv

pytestmark = pytest.mark.django_db

ROWS = [
    answer("a@example.com", date="2026-03-02", score=10, comment="Love it"),
    answer("b@example.com", date="2026-03-02", score=6),
    answer("b@example.com", date="2026-03-09", score=8),  # the same person a week later
]


def test_the_same_file_twice_creates_nothing_the_second_time(store, tmp_path):
    path = write_csv(tmp_path / "nps.csv", HEADER, ROWS)
    run_command(path, store)
    first = list(SurveyResponse.objects.order_by("pk").values_list("pk", "external_id"))

    code, out, _ = run_command(path, store)

    assert code == 0
    assert "responses created:     0\n" in out
    assert "already imported:     3\n" in out
    assert list(SurveyResponse.objects.order_by("pk").values_list("pk", "external_id")) == first
    assert len(first) == 3
    assert list(ImportRun.objects.order_by("pk").values_list("created", flat=True)) == [3, 0]


def test_a_later_export_that_repeats_old_answers_adds_only_the_new_ones(store, tmp_path):
    run_command(write_csv(tmp_path / "march.csv", HEADER, ROWS), store)
    later = [
        # The same answer, its date now written as the local midnight it stood for.
        answer("a@example.com", date="2026-03-02T00:00:00-05:00", score=10, comment="Love it"),
        answer("c@example.com", date="2026-03-20", score=9),
    ]

    code, out, _ = run_command(write_csv(tmp_path / "april.csv", HEADER, later), store)

    assert code == 0
    assert "responses created:     1\n" in out
    assert "already imported:     1\n" in out
    assert SurveyResponse.objects.filter(store=store).count() == 4


def test_a_row_repeated_in_the_file_is_kept_once_even_across_batches(store, tmp_path):
    path = write_csv(tmp_path / "nps.csv", HEADER, [*ROWS, ROWS[0]])

    code, out, _ = run_command(path, store, "--batch-size", "2")

    assert code == 0
    assert "responses created:     3\n" in out
    assert "already imported:     1\n" in out
    assert SurveyResponse.objects.filter(store=store).count() == 3


def test_answers_that_differ_in_score_or_comment_are_different_responses(store, tmp_path):
    rows = [
        answer("a@example.com", date="2026-03-02", score=10),
        answer("a@example.com", date="2026-03-02", score=9),
        answer("a@example.com", date="2026-03-02", score=9, comment="ok"),
    ]

    run_command(write_csv(tmp_path / "nps.csv", HEADER, rows), store)

    assert SurveyResponse.objects.filter(store=store).count() == 3
