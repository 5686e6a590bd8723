"""Fixed-window rate limits counted in the database, so every web process shares one count."""

import time

from django.db import connection, transaction

from regulars.core.errors import RateLimited
from regulars.core.models import RateLimitCounter


def hit(key: str, *, limit: int, window_seconds: int = 60) -> None:
    """Count one request for `key`; raise RateLimited past `limit` in the current window."""
    if limit <= 0:
        return
    now = time.time()
    window = int(now // window_seconds) * window_seconds
    table = RateLimitCounter._meta.db_table
    # One statement: an upsert that returns the new count (SQLite >= 3.35 and PostgreSQL).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608
            "ON CONFLICT (key, window_start) DO UPDATE SET count = "
            f"{table}.count + 1 RETURNING count",
            [key[:200], window],
        )
        count = cursor.fetchone()[0]
    if count > limit:
        raise RateLimited(retry_after=max(1, int(window + window_seconds - now)))


def prune(older_than_seconds: int = 3600) -> int:
    cutoff = int(time.time()) - older_than_seconds
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
