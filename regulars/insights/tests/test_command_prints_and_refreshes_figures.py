"""`regulars insights --store S [--json]` prints the figures the Insights page shows;
`regulars insights refresh [--store S]` recomputes them, for one store or all."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regulars.insights.models import CustomerScore, StoreInsights
from regulars.insights.tests.history import build_history

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("insights", *args, stdout=out)
    return out.getvalue()


def test_refresh_of_one_store_scores_its_customers(store, other_store):
    build_history(store, customers=40)

    out = _run("refresh", "--store", store.slug)

    assert out.startswith(f"{store.slug}: refreshed in ")
    assert StoreInsights.objects.filter(store=store).exists()
    assert not StoreInsights.objects.filter(store=other_store).exists()
    assert CustomerScore.objects.filter(store=store).count() == 40


def test_refresh_without_a_store_refreshes_every_store(store, other_store):
    out = _run("refresh")

    assert [line.split(":")[0] for line in out.splitlines()] == [store.slug, other_store.slug]
    assert StoreInsights.objects.count() == 2


def test_the_figures_as_text_hold_the_pages_tables(store):
    build_history(store, customers=40)
    _run("refresh", "--store", store.slug)

    out = _run("--store", store.slug)

    assert out.startswith(f"Insights of Vinyl Corner ({store.slug}), computed ")
    for title in ("Repurchase and retention", "Customers retained by cohort and month",
                  "RFM segments", "Predicted customer value"):  # fmt: skip
        assert f"\n{title}\n" in out
    assert "Customers at risk of churning" in out


def test_the_figures_as_json_are_the_stored_report(store):
    build_history(store, customers=40)
    _run("refresh", "--store", store.slug)

    body = json.loads(_run("--store", store.slug, "--json"))

    report = StoreInsights.objects.get(store=store)
    assert body["store"] == store.slug
    assert body["figures"] == json.loads(json.dumps(report.figures))
    assert [p["key"] for p in body["figures"]["periods"]] == ["30d", "90d", "12m", "all"]


def test_a_store_without_figures_says_how_to_get_them(store):
    with pytest.raises(CommandError, match=f"regulars insights refresh --store {store.slug}"):
        _run("--store", store.slug)


def test_an_unknown_store_or_none_is_refused(store):
    with pytest.raises(CommandError, match="no store with the slug 'nope'"):
        _run("--store", "nope")
    with pytest.raises(CommandError, match="no store with the slug 'nope'"):
        _run("refresh", "--store", "nope")
    with pytest.raises(CommandError, match="give --store SLUG"):
        _run()
    assert not StoreInsights.objects.exists()
