"""Deliveries arriving at the same moment are kept in shared transactions: every one is kept
once, copies are counted on the kept row, and one processing run waits for them all."""

import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from regulars.commerce.models import DeliveryStatus, WebhookDelivery
from regulars.commerce.services.deliveries import do_receive_delivery
from regulars.commerce.tests.fixtures import connect, raw
from regulars.commerce.webhooks.shopify import SPEC

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 12


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _deliver(store, delivery_id: str, answers: dict, start: threading.Barrier) -> None:
    start.wait(5)
    try:
        answers[delivery_id, threading.get_ident()] = do_receive_delivery(
            store,
            SPEC,
            headers={"X-Shopify-Topic": "orders/create"},
            body=raw("shopify", "orders_create.json"),
            topic="orders/create",
            delivery_id=delivery_id,
        )
    finally:
        connection.close()


def test_concurrent_deliveries_are_each_kept_once_and_queued_once(store, database_queue):
    connect(store)
    earlier = do_receive_delivery(
        store, SPEC, headers={}, body=b"{}", topic="orders/create", delivery_id="seen-before"
    )
    # ten new ids, one of them sent twice at once, and a copy of the earlier delivery
    ids = [f"new-{n}" for n in range(SENDERS - 2)] + ["new-0", "seen-before"]
    answers: dict = {}
    start = threading.Barrier(len(ids))
    threads = [threading.Thread(target=_deliver, args=(store, i, answers, start)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert len(answers) == len(ids)
    kept = WebhookDelivery.objects.filter(store=store).exclude(pk=earlier.pk)
    assert sorted(kept.values_list("delivery_id", flat=True)) == sorted(set(ids) - {"seen-before"})
    assert kept.get(delivery_id="new-0").duplicates == 1
    assert WebhookDelivery.objects.get(pk=earlier.pk).duplicates == 1
    answered = [d for d in answers.values() if d is not None]
    assert sorted(d.pk for d in answered) == sorted(kept.values_list("pk", flat=True))
    assert {d.status for d in answered} == {DeliveryStatus.QUEUED}

    runs = DBTaskResult.objects.filter(
        task_path="regulars.commerce.tasks.process_queued_deliveries", status="READY"
    )
    assert runs.count() == 1
    assert set(
        WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED).values_list("pk", flat=True)
    ) == {earlier.pk, *kept.values_list("pk", flat=True)}
