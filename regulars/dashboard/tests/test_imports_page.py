"""Import runs written by `regulars import orders`: status, counts and the rejected rows."""

import io

import pytest

from regulars.commerce.imports.service import do_import_orders
from regulars.commerce.models import ImportRun, ImportStatus
from regulars.dashboard.tests.csv_files import orders_csv
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


def test_a_finished_import_shows_its_counts_and_first_rejected_rows(client, store, owner, tmp_path):
    path = orders_csv(tmp_path, "march-orders.csv", good=3, bad=2)
    do_import_orders(store, path, stream=io.StringIO(), bar=False)
    client.force_login(owner)

    html = client.get(url("imports", store)).content.decode()

    assert "march-orders.csv</span>" in html
    assert 'badge--import-done_with_errors">Done, some rows rejected</span>' in html
    assert '<td class="num" data-label="Created">3</td>' in html
    assert 'data-label="Rejected">2</td>' in html
    assert html.count('<span class="error-list__where">line ') == 2
    assert "line 5 · total</span>" in html


def test_a_running_import_shows_its_progress(client, store, owner, tmp_path):
    path = orders_csv(tmp_path, "big.csv", good=2)
    do_import_orders(store, path, stream=io.StringIO(), bar=False)
    # The importer saves its progress after every batch; this is how a run looks half-way.
    ImportRun.objects.filter(store=store).update(
        status=ImportStatus.RUNNING, bytes_done=420, bytes_total=1000, finished_at=None
    )
    client.force_login(owner)

    html = client.get(url("imports", store)).content.decode()

    assert (
        'aria-valuenow="42"><span style="width: 42%"></span></div><span class="sub">42%</span>'
        in html
    )


def test_no_import_yet_explains_the_command(client, store, owner):
    client.force_login(owner)

    html = client.get(url("imports", store)).content.decode()

    assert "No imports yet" in html
    assert "regulars import orders FILE --store vinyl-corner" in html
