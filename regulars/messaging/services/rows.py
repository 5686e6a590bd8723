"""Prepared statements for the send log's hot rows: a send to many inserts thousands of
messages and events, and a worker records an outcome per message. Django's bulk_create and
bulk_update build their SQL afresh for every batch (bulk_update with a CASE per column), which
cost more than queueing or sending itself; these run one cached statement with executemany.
The values are prepared by the fields exactly as save() would (defaults, auto_now_add, time
zones). No signals are sent (bulk_create sends none either).
"""

import functools
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models

from regulars.core.bulkload import new_ids
from regulars.messaging.models import Message

# What a worker writes when it knows what became of a message.
OUTCOME_COLUMNS = (
    "status",
    "status_reason",
    "send_after",
    "attempts",
    "claimed_at",
    "handed_over_at",
    "provider_message_id",
    "sent_at",
    "failed_at",
)


def insert_new(rows: Sequence[models.Model]) -> None:
    """Insert new instances of one model, their primary keys given first (`new_ids`, so it
    must run inside the inserting transaction) so that child rows can point at them."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]
    model = type(rows[0])
    for row, pk in zip(rows, new_ids(model, len(rows)), strict=True):
        row.pk = pk
    fields, sql = _insert_statement(model, db.vendor)
    values = [
        [field.get_db_prep_save(field.pre_save(row, True), db) for field in fields] for row in rows
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, values)
    for row in rows:
        row._state.adding, row._state.db = False, db.alias


def update_outcomes(messages: Sequence[Message]) -> None:
    """Write each message's OUTCOME_COLUMNS as they are on the instance."""
    db = connections[DEFAULT_DB_ALIAS]
    fields, sql = _outcome_update(db.vendor)
    values = [
        [field.get_db_prep_save(getattr(message, field.attname), db) for field in fields]
        + [message.pk]
        for message in messages
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, values)


@functools.cache
def _insert_statement(model: type[models.Model], vendor: str) -> tuple[list, str]:
    # `vendor` is part of the cache key only: the quoting is that vendor's.
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model; values are parameters.
    return fields, f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


@functools.cache
def _outcome_update(vendor: str) -> tuple[list, str]:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = [Message._meta.get_field(name) for name in OUTCOME_COLUMNS]
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table = quote(Message._meta.db_table)
    pk = quote(Message._meta.pk.column)
    return fields, f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
