"""Feedback pages of one store never show or change another store's reviews, answers,
follow-ups or settings: staff of another store get a 404 for the store, and ids of another
store's rows are not found from one's own store."""

import pytest

from regulars.dashboard.tests.shop import url
from regulars.feedback.models import FeedbackSettings, FollowUp, FollowUpStatus, ReviewStatus
from regulars.feedback.tests.inbox_data import T0, answer, customer, product, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_store):
    nok = customer(other_store, "c1", "nok@example.com")
    pending = review(
        other_store,
        product(other_store),
        1,
        customer=nok,
        status=ReviewStatus.PENDING,
        body="Their secret review",
    )
    comment = answer(other_store, nok, 0, "Their secret comment", at=T0)
    followup = FollowUp.objects.create(store=other_store, customer=nok, reason="X", due_at=T0)
    return pending, comment, followup


def test_an_outsider_cannot_open_this_stores_feedback(client, store, outsider):
    client.force_login(outsider)

    for name in ("feedback", "feedback_settings"):
        assert client.get(url(name, store)).status_code == 404
    assert client.post(url("feedback_settings", store), {}).status_code == 404
    assert client.post(url("feedback_webhook", store), {}).status_code == 404
    assert client.post(url("feedback_webhook_test", store)).status_code == 404


def test_another_stores_rows_are_not_found_from_ones_own_store(client, store, owner, theirs):
    pending, comment, followup = theirs
    client.force_login(owner)

    html = client.get(url("feedback", store), {"state": "all"}).content.decode()
    posts = [
        client.post(url("feedback_review_reply", store, pending.pk), {"body": "Hi"}),
        client.post(url("feedback_review_moderate", store, pending.pk), {"action": "approve"}),
        client.post(url("feedback_answer_reply", store, comment.pk), {"body": "Hi"}),
        client.post(url("feedback_followup_done", store, followup.pk)),
    ]

    assert "Their secret" not in html
    assert [response.status_code for response in posts] == [404, 404, 404, 404]
    pending.refresh_from_db()
    comment.refresh_from_db()
    followup.refresh_from_db()
    assert (pending.status, pending.reply, comment.reply, followup.status) == (
        ReviewStatus.PENDING,
        "",
        "",
        FollowUpStatus.OPEN,
    )


def test_settings_are_per_store(client, store, owner, other_store):
    FeedbackSettings.objects.create(store=other_store, blocked_words="theirword")
    client.force_login(owner)

    client.post(
        url("feedback_settings", store),
        {"auto_publish_min_rating": "3", "reply_within_hours": "8"},
    )

    assert "theirword" not in client.get(url("feedback_settings", store)).content.decode()
    assert FeedbackSettings.objects.get(store=other_store).auto_publish_min_rating == 4
    assert FeedbackSettings.objects.get(store=store).auto_publish_min_rating == 3
