"""load_orders reads a store's purchases with one SQL query into arrays sorted by customer
and time, in whole seconds since 1970 (UTC), on SQLite (times kept as text) and PostgreSQL."""

from datetime import UTC, datetime

import pytest

from regulars.insights.orders_data import load_orders
from regulars.insights.tests.purchases import buy, utc


@pytest.fixture
def orders(store):
    ben = buy(store, "ben", "2026-03-02 10:00:00", "15.00")
    buy(store, "ana", "2026-03-05 10:00:00.750000", "30.50")
    ana = buy(store, "ana", "2026-01-10 23:59:59", "40.00")
    return {"ana": ana.customer_id, "ben": ben.customer_id}


def test_it_reads_with_a_single_query(store, orders, django_assert_num_queries):
    with django_assert_num_queries(1):
        load_orders(store)


def test_orders_are_sorted_by_customer_then_time(store, orders):
    frame = load_orders(store)
    ana, ben = orders["ana"], orders["ben"]
    assert ben < ana  # ben's order came first and created him first

    rows = [
        (c, datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S"), v)
        for c, t, v in zip(frame.customer_id, frame.placed_at, frame.total, strict=True)
    ]
    assert rows == [
        (ben, "2026-03-02 10:00:00", 15.0),
        (ana, "2026-01-10 23:59:59", 40.0),
        (ana, "2026-03-05 10:00:00", 30.5),
    ]
    assert frame.is_first.tolist() == [True, True, False]


def test_times_are_whole_seconds_since_1970_utc(store, orders):
    frame = load_orders(store)

    assert frame.placed_at.dtype.name == "int64"
    # The 0.75 s of ana's second order are dropped, not rounded up.
    assert int(utc("2026-03-05 10:00:00").timestamp()) in frame.placed_at.tolist()
    assert int(utc("2026-01-10 23:59:59").timestamp()) in frame.placed_at.tolist()


def test_the_frame_carries_the_stores_currency_and_time_zone(store, orders):
    frame = load_orders(store)

    assert (frame.currency, frame.timezone) == ("USD", "America/New_York")
    assert frame.total.dtype.name == "float64"
    assert frame.priced.all()


def test_until_leaves_out_orders_placed_at_or_after_it(store, orders):
    frame = load_orders(store, until=utc("2026-03-05 10:00:00"))
    later = load_orders(store, until=utc("2026-03-05 10:00:01"))

    assert frame.orders == 2
    assert sorted(frame.total.tolist()) == [15.0, 40.0]
    assert later.orders == 3
    assert frame.until == utc("2026-03-05 10:00:00")


def test_until_must_be_aware(store):
    with pytest.raises(ValueError, match="until must be an aware datetime"):
        load_orders(store, until=datetime(2026, 3, 1))
