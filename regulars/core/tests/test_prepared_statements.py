"""A statement compiled once runs the ORM's own SQL with each call's values: it finds, and
changes, exactly the rows the ORM query with those values does."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from regulars.core import prepared
from regulars.core.models import ApiKey
from regulars.core.prepared import Prepared

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

NAMED_USED_SINCE = Prepared(
    lambda store_id, name, since: prepared.select(
        ApiKey.objects.filter(store_id=store_id, name=name, last_used_at__gte=since).order_by("pk")
    ),
    int,
    str,
    datetime,
)
RENAME = Prepared(
    lambda pk, name, at: prepared.update(ApiKey.objects.filter(pk=pk), name=name, revoked_at=at),
    int,
    str,
    datetime,
)


@pytest.fixture
def keys(store, other_store):
    """Two "shop" keys and a "sync" key of `store` (used a day apart), a "shop" key of
    `other_store`."""
    owners = [(store, "shop"), (store, "shop"), (store, "sync"), (other_store, "shop")]
    return [
        ApiKey.objects.create(
            store=shop, name=name, prefix=f"k{n}", key_hash="-", last_used_at=T0 + timedelta(days=n)
        )
        for n, (shop, name) in enumerate(owners)
    ]


@pytest.mark.parametrize(("name", "since_days"), [("shop", 0), ("shop", 1), ("sync", 3)])
def test_a_select_finds_what_the_orm_query_finds(store, keys, name, since_days):
    since = T0 + timedelta(days=since_days)

    found = prepared.rows(ApiKey, NAMED_USED_SINCE, store.pk, name, since)

    expected = ApiKey.objects.filter(store=store, name=name, last_used_at__gte=since)
    assert [k.pk for k in found] == list(expected.order_by("pk").values_list("pk", flat=True))
    assert all(k.last_used_at >= since and k.store_id == store.pk for k in found)


def test_an_update_writes_each_calls_values(keys):
    first, second = keys[0], keys[1]
    at = T0 + timedelta(hours=5, microseconds=250)

    with connection.cursor() as cursor:
        cursor.execute(*RENAME.bind(first.pk, "Shop (old)", at))
        assert cursor.rowcount == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.revoked_at) == ("Shop (old)", at)
    assert (second.name, second.revoked_at) == ("shop", None)


def test_the_first_row_or_none(store, keys):
    assert prepared.first(ApiKey, NAMED_USED_SINCE, store.pk, "shop", T0) == keys[0]
    assert prepared.first(ApiKey, NAMED_USED_SINCE, store.pk, "none", T0) is None
    assert prepared.first(ApiKey, prepared.by_pk(ApiKey), keys[3].pk) == keys[3]


def test_an_argument_the_statement_does_not_use_is_refused(db):
    unused = Prepared(lambda pk, name: prepared.select(ApiKey.objects.filter(pk=pk)), int, str)

    with pytest.raises(ValueError, match="does not reach its parameters"):
        unused.bind(1, "shop")
