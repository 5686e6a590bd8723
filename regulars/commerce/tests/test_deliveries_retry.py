"""The processing task takes a delivery id, is safe to run again, and retries a shipment whose
order has not arrived yet a few times with growing delays before leaving it for replay."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from regulars.commerce.models import DeliveryStatus, Fulfillment, WebhookDelivery
from regulars.commerce.tasks import process_webhook_delivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, raw

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued_runs():
    return list(
        DBTaskResult.objects.order_by("enqueued_at").values_list("args_kwargs", "run_after")
    )


@time_machine.travel(NOW, tick=False)
def test_a_valid_delivery_is_queued_for_the_worker(store, send, database_queue):
    connect(store)

    response = send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))

    delivery = WebhookDelivery.objects.get(store=store)
    assert response.json() == {"status": "queued"}
    assert delivery.status == DeliveryStatus.QUEUED
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "regulars.commerce.tasks.process_queued_deliveries"
    assert queued.args_kwargs == {"args": [], "kwargs": {}}


@time_machine.travel(NOW, tick=False)
def test_a_shipment_before_its_order_is_retried_later_then_left_for_replay(
    store, send, database_queue
):
    connect(store)
    send.shopify(store, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    delivery = WebhookDelivery.objects.get(store=store)
    DBTaskResult.objects.all().delete()  # the worker has claimed the first run

    expected_delays = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30)]
    for attempt, delay in enumerate(expected_delays, start=1):
        assert process_webhook_delivery.call(delivery.pk) == DeliveryStatus.FAILED
        assert _queued_runs()[-1] == ({"args": [delivery.pk], "kwargs": {}}, NOW + delay)
        assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == attempt

    process_webhook_delivery.call(delivery.pk)

    assert len(_queued_runs()) == 3  # the fourth failure is not retried
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 4)


@time_machine.travel(NOW, tick=False)
def test_the_retry_succeeds_once_the_order_has_arrived(store, send, database_queue):
    connect(store)
    send.shopify(store, "fulfillments/create", raw("shopify", "fulfillments_create.json"))
    shipment_delivery = WebhookDelivery.objects.get(store=store)
    process_webhook_delivery.call(shipment_delivery.pk)
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))
    process_webhook_delivery.call(WebhookDelivery.objects.get(topic="orders/create").pk)

    assert process_webhook_delivery.call(shipment_delivery.pk) == DeliveryStatus.PROCESSED

    assert Fulfillment.objects.get(store=store).tracking_number == "1z827wk74630"


def test_other_failures_are_not_retried(store, send, database_queue):
    connect(store)
    send.shopify(store, "orders/create", b"not json")
    delivery = WebhookDelivery.objects.get(store=store)
    DBTaskResult.objects.all().delete()

    assert process_webhook_delivery.call(delivery.pk) == DeliveryStatus.FAILED

    assert DBTaskResult.objects.count() == 0


def test_running_the_task_again_for_a_processed_delivery_does_nothing(store, send):
    connect(store)
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"))
    delivery = WebhookDelivery.objects.get(store=store)

    assert process_webhook_delivery.call(delivery.pk) == "nothing to do"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PROCESSED, 1)


def test_the_task_never_processes_a_rejected_delivery(store, send):
    connect(store)
    send.shopify(store, "orders/create", raw("shopify", "orders_create.json"), secret="forged-one")
    delivery = WebhookDelivery.objects.get(store=store)

    assert process_webhook_delivery.call(delivery.pk) == "nothing to do"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.REJECTED, 0)
