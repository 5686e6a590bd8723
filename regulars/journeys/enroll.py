"""Putting customers into a journey: one at a time (events) or a query's worth at once.

Both ways rely on the unique (journey, entry_key) of Enrollment: the same occurrence never
enrolls twice, and without re-entry the occurrence is the customer alone. A set-based
enrollment is one INSERT ... SELECT ... ON CONFLICT DO NOTHING: a million customers are a
single statement in the database, not a Python loop.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from regulars.commerce.models import Customer
from regulars.journeys import library
from regulars.journeys.conditions import check_conditions, customer_q, enrollment_conditions_hold
from regulars.journeys.models import Enrollment, EnrollmentStatus, Journey

# A typed NULL: PostgreSQL types an untyped NULL in a subquery as text, not as an id.
NO_ID = "CAST(NULL AS bigint)"


def entry_key_for(journey: Journey, customer_id: int, occurrence: str) -> str:
    """`occurrence` names what the enrollment is for; without re-entry, the customer alone."""
    return occurrence if journey.allow_reentry else f"c{customer_id}"


def enroll(
    journey: Journey,
    customer_id: int,
    *,
    occurrence: str,
    now: datetime,
    order_id: int | None = None,
    fulfillment_id: int | None = None,
    cart_id: int | None = None,
    context: dict | None = None,
) -> Enrollment | None:
    """Enroll one customer if the entry conditions hold and they are not already in;
    the new enrollment, or None."""
    enrollment = Enrollment(
        store_id=journey.store_id,
        journey=journey,
        customer_id=customer_id,
        entry_key=entry_key_for(journey, customer_id, occurrence)[:80],
        next_run_at=now,
        order_id=order_id,
        fulfillment_id=fulfillment_id,
        cart_id=cart_id,
        context=context or {},
        entered_at=now,
    )
    conditions = check_conditions(library.entry_conditions(journey.key, journey.settings))
    if conditions:
        customers = Customer.objects.filter(pk=customer_id).filter(customer_q(conditions, now=now))
        if not customers.exists() or not enrollment_conditions_hold(conditions, enrollment):
            return None
    try:
        with transaction.atomic():
            enrollment.save(force_insert=True)
            return enrollment
    except IntegrityError:  # this occurrence was enrolled before
        return None


def enroll_customers(
    journey: Journey,
    customers: QuerySet,
    *,
    occurrence_suffix: str,
    now: datetime,
    status: str = EnrollmentStatus.ACTIVE,
    reason: str = "",
    with_orders_count: bool = False,
) -> int:
    """Enroll every customer of `customers` (a Customer queryset of the journey's store) whose
    entry conditions hold, in one statement; the number enrolled.

    The occurrence of each is "c<customer id><occurrence_suffix>" (e.g. ":2026" for this
    year's anniversary), followed by the customer's orders count `with_orders_count` (a
    win-back per lapse: one who came back and drifts again is won back again). `status=SKIPPED` records customers without running anything (those
    already in a segment when its journey was switched on).
    """
    conditions = check_conditions(library.entry_conditions(journey.key, journey.settings))
    ids = customers.filter(store_id=journey.store_id).filter(customer_q(conditions, now=now))
    ids_sql, ids_params = ids.order_by().values("pk").query.sql_with_params()
    suffix = "" if not journey.allow_reentry else occurrence_suffix
    # Table and column names from our models, the ids subquery compiled by the ORM.
    select = (  # noqa: S608
        "SELECT %s, %s, c.id, 'c' || c.id || %s{count}, {none}, {none}, {none} FROM {customer} c "
        "WHERE c.id IN ({ids})"
    ).format(
        customer=Customer._meta.db_table,
        ids=ids_sql,
        none=NO_ID,
        count=" || c.orders_count" if with_orders_count and journey.allow_reentry else "",
    )
    return _insert_enrollments(
        journey, select, [journey.store_id, journey.pk, suffix, *ids_params], now, status, reason
    )


def enroll_rows(journey: Journey, select_sql: str, params: list, *, now: datetime) -> int:
    """Enroll from a SELECT giving (store_id, journey_id, customer_id, entry_key, order_id,
    fulfillment_id, cart_id) per row (carts left behind, for instance)."""
    return _insert_enrollments(journey, select_sql, params, now, EnrollmentStatus.ACTIVE, "")


def _insert_enrollments(
    journey, select_sql: str, params: list, now, status: str, reason: str
) -> int:
    table = Enrollment._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "postgresql":
        as_json, as_time = "CAST(%s AS jsonb)", "CAST(%s AS timestamp with time zone)"
    else:
        as_json, as_time = "%s", "%s"
    active = status == EnrollmentStatus.ACTIVE
    # The outer SELECT adds the columns every new enrollment shares; "WHERE true" is what
    # SQLite's grammar needs before ON CONFLICT in an INSERT ... SELECT.
    sql = f"""
        INSERT INTO {table} (store_id, journey_id, customer_id, entry_key, order_id,
            fulfillment_id, cart_id, status, step_index, next_run_at, context, entered_at,
            finished_at, exit_reason)
        SELECT s.*, %s, 0, {as_time}, {as_json}, {as_time}, {as_time}, %s
        FROM ({select_sql}) s WHERE true
        ON CONFLICT DO NOTHING
    """  # noqa: S608 - table names from our models, every value a parameter
    shared = [
        status,
        adapt(now) if active else None,
        json.dumps({}),
        adapt(now),
        None if active else adapt(now),
    ]
    # Placeholders in the order they appear: the shared columns and the reason, then the SELECT's.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*shared, reason, *params])
        return max(cursor.rowcount, 0)
