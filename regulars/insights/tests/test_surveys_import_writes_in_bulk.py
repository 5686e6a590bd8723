"""A file may hold 100,000 answers: the import reads and writes them in batches, with a few
queries per batch and multi-row INSERTs, never one query per row."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.commerce.services import upsert_customer
from regulars.commerce.tests.builders import customer_in
from regulars.insights.imports import do_import_responses
from regulars.insights.models import SurveyResponse
from regulars.insights.tests.surveys_csv import HEADER, write_csv

pytestmark = pytest.mark.django_db

ROWS = 3_000


def test_an_import_uses_a_few_queries_per_batch_not_one_per_row(store, tmp_path):
    for n in range(10):
        upsert_customer(
            store, customer_in(external_id=f"c{n}", email=f"r{n}@example.com"), source="api"
        )
    rows = [
        {
            "email": f"r{n % 20}@example.com",
            "date": f"2026-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
            "score": str(n % 11),
            "comment": f"answer {n}",
        }
        for n in range(ROWS)
    ]
    path = write_csv(tmp_path / "nps.csv", HEADER, rows)

    with CaptureQueriesContext(connection) as queries:
        result = do_import_responses(
            store, path, kind="nps", batch_size=1_000, stream=io.StringIO(), bar=False
        )

    assert (result.rows, result.created, result.rejected) == (ROWS, ROWS, 0)
    assert result.without_customer == ROWS // 2
    table = SurveyResponse._meta.db_table
    inserts = [
        q for q in queries.captured_queries if q["sql"].startswith("INSERT") and table in q["sql"]
    ]
    assert 3 <= len(inserts) <= ROWS // 50
    assert len(queries.captured_queries) <= ROWS // 20
    assert SurveyResponse.objects.filter(store=store).count() == ROWS
    assert SurveyResponse.objects.filter(store=store, customer__isnull=False).count() == ROWS // 2
