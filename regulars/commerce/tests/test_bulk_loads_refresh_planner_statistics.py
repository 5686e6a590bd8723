"""After a bulk load PostgreSQL plans with fresh statistics (a stale plan took minutes)."""

from django.db import connection
from django.utils import timezone

from regulars.commerce.models import Customer
from regulars.core.bulkload import refresh_planner_statistics


def _customers(store, count):
    now = timezone.now()
    Customer.objects.bulk_create(
        Customer(store=store, external_id=f"c{n}", email=f"c{n}@example.com", first_seen_at=now)
        for n in range(count)
    )


def test_postgresql_counts_the_rows_just_written(store):
    _customers(store, 120)

    refresh_planner_statistics(Customer)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'commerce_customer'")
            assert cursor.fetchone()[0] == 120
        else:  # SQLite plans without gathered statistics: nothing is written
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone() == (0,)
