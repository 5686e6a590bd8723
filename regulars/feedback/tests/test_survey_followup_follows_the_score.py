"""A detractor's follow-up follows the score: closed by itself when the customer changes the
score to a non-detractor's, reopened (not doubled) when they change it back; one closed by
staff stays closed."""

from datetime import UTC, datetime, timedelta

from regulars.feedback.models import FollowUp, FollowUpStatus
from regulars.feedback.services import inbox, surveys
from regulars.feedback.tests.survey_data import customer, nps_send

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def test_a_score_raised_above_a_detractors_closes_the_follow_up(store):
    send = nps_send(store, customer(store))
    surveys.do_answer(send, score=2, now=NOW)
    assert FollowUp.objects.get().status == FollowUpStatus.OPEN

    surveys.do_answer(send, score=8, now=NOW + timedelta(minutes=3))

    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.note == "the customer changed the score to 8"
    assert follow_up.done_by is None
    assert follow_up.done_at == NOW + timedelta(minutes=3)


def test_a_score_lowered_again_reopens_the_same_follow_up(store):
    send = nps_send(store, customer(store))
    surveys.do_answer(send, score=2, now=NOW)
    surveys.do_answer(send, score=9, now=NOW + timedelta(hours=1))

    later = NOW + timedelta(days=2)
    surveys.do_answer(send, score=4, now=later)

    follow_up = FollowUp.objects.get()  # one, not a second
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.done_at is None and follow_up.done_by is None
    assert follow_up.note == ""
    # As first opened: its reason and due time stand.
    assert follow_up.reason.endswith("score 2")
    assert follow_up.due_at == NOW + timedelta(hours=24)


def test_a_comment_on_a_detractors_answer_leaves_the_follow_up_open(store):
    send = nps_send(store, customer(store))
    surveys.do_answer(send, score=2, now=NOW)
    surveys.do_answer(send, comment="It broke", now=NOW)

    assert FollowUp.objects.get().status == FollowUpStatus.OPEN


def test_a_follow_up_closed_by_staff_is_not_reopened(store, owner):
    send = nps_send(store, customer(store))
    surveys.do_answer(send, score=1, now=NOW)
    inbox.do_close_followup(FollowUp.objects.get(), owner, note="Called, sent a new one")

    surveys.do_answer(send, score=9, now=NOW + timedelta(hours=1))
    surveys.do_answer(send, score=3, now=NOW + timedelta(hours=2))

    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.done_by == owner
    assert follow_up.note == "Called, sent a new one"


def test_only_the_answers_own_follow_up_is_closed(store):
    ana, ben = customer(store), customer(store, "ben")
    send_ana, send_ben = nps_send(store, ana), nps_send(store, ben, "test:2")
    surveys.do_answer(send_ana, score=1, now=NOW)
    surveys.do_answer(send_ben, score=1, now=NOW)

    surveys.do_answer(send_ana, score=10, now=NOW + timedelta(minutes=1))

    assert FollowUp.objects.get(customer=ben).status == FollowUpStatus.OPEN
    assert FollowUp.objects.get(customer=ana).status == FollowUpStatus.DONE
