"""Who may do what in Feedback: viewers read the inbox and the settings but get no forms and
the 403 page on every action (nothing changes); agents reply, moderate and close follow-ups
but cannot change the settings or the webhook; admins and owners can."""

import pytest

from regulars.dashboard.tests.shop import url
from regulars.feedback.models import FeedbackSettings, FollowUp, FollowUpStatus, ReviewStatus
from regulars.feedback.tests.inbox_data import T0, answer, customer, product, review

pytestmark = pytest.mark.django_db

SETTINGS_FORM = {
    "auto_publish_min_rating": "5",
    "reply_within_hours": "12",
    "blocked_words": "",
    "alert_emails": "",
}


@pytest.fixture
def items(store):
    ana = customer(store)
    pending = review(store, product(store), 2, customer=ana, status=ReviewStatus.PENDING)
    comment = answer(store, ana, 2, "Slow", at=T0)
    followup = FollowUp.objects.create(store=store, customer=ana, reason="Call back", due_at=T0)
    return pending, comment, followup


def _posts(store, items):
    pending, comment, followup = items
    return [
        (url("feedback_review_reply", store, pending.pk), {"body": "Hi"}),
        (url("feedback_review_moderate", store, pending.pk), {"action": "approve"}),
        (url("feedback_answer_reply", store, comment.pk), {"body": "Hi"}),
        (url("feedback_followup_done", store, followup.pk), {}),
    ]


def test_a_viewer_reads_but_has_no_forms_and_cannot_act(client, store, member, items):
    client.force_login(member)

    page = client.get(url("feedback", store))
    settings_page = client.get(url("feedback_settings", store))

    assert page.status_code == settings_page.status_code == 200
    html = page.content.decode()
    assert "agents, admins and owners reply and moderate" in html
    assert "<textarea" not in html and "Mark done" not in html
    assert 'name="auto_publish_min_rating"' not in settings_page.content.decode()
    for path, data in _posts(store, items):
        assert client.post(path, data).status_code == 403
    pending, comment, followup = items
    pending.refresh_from_db()
    comment.refresh_from_db()
    followup.refresh_from_db()
    assert (pending.status, pending.reply, comment.reply) == (ReviewStatus.PENDING, "", "")
    assert followup.status == FollowUpStatus.OPEN


def test_an_agent_acts_on_items_but_not_on_settings(client, store, agent, items):
    client.force_login(agent)

    statuses = [client.post(path, data).status_code for path, data in _posts(store, items)[:2]]
    settings_post = client.post(url("feedback_settings", store), SETTINGS_FORM)
    webhook_post = client.post(url("feedback_webhook", store), {"url": "https://shop.example/f"})

    assert statuses == [302, 302]
    assert (settings_post.status_code, webhook_post.status_code) == (403, 403)
    assert not FeedbackSettings.objects.filter(store=store).exists()


def test_an_admin_changes_the_settings(client, store, admin):
    client.force_login(admin)

    response = client.post(url("feedback_settings", store), SETTINGS_FORM)

    assert response.status_code == 302
    row = FeedbackSettings.objects.get(store=store)
    assert (row.auto_publish_min_rating, row.reply_within_hours) == (5, 12)


def test_gets_are_the_only_way_in_for_actions(client, store, agent, items):
    client.force_login(agent)

    for path, _data in _posts(store, items):
        assert client.get(path).status_code == 405
