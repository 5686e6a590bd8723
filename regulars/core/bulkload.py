"""Helpers for code that writes rows in bulk (the demo builder, the CSV import).

`new_ids` hands out primary keys up front, so that child rows can point at their parents
without reading them back. `refresh_planner_statistics` runs after a load: PostgreSQL picks
query plans from table statistics that autovacuum refreshes only some time after a large insert;
until then a table that grew from nothing to 100,000 rows is planned as if it were empty, and a
join over it can take minutes instead of milliseconds. SQLite plans without such statistics
unless asked to gather them, so nothing is done there.
"""

from collections.abc import Sequence

from django.db import connection, models


def new_ids(model: type[models.Model], count: int) -> Sequence[int]:
    """`count` fresh primary keys for rows about to be inserted in this transaction, so that
    they need not be read back. On SQLite the transaction holds the database's only write lock
    from its start (settings: transaction_mode IMMEDIATE), so the ids after the highest ever
    given (sqlite_sequence, kept because Django's keys are AUTOINCREMENT) are free. On
    PostgreSQL they come from the table's own sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not connection.in_atomic_block:
                raise RuntimeError("new_ids() must run inside the transaction that inserts")
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            column = connection.ops.quote_name(model._meta.pk.column)
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT max({column}) FROM {quoted}")  # noqa: S608 - from models
            last = max(found[0] if found else 0, cursor.fetchone()[0] or 0)
            return range(last + 1, last + 1 + count)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def refresh_planner_statistics(*models_written: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_written)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
