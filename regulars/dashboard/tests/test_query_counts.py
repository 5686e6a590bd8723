"""List and detail pages cost the same number of queries whatever the number of rows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.commerce.imports.service import do_import_orders
from regulars.commerce.models import Customer, Order, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, raw
from regulars.dashboard.tests.csv_files import orders_csv
from regulars.dashboard.tests.insights_data import scored, store_with_report
from regulars.dashboard.tests.shop import cart, customer, event, order, shipment, url

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _customers_with_orders(store, start: int, count: int) -> None:
    for n in range(start, start + count):
        customer(store, f"c{n}", first_name=f"Person {n}")
        order(store, f"o{n}", f"c{n}")


def test_the_customers_and_orders_lists_cost_the_same_for_1_or_30_rows(client, store, owner):
    client.force_login(owner)
    _customers_with_orders(store, 0, 1)
    few = (_queries(client, url("customers", store)), _queries(client, url("orders", store)))

    _customers_with_orders(store, 1, 29)
    many = (_queries(client, url("customers", store)), _queries(client, url("orders", store)))

    assert Customer.objects.filter(store=store).count() == 30
    assert many == few


def test_the_deliveries_list_costs_the_same_for_1_or_20_rows(
    client, store, owner, django_capture_on_commit_callbacks
):
    connect(store)
    sender = WebhookSender(client, django_capture_on_commit_callbacks)
    body = raw("shopify", "orders_create.json")
    client.force_login(owner)
    sender.shopify(store, "orders/create", body)
    few = _queries(client, url("deliveries", store))

    for _ in range(19):
        sender.shopify(store, "orders/updated", body)

    assert WebhookDelivery.objects.filter(store=store).count() == 20
    assert _queries(client, url("deliveries", store)) == few


def test_the_imports_list_costs_the_same_for_1_or_5_runs(client, store, owner, tmp_path):
    client.force_login(owner)
    path = orders_csv(tmp_path, "orders.csv", good=2, bad=1)
    do_import_orders(store, path, stream=io.StringIO(), bar=False)
    few = _queries(client, url("imports", store))

    for _ in range(4):
        do_import_orders(store, path, stream=io.StringIO(), bar=False)

    assert _queries(client, url("imports", store)) == few


def test_the_customer_page_costs_the_same_for_a_short_or_long_history(client, store, owner):
    client.force_login(owner)
    ana = customer(store, "c1", first_name="Ana")
    order(store, "o0", "c1")
    few = _queries(client, url("customer", store, ana.pk))

    for n in range(1, 25):
        order(store, f"o{n}", "c1", placed_at=f"2026-02-{n:02d}T10:00:00Z")
        shipment(store, f"f{n}", f"o{n}", shipped_at=f"2026-02-{n:02d}T18:00:00Z")
        cart(store, f"t{n}", "c1", updated_at=f"2026-01-{n:02d}T10:00:00Z")
        event(store, "c1", "product_viewed", {"title": f"LP {n}"}, f"2026-01-{n:02d}T09:00:00Z")

    assert _queries(client, url("customer", store, ana.pk)) == few


def test_a_customers_scores_cost_one_query_more_than_no_scores(client, store, owner, tmp_path):
    client.force_login(owner)
    newcomer = customer(store, "new", first_name="New")  # no order: never scored
    store_with_report(store, tmp_path)
    one_time, _ = scored(store, orders=1)
    regular, _ = scored(store, orders__gte=5)

    unscored = _queries(client, url("customer", store, newcomer.pk))

    # The score row is read either way; a scored customer's page also reads the store's
    # Insights settings (horizon and churn threshold), whatever the customer's history.
    assert _queries(client, url("customer", store, one_time.pk)) == unscored + 1
    assert _queries(client, url("customer", store, regular.pk)) == unscored + 1


def test_the_order_page_costs_the_same_for_one_or_many_lines_and_shipments(client, store, owner):
    client.force_login(owner)
    customer(store, "c1")
    small = order(store, "o1", "c1")
    lines = [
        {"title": f"LP {n}", "product_external_id": f"p{n}", "quantity": 1, "unit_price": "10.00"}
        for n in range(20)
    ]
    big = order(store, "o2", "c1", lines=lines, total="200.00")
    for n in range(5):
        shipment(store, f"f{n}", "o2")
    shipment(store, "f-small", "o1")

    assert Order.objects.get(pk=big.pk).lines.count() == 20
    assert _queries(client, url("order", store, big.pk)) == _queries(
        client, url("order", store, small.pk)
    )
