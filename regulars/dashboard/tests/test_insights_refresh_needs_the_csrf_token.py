"""A request to recompute the figures must carry the page's CSRF token: a form posted from
another site queues nothing."""

import re

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from regulars.dashboard.tests.shop import url
from regulars.insights.services import refresh_pending
from regulars.insights.tasks import refresh_store_insights

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def browser(owner) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def _refreshes() -> int:
    return DBTaskResult.objects.filter(task_path=refresh_store_insights.module_path).count()


def test_a_post_without_the_token_is_refused_and_queues_nothing(browser, store):
    response = browser.post(url("insights_refresh", store))

    assert response.status_code == 403
    assert _refreshes() == 0
    assert not refresh_pending(store)


def test_the_pages_own_form_queues_the_refresh(browser, store):
    html = browser.get(url("insights", store)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    response = browser.post(url("insights_refresh", store), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert _refreshes() == 1
    assert refresh_pending(store)
