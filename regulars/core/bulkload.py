"""Helpers for code that writes many rows, or writes rows on a hot path (the demo builder, the
CSV import, webhook intake).

`new_ids` hands out primary keys up front, so that child rows can point at their parents
without reading them back. `refresh_planner_statistics` runs after a load: PostgreSQL picks
query plans from table statistics that autovacuum refreshes only some time after a large insert;
until then a table that grew from nothing to 100,000 rows is planned as if it were empty, and a
join over it can take minutes instead of milliseconds. SQLite plans without such statistics
unless asked to gather them, so nothing is done there.
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


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


def insert_rows(rows: Sequence[models.Model]) -> None:
    """Insert new model instances with one prepared statement each; an auto-increment key is
    read back and set. For hot paths: the values are prepared by the fields exactly as `save()`
    would (defaults, auto_now_add, JSON, time zones), without save()'s per-call machinery (query
    compiler, signals), which costs more than the insert. No signals are sent.
    """
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]  # not the `connection` proxy: its every use is a look-up
    fields, sql, generated = _insert_statement(type(rows[0]), db.vendor)
    with db.cursor() as cursor:
        for row in rows:
            values = [field.get_db_prep_save(field.pre_save(row, True), db) for field in fields]
            cursor.execute(sql, values)
            if generated is not None:
                setattr(row, generated.attname, cursor.fetchone()[0])
            row._state.adding, row._state.db = False, db.alias


@functools.cache
def _insert_statement(model: type[models.Model], vendor: str) -> tuple[list, str, Any]:
    # `vendor` is part of the cache key only: the quoting below is that vendor's.
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.db_returning]
    generated = next((field for field in meta.concrete_fields if field.db_returning), None)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model; values are parameters.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    if generated is not None:
        sql += f" RETURNING {quote(generated.column)}"
    return fields, sql, generated
