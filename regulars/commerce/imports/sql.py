"""Bulk statements through the DB-API's executemany, valid on SQLite and PostgreSQL.

Model instances cost more to build than the rows cost to write, so the writer sends plain
tuples: one prepared INSERT or UPDATE for many rows. Table and column names come from the
models, and every column the import does not set gets the model's default, so a field added
to a model later is filled the way Django would fill it.
"""

import json
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

CHUNK = 5_000  # ids per IN (...) query; far below SQLite's and PostgreSQL's parameter limits


def chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def among(values: Sequence[str] | Sequence[int]) -> RawSQL:
    """The right-hand side of `field__in=` for many values (all text, or all ids) as one
    parameter: Django would otherwise bind (and first prepare, value by value) one
    parameter per value."""
    values = list(values)
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
    kind = "bigint" if values and isinstance(values[0], int) else "text"
    return RawSQL(f"SELECT unnest(%s::{kind}[])", [values])  # noqa: S611 - kind is ours


def time_text():
    """A function turning an aware datetime into the text the database keeps for it: naive UTC
    text on SQLite (as Django stores it there), UTC with its offset elsewhere."""
    if connection.vendor == "sqlite":

        def to_sqlite(value: datetime | None) -> str | None:
            if value is None:
                return None
            return str(value.astimezone(UTC).replace(tzinfo=None))

        return to_sqlite

    def to_text(value: datetime | None) -> str | None:
        return None if value is None else str(value.astimezone(UTC))

    return to_text


def json_value(value):
    return connection.ops.adapt_json_value(value, None)


class BulkInsert:
    """INSERT INTO <model's table> (<columns>, <defaulted columns>) for many rows."""

    def __init__(self, model, columns: Sequence[str], now: datetime):
        fields = {f.name: f for f in model._meta.concrete_fields if not f.primary_key}
        fields["id"] = model._meta.pk  # given by new_ids(), else left to the database
        given = [fields[name] for name in columns]
        defaulted = [f for f in fields.values() if f.name not in columns and not f.primary_key]
        self.constants = tuple(_default(f, now) for f in defaulted)
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in given + defaulted)
        marks = ", ".join(["%s"] * (len(given) + len(defaulted)))
        table = quote(model._meta.db_table)
        # Names come from the models, values go as parameters.
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608

    def run(self, rows: Iterable[tuple]) -> None:
        constants = self.constants
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, [row + constants for row in rows])


def raw_rows(queryset) -> list[tuple]:
    """The rows of `queryset` as the database driver gives them, without Django's per-value
    converters (on SQLite, times stay text, as the import compares them)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def bulk_update(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """UPDATE <table> SET <columns> WHERE id = ...; each row is (*values, id)."""
    if not rows:
        return
    fields = {f.name: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(fields[name].column)} = %s" for name in columns)
    table = quote(model._meta.db_table)
    sql = f"UPDATE {table} SET {sets} WHERE {quote('id')} = %s"  # noqa: S608 - names from models
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _default(field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = now
    elif field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    else:
        raise ValueError(f"{field.model.__name__}.{field.name} has no default to insert")
    return field.get_db_prep_save(value, connection)


def now() -> datetime:
    return timezone.now()


# For the import's connection only, on SQLite, restored afterwards. A bigger page cache
# (64 MB; 128 MB measured no faster) keeps the indexes being filled in memory; a rarer WAL
# checkpoint (every 100,000 pages, about 400 MB of WAL) copies each page into the database
# once per several batches instead of once per batch, which was a tenth of the time
# (synchronous stays NORMAL: a crash loses no committed batch). Foreign keys are not
# re-checked row by row: every id the import writes was read or created in the same
# transaction, and a store's rows cannot be deleted while it runs (SQLite has one writer).
_IMPORT_PRAGMAS = {"cache_size": -65536, "wal_autocheckpoint": 100000, "foreign_keys": 0}


@contextmanager
def import_connection():
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        saved = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in _IMPORT_PRAGMAS}
        try:
            for name, value in _IMPORT_PRAGMAS.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")
            yield
        finally:
            for name, value in saved.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")
            # The import pays for copying its WAL into the database, not the next web request
            # that commits (it would find the WAL over the usual 1,000 pages).
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
