"""Everyone on the staff reads the Insights page and its tables; only owners and admins (who may
run imports) ask for a fresh computation, which queues one refresh of the store for the worker.
A refused request queues nothing."""

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from regulars.dashboard.tests.insights_data import store_with_report
from regulars.dashboard.tests.shop import url
from regulars.insights.models import StoreInsights
from regulars.insights.services import refresh_pending
from regulars.insights.tables import all_tables
from regulars.insights.tasks import refresh_store_insights
from regulars.insights.tests.history import NOW, build_history

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued_refreshes() -> list[dict]:
    return list(
        DBTaskResult.objects.filter(
            task_path=refresh_store_insights.module_path, status="READY"
        ).values_list("args_kwargs", flat=True)
    )


@pytest.mark.parametrize("role", ["member", "agent"])
def test_viewers_and_agents_read_the_page_and_every_table(client, store, tmp_path, role, request):
    report = store_with_report(store, tmp_path)
    client.force_login(request.getfixturevalue(role))

    page = client.get(url("insights", store))
    tables = [client.get(url("insights_csv", store, name)) for name in all_tables(report.figures)]

    assert page.status_code == 200
    assert "Compute now" not in page.content.decode()
    assert [r.status_code for r in tables] == [200] * 10


@pytest.mark.parametrize("role", ["member", "agent"])
def test_viewers_and_agents_cannot_ask_for_a_refresh(client, store, role, request):
    client.force_login(request.getfixturevalue(role))

    response = client.post(url("insights_refresh", store))

    assert response.status_code == 403
    assert "Your role in this store does not allow this." in response.content.decode()
    assert _queued_refreshes() == []
    assert not refresh_pending(store)


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_queue_one_refresh_of_their_store(client, store, role, request):
    client.force_login(request.getfixturevalue(role))

    first = client.post(url("insights_refresh", store))
    second = client.post(url("insights_refresh", store), follow=True)

    assert (first.status_code, first["Location"]) == (302, url("insights", store))
    assert _queued_refreshes() == [{"args": [store.pk], "kwargs": {}}]
    assert refresh_pending(store)
    html = second.content.decode()
    assert "The figures are being computed; reload the page in a minute." in html
    assert '<button class="btn" type="submit" disabled>Computing…</button>' in html


def test_opening_the_refresh_address_queues_nothing(client, store, owner):
    client.force_login(owner)

    response = client.get(url("insights_refresh", store))

    assert (response.status_code, response["Location"]) == (302, url("insights", store))
    assert _queued_refreshes() == []


# The worker runs its own transactions and closes the test's connection when done: a test
# inside one transaction cannot host it.
@pytest.mark.django_db(transaction=True)
def test_the_worker_computes_the_requested_figures(client, store, owner):
    build_history(store, customers=40)
    client.force_login(owner)
    client.post(url("insights_refresh", store))

    with time_machine.travel(NOW, tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    html = client.get(url("insights", store), {"period": "all"}).content.decode()
    assert not refresh_pending(store)
    assert StoreInsights.objects.get(store=store).computed_at == NOW
    assert "No figures yet" not in html
    assert "of 110 orders from returning customers" in html
    assert store.customer_scores.count() == 40
