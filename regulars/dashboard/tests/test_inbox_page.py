"""Feedback · Inbox: reviews and survey comments in one list, negative first, each saying how
long it has waited (past the store's limit highlighted); the time to first reply, the open
follow-ups, the most frequent terms and the NPS trend beside them; every text escaped; a
fixed number of queries however many items."""

import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.dashboard.tests.shop import url
from regulars.feedback.models import FollowUp
from regulars.feedback.tests.inbox_data import T0, answer, customer, hours, product, review
from regulars.insights.models import SurveyResponse

pytestmark = pytest.mark.django_db

NOW = T0 + hours(30)


def _items(html: str) -> list[str]:
    return re.findall(r'data-item="([a-z]+-\d+)"', html)


@time_machine.travel(NOW, tick=False)
def test_the_inbox_lists_negative_first_with_waiting_hours(client, store, owner):
    cache.clear()
    ana = customer(store, first_name="Ana")
    lp = product(store)
    happy = review(store, lp, 5, customer=ana, at=T0 - hours(10), body="Lovely warm sound")
    angry = review(store, lp, 1, customer=ana, at=NOW - hours(3), body="Warped <script>x</script>")
    detractor = answer(store, ana, 2, "Delivery was slow", at=T0)
    client.force_login(owner)

    response = client.get(url("feedback", store))

    assert response.status_code == 200
    html = response.content.decode()
    assert _items(html) == [f"survey-{detractor.pk}", f"review-{angry.pk}", f"review-{happy.pk}"]
    assert "Unanswered for 30 hours" in html
    assert "Unanswered for 3 hours" in html
    assert "Unanswered for 40 hours" in html
    assert html.count("waiting--overdue") == 2  # 30 and 40 hours, past the default 24
    assert "Warped &lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert re.search(r'data-kpi="waiting">3<', html)
    assert re.search(r'data-kpi="overdue">2 for more than 24 hours<', html)
    assert 'data-terms="en"' in html
    assert re.search(r"<span lang=\"en\">slow</span>", html)


@time_machine.travel(NOW, tick=False)
def test_filters_and_the_answered_list(client, store, owner):
    ana = customer(store)
    lp = product(store)
    waiting = review(store, lp, 4, customer=ana)
    done = answer(store, ana, 9, "Great", reply="Thank you!", replied_at=T0 + hours(4))
    client.force_login(owner)

    answered = client.get(url("feedback", store), {"state": "answered"}).content.decode()
    surveys = client.get(
        url("feedback", store), {"kind": "survey", "state": "all"}
    ).content.decode()
    bad = client.get(url("feedback", store), {"rating": "awful"})

    assert _items(answered) == [f"survey-{done.pk}"]
    assert "Thank you!" in answered
    assert _items(surveys) == [f"survey-{done.pk}"]
    assert bad.status_code == 200
    assert _items(bad.content.decode()) == [f"review-{waiting.pk}"]  # the bad filter is ignored
    assert "Select a valid choice" in bad.content.decode()


@time_machine.travel(NOW, tick=False)
def test_reply_times_followups_and_the_nps_trend(client, store, owner):
    ana = customer(store, first_name="Ana")
    review(store, product(store), 2, customer=ana, at=T0, reply="Sorry", replied_at=T0 + hours(6))
    late = answer(store, ana, 3, "Slow", at=T0, reply="Sorry", replied_at=T0 + hours(10))
    FollowUp.objects.create(
        store=store, customer=ana, answer=late, reason="Detractor: NPS 3", due_at=T0 + hours(24)
    )
    for score in (10, 9, 3):
        SurveyResponse.objects.create(store=store, kind="nps", score=score, answered_at=T0)
    client.force_login(owner)

    html = client.get(url("feedback", store)).content.decode()

    assert re.search(r'data-kpi="median">8.0 h<', html)
    assert re.search(r'data-kpi="p90">9.6 h<', html)
    assert re.search(r'data-kpi="followups">1<', html)
    assert "Detractor: NPS 3" in html
    assert re.search(r'data-nps-month="2026-03"><td>2026-03</td><td>33</td>', html)
    assert 'id="nps-chart"' in html  # the Plotly figure, drawn by charts.js
    assert "vendor/plotly.min.js" in html


def test_an_empty_inbox_says_so(client, store, member):
    client.force_login(member)

    html = client.get(url("feedback", store)).content.decode()

    assert "Nothing waits for an answer" in html
    assert "No NPS answers in the last 6 months" in html


@time_machine.travel(NOW, tick=False)
def test_the_page_takes_a_fixed_number_of_queries(client, store, owner):
    lp = product(store)

    def add(numbers):
        for n in numbers:
            ana = customer(store, f"c{n}", f"{n}@example.com")
            review(store, lp, 1 + n % 5, customer=ana, at=T0 + hours(n))
            answer(store, ana, n % 11, f"Comment {n}", at=T0 + hours(n))

    def queries() -> int:
        client.get(url("feedback", store))  # the terms are computed (and cached) once
        with CaptureQueriesContext(connection) as done:
            assert client.get(url("feedback", store)).status_code == 200
        return len(done)

    add(range(3))
    client.force_login(owner)
    few = queries()
    add(range(3, 15))

    assert queries() == few
    assert few <= 24, few  # sign-in and store, the list, counts, reply times, terms, trend
