"""Queued deliveries are processed by one run of the processing task, in arrival order, until
none is left: intake wakes a run only when none is waiting to start, a delivery arriving while
the run works is taken by it, a long queue is handed to a successor after a while, and two
workers running at once process each delivery once."""

import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from regulars.commerce import tasks
from regulars.commerce.models import DeliveryStatus, Fulfillment, Order, WebhookDelivery
from regulars.commerce.services import deliveries
from regulars.commerce.services.deliveries import do_receive_delivery, process_pending_delivery
from regulars.commerce.tasks import process_queued_deliveries
from regulars.commerce.tests.fixtures import connect, encode, payload, raw
from regulars.commerce.webhooks.shopify import SPEC

RUN = "regulars.commerce.tasks.process_queued_deliveries"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _keep(store, topic: str, body: bytes, delivery_id: str) -> WebhookDelivery:
    return do_receive_delivery(
        store,
        SPEC,
        headers={"X-Shopify-Topic": topic},
        body=body,
        topic=topic,
        delivery_id=delivery_id,
    )


def _order(n: int) -> bytes:
    body = payload("shopify", "orders_create.json")
    body["id"] = 9_000_000 + n
    body["name"] = f"#B{n}"
    body["customer"]["id"] = 8_000_000 + n
    body["customer"]["email"] = f"buyer{n}@example.com"
    body["email"] = f"buyer{n}@example.com"
    return encode(body)


def _runs(status: str = "READY") -> int:
    return DBTaskResult.objects.filter(task_path=RUN, status=status).count()


def _statuses() -> list[tuple[str, str, int]]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("topic", "status", "attempts"))


def test_deliveries_kept_one_after_another_wait_for_one_run(db, store, database_queue):
    connect(store)
    for n in range(3):
        _keep(store, "orders/create", _order(n), f"d{n}")

    assert _runs() == 1
    assert [s for _t, s, _a in _statuses()] == [DeliveryStatus.QUEUED] * 3


def test_a_run_that_has_started_does_not_count_as_waiting(db, store, database_queue):
    connect(store)
    _keep(store, "orders/create", _order(1), "d1")
    DBTaskResult.objects.filter(task_path=RUN).update(status="RUNNING")

    _keep(store, "orders/create", _order(2), "d2")

    assert (_runs("RUNNING"), _runs("READY")) == (1, 1)


def test_the_run_processes_them_in_arrival_order(db, store, database_queue):
    connect(store)
    # The shipment comes after its order: in arrival order it finds the order.
    _keep(store, "orders/create", raw("shopify", "orders_create.json"), "order")
    _keep(store, "fulfillments/create", raw("shopify", "fulfillments_create.json"), "shipment")
    _keep(store, "app/uninstalled", b"{}", "unused")

    result = process_queued_deliveries.call()

    assert result == "2 deliveries processed"
    assert _statuses() == [
        ("orders/create", DeliveryStatus.PROCESSED, 1),
        ("fulfillments/create", DeliveryStatus.PROCESSED, 1),
        ("app/uninstalled", DeliveryStatus.IGNORED, 0),
    ]
    assert Fulfillment.objects.get(store=store).order == Order.objects.get(store=store)


def test_a_shipment_before_its_order_is_left_failed_with_a_retry_queued(db, store, database_queue):
    connect(store)
    _keep(store, "fulfillments/create", raw("shopify", "fulfillments_create.json"), "shipment")
    DBTaskResult.objects.all().delete()  # the run has been taken by the worker

    process_queued_deliveries.call()

    assert _statuses() == [("fulfillments/create", DeliveryStatus.FAILED, 1)]
    retry = DBTaskResult.objects.get()
    assert retry.task_path == "regulars.commerce.tasks.process_webhook_delivery"
    # A second run does not take the failed delivery again: its retry will.
    assert process_queued_deliveries.call() == "0 deliveries processed"
    assert _statuses() == [("fulfillments/create", DeliveryStatus.FAILED, 1)]


def test_a_delivery_arriving_during_the_run_is_processed_by_it(
    db, store, database_queue, monkeypatch
):
    connect(store)
    _keep(store, "orders/create", _order(1), "d1")
    original = tasks._process

    def process_then_receive(delivery_id, **kwargs):
        status = original(delivery_id, **kwargs)
        if not WebhookDelivery.objects.filter(delivery_id="d2").exists():
            _keep(store, "orders/create", _order(2), "d2")
        return status

    monkeypatch.setattr(tasks, "_process", process_then_receive)

    assert process_queued_deliveries.call() == "2 deliveries processed"
    assert Order.objects.filter(store=store).count() == 2


def test_a_run_past_its_time_hands_the_rest_to_a_successor(db, store, database_queue, monkeypatch):
    connect(store)
    for n in range(3):
        _keep(store, "orders/create", _order(n), f"d{n}")
    DBTaskResult.objects.all().delete()
    monkeypatch.setattr(tasks, "RUN_SECONDS", -1.0)

    result = process_queued_deliveries.call()

    assert result == "0 deliveries processed; more are queued, a new run is queued"
    assert _runs() == 1
    assert [s for _t, s, _a in _statuses()] == [DeliveryStatus.QUEUED] * 3


def test_a_delivery_another_worker_took_after_this_run_listed_it_is_left_alone(
    db, store, database_queue, monkeypatch
):
    connect(store)
    taken = _keep(store, "orders/create", _order(1), "d1")
    failed = _keep(store, "fulfillments/create", raw("shopify", "fulfillments_create.json"), "d2")
    listed = [taken.pk, failed.pk]
    for pk in listed:  # the other worker, between this run's read of the queue and its claim
        process_pending_delivery(pk)
    monkeypatch.setattr(deliveries, "queued_delivery_ids", lambda: iter(listed))

    assert process_queued_deliveries.call() == "0 deliveries processed"

    assert _statuses() == [
        ("orders/create", DeliveryStatus.PROCESSED, 1),
        ("fulfillments/create", DeliveryStatus.FAILED, 1),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_process_each_delivery_once(store, database_queue):
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory test database admits one writer at a time; on an SQLite file the "
            "write lock serializes the workers' transactions"
        )
    connect(store)
    for n in range(12):
        _keep(store, "orders/create", _order(n), f"d{n}")
    start = threading.Barrier(2)
    errors = []

    def worker():
        start.wait(5)
        try:
            process_queued_deliveries.call()
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert _statuses() == [("orders/create", DeliveryStatus.PROCESSED, 1)] * 12
    assert Order.objects.filter(store=store).count() == 12
