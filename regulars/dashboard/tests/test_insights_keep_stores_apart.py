"""One store's Insights figures, tables and customer scores are invisible to everyone who is not
its staff (a 404, as for every page of the store), and never show up in another store's pages,
even for customers with the same ids."""

import re

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from regulars.commerce.models import Customer
from regulars.dashboard.tests.insights_data import store_with_report
from regulars.dashboard.tests.shop import url
from regulars.insights.selectors import loyalty_for
from regulars.insights.tables import all_tables
from regulars.insights.tasks import refresh_store_insights

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(store, other_store, tmp_path):
    """Both stores computed, with customers c0, c1, ... in each, bought differently."""
    return store_with_report(store, tmp_path), store_with_report(other_store, tmp_path, seed=11)


def _p_alive(html: str) -> str:
    return re.search(r"<dt>P\(alive\)</dt><dd>([^<]*)</dd>", html).group(1)


def test_an_outsider_gets_404_on_the_stores_insights_and_every_table(
    client, store, outsider, tmp_path
):
    store_with_report(store, tmp_path)
    client.force_login(outsider)

    page = client.get(url("insights", store))
    tables = [client.get(url("insights_csv", store, name)) for name in all_tables({})]

    assert page.status_code == 404
    assert [r.status_code for r in tables] == [404] * 10
    assert all("Vinyl Corner" not in r.content.decode() for r in [page, *tables])


def test_an_outsider_cannot_ask_for_the_stores_refresh(client, store, outsider, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(outsider)

    response = client.post(url("insights_refresh", store))

    assert response.status_code == 404
    assert not DBTaskResult.objects.filter(task_path=refresh_store_insights.module_path).exists()


def test_each_store_sees_only_its_own_figures(client, store, other_store, owner, reports):
    client.force_login(owner)

    html = client.get(url("insights", store), {"period": "all"}).content.decode()

    ours, theirs = (r.figures["periods"][3]["metrics"]["orders"] for r in reports)
    assert ours != theirs
    assert f"of {ours} orders from returning customers" in html
    assert f"of {theirs} orders from returning customers" not in html
    assert "฿" not in html  # the other store's currency


def test_a_customer_page_shows_its_own_stores_scores_only(
    client, store, other_store, owner, outsider, reports
):
    ours, theirs = _same_id_different_scores(store, other_store)
    client.force_login(owner)
    other = Client()
    other.force_login(outsider)

    mine = _card(client.get(url("customer", store, ours.pk)).content.decode())
    their_card = _card(other.get(url("customer", other_store, theirs.pk)).content.decode())

    assert _p_alive(mine) == f"{100 * ours.score.p_alive:.1f}%"
    assert _p_alive(their_card) == f"{100 * theirs.score.p_alive:.1f}%"
    assert _p_alive(mine) != _p_alive(their_card)
    assert "$" in mine and "฿" not in mine
    assert "฿" in their_card and "$" not in their_card


def _same_id_different_scores(store, other_store) -> tuple[Customer, Customer]:
    for ours in Customer.objects.filter(store=store).select_related("score").order_by("pk"):
        theirs = (
            Customer.objects.filter(store=other_store, external_id=ours.external_id)
            .select_related("score")
            .first()
        )
        if theirs and theirs.score.p_alive != ours.score.p_alive:
            return ours, theirs
    raise AssertionError("the two stores' histories gave every customer the same scores")


def _card(html: str) -> str:
    return re.search(r'<section class="card loyalty".*?</section>', html, flags=re.S).group(0)


def test_a_customer_of_another_store_has_no_scores_through_ones_own_store(
    client, store, other_store, outsider, reports
):
    theirs = Customer.objects.filter(store=store).first()
    client.force_login(outsider)

    response = client.get(url("customer", other_store, theirs.pk))

    assert response.status_code == 404
    assert loyalty_for(other_store, theirs) is None
    assert loyalty_for(store, theirs) is not None
