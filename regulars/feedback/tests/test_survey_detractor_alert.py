"""A detractor's answer alerts staff by e-mail through Django's e-mail backend (the real SMTP
server here): the store's alert addresses when it set some, else its owners and admins; once
per answer, with the customer, the order and the reason."""

from datetime import UTC, datetime

from regulars.core.roles import Role
from regulars.core.services import do_set_member
from regulars.feedback.models import FeedbackSettings, FollowUp
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import customer, nps_send, order_with_product

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _recipients(smtp_server) -> list[tuple[str, ...]]:
    return [received.rcpt_tos for received in smtp_server.received]


def test_owners_and_admins_are_alerted_when_the_store_set_no_address(
    store, smtp_server, django_capture_on_commit_callbacks
):
    do_set_member(store, email="admin@example.com", role=Role.ADMIN, password="x-long-pass-1")
    do_set_member(store, email="agent@example.com", role=Role.AGENT, password="x-long-pass-2")
    ana = customer(store)
    send = nps_send(store, ana, order=order_with_product(store, ana, "1042"))

    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(send, score=1, comment="Never arrived", now=NOW)

    assert _recipients(smtp_server) == [("admin@example.com", "owner@example.com")]
    mail = smtp_server.messages()[0]
    body = mail.get_content()
    assert mail["Subject"] == "Vinyl Corner: Ana answered 1 of 10 (Net Promoter Score)"
    assert "Customer: Ana <ana@example.com>" in body
    assert "Order: #1042" in body
    assert "Their reason:\nNever arrived\n" in body
    assert f"/s/{store.slug}/customers/{ana.pk}/" in body


def test_the_stores_alert_addresses_replace_the_staff(
    store, smtp_server, django_capture_on_commit_callbacks
):
    FeedbackSettings.objects.create(
        store=store, alert_emails="care@vinyl.example\nBoss@Vinyl.example, not-an-address"
    )
    send = nps_send(store, customer(store))

    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(send, score=6, now=NOW)

    assert _recipients(smtp_server) == [("care@vinyl.example", "boss@vinyl.example")]


def test_editing_the_answer_alerts_no_one_again(
    store, smtp_server, django_capture_on_commit_callbacks
):
    send = nps_send(store, customer(store))

    for change in ({"score": 2}, {"comment": "Broken"}, {"score": 0}, {"comment": "Still"}):
        with django_capture_on_commit_callbacks(execute=True):
            surveys.do_answer(send, now=NOW, **change)

    assert len(smtp_server.received) == 1
    assert FollowUp.objects.count() == 1


def test_a_passive_answer_alerts_no_one(store, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(nps_send(store, customer(store)), score=7, now=NOW)

    assert smtp_server.received == []


def test_a_rolled_back_answer_alerts_no_one(store, smtp_server, django_capture_on_commit_callbacks):
    from django.db import transaction

    send = nps_send(store, customer(store))
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                surveys.do_answer(send, score=0, now=NOW)
                raise RuntimeError("the request failed after the answer")
        except RuntimeError:
            pass

    assert smtp_server.received == []
    assert not FollowUp.objects.exists()


def test_with_the_database_queue_the_alert_waits_for_the_reason(
    store, smtp_server, database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    send = nps_send(store, customer(store))
    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(send, score=2, now=NOW)
        surveys.do_answer(send, comment="The record is warped", now=NOW)

    [queued] = DBTaskResult.objects.filter(task_path__endswith="send_detractor_alert")
    assert queued.run_after == NOW + surveys.ALERT_DELAY
    assert queued.args_kwargs["args"] == [send.answer.pk]
    assert smtp_server.received == []

    from regulars.feedback.tasks import send_detractor_alert

    send_detractor_alert.call(*queued.args_kwargs["args"])  # what the worker runs, later
    assert "Their reason:\nThe record is warped\n" in smtp_server.messages()[0].get_content()


def test_the_alert_gives_the_follow_ups_due_time_in_the_stores_time_zone(
    store, smtp_server, django_capture_on_commit_callbacks
):
    send = nps_send(store, customer(store))  # the store keeps New York time

    with django_capture_on_commit_callbacks(execute=True):
        surveys.do_answer(send, score=2, now=NOW)

    body = smtp_server.messages()[0].get_content()
    # 24 hours after 09:30 UTC on 4 May is 05:30 on 5 May in New York (EDT).
    assert "A follow-up is due by 2026-05-05 05:30 (America/New_York)." in body
