"""Before the worker has computed a store's figures, the Insights page says so and, to whom
may run it, offers to compute them now; it draws no chart."""

import pytest

from regulars.dashboard.tests.shop import url
from regulars.insights.services import do_request_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_owner_is_told_there_are_no_figures_and_offered_to_compute_them(client, store, owner):
    client.force_login(owner)

    response = client.get(url("insights", store))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>No figures yet</h2>" in html
    assert "Insights are computed by the worker from the store's paid orders." in html
    assert f'<form method="post" action="{url("insights_refresh", store)}">' in html
    assert '<button class="btn" type="submit">Compute now</button>' in html
    assert "data-figure=" not in html
    assert "plotly.min.js" not in html
    assert 'type="application/json"' not in html


def test_a_viewer_reads_the_explanation_without_the_compute_button(client, store, member):
    client.force_login(member)

    response = client.get(url("insights", store))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>No figures yet</h2>" in html
    assert "Compute now" not in html
    assert url("insights_refresh", store) not in html


@pytest.mark.usefixtures("database_queue")
def test_while_the_first_computation_waits_the_page_says_so(client, store, owner):
    do_request_refresh(store)
    client.force_login(owner)

    html = client.get(url("insights", store)).content.decode()

    assert "the first computation is under way, reload the page in a minute." in html
    assert '<button class="btn" type="submit" disabled>Computing…</button>' in html
