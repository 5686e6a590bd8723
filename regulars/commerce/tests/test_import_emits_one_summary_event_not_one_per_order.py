import pytest

from regulars.commerce import domain_events
from regulars.commerce.models import ImportRun
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row, run_import, write_csv
from regulars.core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def emitted():
    seen = []
    handlers = {}
    for name in domain_events.ALL_EVENTS:
        handlers[name] = lambda _n=name, **payload: seen.append((_n, payload))
        events.subscribe(name, handlers[name])
    yield seen
    for name, handler in handlers.items():
        events.unsubscribe(name, handler)


def test_an_import_emits_orders_imported_once_and_no_order_events(store, tmp_path, emitted):
    path = write_csv(
        tmp_path / "orders.csv", GENERIC_HEADER, [generic_row(str(n)) for n in range(1, 6)]
    )

    run_import(path, store)

    run = ImportRun.objects.get(store=store)
    assert emitted == [
        (
            "orders.imported",
            {"store_id": store.pk, "import_run_id": run.pk, "created": 5, "updated": 0},
        )
    ]


def test_an_import_that_changes_nothing_emits_nothing(store, tmp_path, emitted):
    path = write_csv(tmp_path / "orders.csv", GENERIC_HEADER, [generic_row("1")])
    run_import(path, store)
    emitted.clear()

    run_import(path, store)

    assert emitted == []
