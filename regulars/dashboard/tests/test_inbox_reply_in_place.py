"""Replying in place from the inbox (plain forms, no JavaScript): a review's reply becomes
public under it on the store's widget JSON; a survey comment's reply is e-mailed to the
customer and reaches the SMTP server; the merchant comes back to the list they were on."""

import pytest
import time_machine
from django.core.cache import cache

from regulars.dashboard.tests.shop import url
from regulars.feedback.models import Review, ReviewStatus, SurveyAnswer
from regulars.feedback.tests.inbox_data import T0, answer, customer, hours, product, review
from regulars.messaging.services.sending import dispatch_due
from regulars.messaging.tests.conftest import smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db

NOW = T0 + hours(5)


@time_machine.travel(NOW, tick=False)
def test_a_review_reply_becomes_public_under_the_review(client, store, agent):
    cache.clear()
    lp = product(store, "lp-1")
    bad = review(store, lp, 2, customer=customer(store), body="Scratched")
    client.force_login(agent)

    response = client.post(
        url("feedback_review_reply", store, bad.pk),
        {"body": "So sorry <3 a new copy ships today", "query": "rating=negative&page=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        url("feedback", store) + f"?rating=negative&page=1#review-{bad.pk}"
    )
    bad.refresh_from_db()
    assert (bad.reply, bad.replied_at, bad.replied_by) == (
        "So sorry <3 a new copy ships today",
        NOW,
        agent,
    )
    public = client.get(f"/f/api/{store.public_id}/products/lp-1/reviews").json()
    [shown] = public["reviews"]
    assert shown["reply"] == {
        "body": "So sorry <3 a new copy ships today",
        "at": "2026-03-02T14:00:00Z",
    }
    inbox = client.get(response["Location"]).content.decode()
    assert "Your reply is public under the review." in inbox
    assert f'data-item="review-{bad.pk}"' not in inbox  # answered: off the unanswered list


@time_machine.travel(NOW, tick=False)
def test_a_survey_reply_is_emailed_to_the_customer(client, store, agent, smtp_server):  # noqa: F811
    ana = customer(store, first_name="Ana")
    comment = answer(store, ana, 3, "The sleeve was torn", at=T0)
    client.force_login(agent)

    response = client.post(
        url("feedback_answer_reply", store, comment.pk),
        {"body": "Hello Ana, we are sending a new sleeve.", "query": ""},
    )
    while dispatch_due(now=NOW):
        pass

    assert response.status_code == 302
    assert response["Location"] == url("feedback", store) + f"#survey-{comment.pk}"
    comment.refresh_from_db()
    assert (comment.replied_at, comment.replied_by, comment.reply_message_id is not None) == (
        NOW,
        agent,
        True,
    )
    [mail] = smtp_server.messages()
    assert mail["To"] == "ana@example.com"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Hello Ana, we are sending a new sleeve." in text


def test_an_empty_reply_changes_nothing_and_says_why(client, store, agent):
    comment = answer(store, customer(store), 3, "Meh", at=T0)
    client.force_login(agent)

    response = client.post(url("feedback_answer_reply", store, comment.pk), {"body": "  "})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Reply not sent: write a reply" in page
    comment.refresh_from_db()
    assert (comment.reply, comment.replied_at) == ("", None)


@time_machine.travel(NOW, tick=False)
def test_moderation_buttons_approve_reject_and_hide_with_a_reason(client, store, agent):
    lp = product(store)
    pending = review(store, lp, 2, status=ReviewStatus.PENDING)
    spam = review(store, lp, 1, status=ReviewStatus.PENDING)
    shown = review(store, lp, 4)
    client.force_login(agent)

    client.post(url("feedback_review_moderate", store, pending.pk), {"action": "approve"})
    refused = client.post(url("feedback_review_moderate", store, spam.pk), {"action": "reject"})
    client.post(
        url("feedback_review_moderate", store, spam.pk), {"action": "reject", "reason": "spam"}
    )
    client.post(
        url("feedback_review_moderate", store, shown.pk), {"action": "hide", "reason": "off topic"}
    )

    statuses = dict(Review.objects.values_list("pk", "status"))
    assert statuses == {
        pending.pk: ReviewStatus.PUBLISHED,
        spam.pk: ReviewStatus.REJECTED,
        shown.pk: ReviewStatus.HIDDEN,
    }
    assert (
        "Not done: Give the reason to reject this review."
        in client.get(refused["Location"]).content.decode()
    )
    assert Review.objects.get(pk=shown.pk).moderation_reason == "off topic"


def test_a_follow_up_is_marked_done(client, store, agent):
    from regulars.feedback.models import FollowUp, FollowUpStatus

    ana = customer(store)
    followup = FollowUp.objects.create(
        store=store, customer=ana, reason="Detractor: NPS 2", due_at=T0
    )
    client.force_login(agent)

    response = client.post(url("feedback_followup_done", store, followup.pk), {"note": "Called"})

    assert response["Location"] == url("feedback", store) + "#followups"
    followup.refresh_from_db()
    assert (followup.status, followup.done_by, followup.note) == (
        FollowUpStatus.DONE,
        agent,
        "Called",
    )
    assert followup.done_at is not None
    assert "Detractor: NPS 2" not in client.get(url("feedback", store)).content.decode()


def test_the_back_link_keeps_only_the_inbox_filters(client, store, agent):
    comment = answer(store, customer(store), 3, "Meh", at=T0)
    client.force_login(agent)

    response = client.post(
        url("feedback_answer_reply", store, comment.pk),
        {"body": "", "query": "kind=survey&next=https://evil.example/&state=all"},
    )

    assert response["Location"] == (
        url("feedback", store) + f"?kind=survey&state=all#survey-{comment.pk}"
    )
    assert SurveyAnswer.objects.get().reply == ""
