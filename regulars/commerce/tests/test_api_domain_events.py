"""Domain events of an API batch run after it commits, and never for a batch that was refused."""

import pytest

from regulars.commerce import domain_events
from regulars.commerce.models import Customer, Order
from regulars.commerce.tests.api_client import api_for, customer, fulfillment, order
from regulars.core import events


@pytest.fixture
def api(client, store):
    return api_for(client, store)


@pytest.fixture
def heard():
    """Every domain event of commerce, as (name, payload), for the length of one test."""
    calls = []
    handlers = {}
    for name in domain_events.ALL_EVENTS:
        handlers[name] = lambda name=name, **payload: calls.append((name, payload))
        events.subscribe(name, handlers[name])
    yield calls
    for name, handler in handlers.items():
        events.unsubscribe(name, handler)


def test_events_of_a_batch_run_only_after_it_commits(
    api, store, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.batch("orders", [order()])
        heard_before_commit = list(heard)

    assert response.status_code == 200
    assert heard_before_commit == []
    kept = Order.objects.get(store=store, external_id="1001")
    ann = Customer.objects.get(store=store, external_id="c1")
    ids = {"store_id": store.pk, "order_id": kept.pk, "customer_id": ann.pk}
    assert heard == [
        ("customer.created", {"store_id": store.pk, "customer_id": ann.pk}),
        ("order.placed", ids),
        ("order.paid", ids),
    ]


def test_a_repeated_batch_emits_nothing_new(api, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.batch("customers", [customer()])
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True):
        api.batch("customers", [customer()])

    assert heard == []


def test_a_refused_batch_emits_no_event(api, store, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.batch("orders", [order(), order(external_id="1002", currency="ABC")])

    assert response.status_code == 422
    assert callbacks == []
    assert heard == []
    assert not Order.objects.filter(store=store).exists()


def test_a_batch_rolled_back_by_a_service_error_emits_no_event(
    api, store, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.batch("orders", [order()])
    heard.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.batch(
            "fulfillments", [fulfillment(), fulfillment(external_id="f2", order_external_id="x")]
        )

    assert response.status_code == 422
    assert callbacks == []
    assert heard == []
