"""ORM statements compiled once, then run with other values.

A few statements run several times for every order webhook, and building them with the ORM
costs several times running them (~0.3 ms against ~0.05 ms). Such a statement is still written
with the ORM: `Prepared` compiles it once per database vendor, with stand-in values for its
arguments, and afterwards puts the real values where the stand-ins are in the parameters. The
SQL run is the ORM's own; only its building is saved. Rows become model instances through
`Model.objects.raw(...)` (`first`), which applies the fields' conversions.

Arguments are ids (int), strings compared for equality (an external id) or aware datetimes:
values the ORM passes to the database unchanged, or datetimes adapted the way every datetime
column adapts them, so each stand-in can be found among the compiled parameters.
"""

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.sql import UpdateQuery

M = TypeVar("M", bound=Model)


def select(queryset: QuerySet) -> tuple[str, tuple]:
    """The SELECT of `queryset`, compiled."""
    return queryset.query.get_compiler(queryset.db).as_sql()


def update(queryset: QuerySet, **values) -> tuple[str, tuple]:
    """The UPDATE `queryset.update(**values)` runs (no related updates), compiled."""
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    query.clear_select_clause()
    return query.get_compiler(queryset.db).as_sql()


def _stand_in(kind: type, n: int):
    # Values no real argument takes: negative ids, a control character, the year 1901.
    if kind is int:
        return -7_301_900 - n
    if kind is str:
        return f"\x1fprepared-argument-{n}"
    if kind is datetime:
        return datetime(1901, 1, 1, 0, 0, n, tzinfo=UTC)
    raise TypeError(f"a prepared statement takes int, str or datetime arguments, not {kind}")


class Prepared:
    """`build(*args)` returns `select(...)` or `update(...)` of a statement on `args`, whose
    types are `kinds`. `bind(*args)` gives its SQL and parameters for `args`."""

    def __init__(self, build: Callable[..., tuple[str, Sequence]], *kinds: type):
        self._build = build
        self._kinds = kinds
        self._compiled: dict[str, tuple[str, tuple, list[list[int]]]] = {}

    def bind(self, *args) -> tuple[str, list]:
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor not in self._compiled:
            self._compiled[db.vendor] = self._compile(db)
        sql, params, slots = self._compiled[db.vendor]
        bound = list(params)
        for places, kind, value in zip(slots, self._kinds, args, strict=True):
            if kind is datetime:
                value = db.ops.adapt_datetimefield_value(value)
            for place in places:
                bound[place] = value
        return sql, bound

    def _compile(self, db) -> tuple[str, tuple, list[list[int]]]:
        marks = [_stand_in(kind, n) for n, kind in enumerate(self._kinds)]
        sql, params = self._build(*marks)
        found = [
            db.ops.adapt_datetimefield_value(mark) if kind is datetime else mark
            for kind, mark in zip(self._kinds, marks, strict=True)
        ]
        slots = [[i for i, param in enumerate(params) if param == mark] for mark in found]
        if not all(slots):
            raise ValueError(f"an argument of {self._build} does not reach its parameters")
        return sql, tuple(params), slots


def rows(model: type[M], statement: Prepared, *args) -> list[M]:
    """The rows `statement` selects for `args`, as `model` instances."""
    return list(model._default_manager.raw(*statement.bind(*args)))


def first(model: type[M], statement: Prepared, *args) -> M | None:
    """The first row `statement` selects for `args`, as a `model` instance, or None."""
    return next(iter(model._default_manager.raw(*statement.bind(*args))), None)


@functools.cache
def by_pk(model: type[Model]) -> Prepared:
    """The SELECT of one `model` row by primary key."""
    return Prepared(lambda pk: select(model._default_manager.filter(pk=pk)), int)
