"""Coupons: the list with its filters (status, source, code or e-mail), a few queries whatever
the page size, and another store's coupons never shown."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulars.dashboard.tests.shop import customer, url
from regulars.promotions.models import Coupon
from regulars.promotions.services import do_issue_coupon

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def coupons(store):
    ana = customer(store, "c1", email="ana@example.com")
    bob = customer(store, "c2", email="bob@example.com")
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        expired = do_issue_coupon(store, ana, kind="percent", value=5, valid_days=1)
    with time_machine.travel(NOW, tick=False):
        live = do_issue_coupon(
            store, bob, kind="percent", value=15, minimum_spend=50, source="journey:winback"
        )
        redeemed = do_issue_coupon(store, ana, kind="fixed_amount", value=10, prefix="BDAY")
    Coupon.objects.filter(pk=redeemed.pk).update(status="redeemed", redeemed_at=NOW)
    return {"expired": expired, "live": live, "redeemed": redeemed}


def _shown(response, coupons: dict) -> list[str]:
    """The names of the fixture's coupons on the page, in the order they appear."""
    html = response.content.decode()
    found = [(html.find(coupon.code), name) for name, coupon in coupons.items()]
    return [name for position, name in sorted(found) if position >= 0]


@time_machine.travel(NOW, tick=False)
def test_a_viewer_sees_every_coupon_with_its_status(client, store, member, coupons):
    client.force_login(member)

    response = client.get(url("coupons", store))

    assert response.status_code == 200
    html = response.content.decode()
    assert _shown(response, coupons) == ["redeemed", "live", "expired"]
    assert "15% off an order of 50.00 USD or more" in html
    assert "10.00 USD off your next order" in html
    assert 'class="badge badge--pending">Expired' in html
    assert 'class="badge badge--paid">Redeemed' in html
    assert 'class="badge badge--queued">Issued' in html
    assert "3 coupons, newest first" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "expired"}, ["expired"]),
        ({"status": "issued"}, ["live"]),
        ({"status": "redeemed"}, ["redeemed"]),
        ({"source": "journey:winback"}, ["live"]),
        ({"q": "bob@example.com"}, ["live"]),
        ({"q": "ANA@example.com"}, ["redeemed", "expired"]),
        ({"q": "bday-"}, ["redeemed"]),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_the_filters_narrow_the_list(client, store, owner, coupons, params, expected):
    client.force_login(owner)

    response = client.get(url("coupons", store), params)

    assert response.status_code == 200
    assert _shown(response, coupons) == expected


def test_a_bad_filter_is_shown_not_applied(client, store, owner, coupons):
    client.force_login(owner)

    response = client.get(url("coupons", store), {"status": "lost"})

    assert response.status_code == 200
    assert len(_shown(response, coupons)) == 3


def test_the_list_costs_the_same_queries_for_more_coupons(client, store, owner, coupons):
    client.force_login(owner)
    with CaptureQueriesContext(connection) as few:
        client.get(url("coupons", store))
    extra = customer(store, "c9")
    for _ in range(10):
        do_issue_coupon(store, extra, kind="percent", value=5)

    with CaptureQueriesContext(connection) as many:
        client.get(url("coupons", store))

    assert len(many) == len(few)


def test_another_stores_coupons_are_not_shown(client, store, coupons, other_store, outsider):
    theirs = do_issue_coupon(
        other_store, customer(other_store, "t1"), kind="percent", value=5, prefix="THEIRS"
    )
    client.force_login(outsider)

    assert client.get(url("coupons", store)).status_code == 404
    response = client.get(url("coupons", other_store))
    html = response.content.decode()
    assert theirs.code in html
    assert _shown(response, coupons) == []
