"""Conditions on a customer, their score, consent and the enrollment's order.

One condition is {"field": ..., "op": ..., "value": ...}. Customer, score and consent fields
become a `Q` on Customer, so the same list filters one customer at a step and a million at a
set-based trigger; enrollment fields ("ordered_since_entry", "order.total") are checked at the
step, where the enrollment is known.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from regulars.commerce.models import Order, OrderStatus
from regulars.core.errors import RegularsError

_OPS = {"eq": "exact", "ne": None, "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte", "in": "in"}

# field -> (Customer lookup path, value kind)
CUSTOMER_FIELDS = {
    "customer.orders_count": ("orders_count", "number"),
    "customer.total_spent": ("total_spent", "number"),
    "customer.language": ("language", "text"),
    "customer.days_since_last_order": ("last_order_at", "days"),
    "consent.email": ("email_consent", "text"),
    "consent.sms": ("sms_consent", "text"),
    "score.segment": ("score__segment", "text"),
    "score.p_alive": ("score__p_alive", "number"),
    "score.churn_risk": ("score__churn_risk", "bool"),
}
ENROLLMENT_FIELDS = {
    "ordered_since_entry": "bool",
    "order.total": "number",
    "order.is_first": "bool",
}


def check_conditions(conditions: object, field: str = "conditions") -> list[dict]:
    """The conditions, each checked; a RegularsError names the index and the problem."""
    if conditions in (None, ""):
        return []
    if not isinstance(conditions, list):
        raise RegularsError(f"{field}: a list of conditions is expected.", field=field)
    return [_check_one(c, f"{field}[{i}]") for i, c in enumerate(conditions)]


def _check_one(condition: object, where: str) -> dict:
    if not isinstance(condition, dict):
        raise RegularsError(
            f"{where}: a condition is an object with field, op, value.", field=where
        )
    name, op, value = condition.get("field"), condition.get("op", "eq"), condition.get("value")
    if not isinstance(name, str) or not isinstance(op, str):
        raise RegularsError(f"{where}: field and op are texts.", field=where)
    kind = CUSTOMER_FIELDS[name][1] if name in CUSTOMER_FIELDS else ENROLLMENT_FIELDS.get(name)
    if kind is None:
        known = ", ".join([*CUSTOMER_FIELDS, *ENROLLMENT_FIELDS])
        raise RegularsError(
            f"{where}.field: {name!r} is not a condition field; use one of {known}.", field=where
        )
    if op not in _OPS:
        raise RegularsError(
            f"{where}.op: {op!r} is not an operator; use one of {', '.join(_OPS)}.", field=where
        )
    if kind in ("number", "days"):
        values = value if op == "in" and isinstance(value, list) else [value]
        try:
            [Decimal(str(v)) for v in values]
        except (InvalidOperation, ValueError):
            raise RegularsError(f"{where}.value: {value!r} is not a number.", field=where) from None
    if kind == "bool" and not isinstance(value, bool):
        raise RegularsError(f"{where}.value: true or false is expected.", field=where)
    return {"field": name, "op": op, "value": value}


def customer_q(conditions: list[dict], *, now=None) -> Q:
    """The customer-side conditions as one Q on Customer (enrollment fields are left out)."""
    now = now or timezone.now()
    q = Q()
    for c in conditions:
        if c["field"] in CUSTOMER_FIELDS:
            q &= _customer_condition(c, now)
    return q


def _customer_condition(c: dict, now) -> Q:
    path, kind = CUSTOMER_FIELDS[c["field"]]
    op, value = c["op"], c["value"]
    if kind == "days":
        # "days since the last order > 30" is "last order before now - 30 days": the
        # comparison turns around; a customer without orders has no such number.
        flip = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte", "eq": "date", "ne": None}
        moment = now - timedelta(days=float(value))
        if op == "eq":
            return Q(**{f"{path}__date": moment.date()})
        if op == "ne":
            return ~Q(**{f"{path}__date": moment.date()}) & Q(**{f"{path}__isnull": False})
        return Q(**{f"{path}__{flip[op]}": moment})
    if op == "ne":
        return ~Q(**{path: value})
    return Q(**{f"{path}__{_OPS[op]}": value})


def enrollment_conditions_hold(conditions: list[dict], enrollment) -> bool:
    """The enrollment-side conditions, checked in Python for one enrollment."""
    for c in conditions:
        if c["field"] not in ENROLLMENT_FIELDS:
            continue
        actual = _enrollment_value(c["field"], enrollment)
        if actual is None or not _compare(actual, c["op"], c["value"]):
            return False
    return True


def _enrollment_value(name: str, enrollment):
    if name == "ordered_since_entry":
        return ordered_since(
            enrollment.customer_id, enrollment.entered_at, exclude=enrollment.order_id
        )
    order = enrollment.order
    if order is None:
        return None
    if name == "order.total":
        return order.total
    if name == "order.is_first":
        earlier = Order.objects.filter(customer_id=order.customer_id, placed_at__lt=order.placed_at)
        return not earlier.exclude(status=OrderStatus.CANCELLED).exists()
    return None


def _compare(actual, op: str, value) -> bool:
    if isinstance(actual, Decimal | int | float) and not isinstance(actual, bool):
        actual = Decimal(str(actual))
        value = [Decimal(str(v)) for v in value] if op == "in" else Decimal(str(value))
    return {
        "eq": lambda: actual == value,
        "ne": lambda: actual != value,
        "gt": lambda: actual > value,
        "gte": lambda: actual >= value,
        "lt": lambda: actual < value,
        "lte": lambda: actual <= value,
        "in": lambda: actual in value,
    }[op]()


def ordered_since(customer_id: int, since, *, exclude: int | None = None) -> bool:
    orders = Order.objects.filter(customer_id=customer_id, placed_at__gt=since).exclude(
        status=OrderStatus.CANCELLED
    )
    if exclude:
        orders = orders.exclude(pk=exclude)
    return orders.exists()


def ordered_since_q(since_field: str = "entered_at") -> Exists:
    """For querysets of enrollments: the customer ordered after `since_field`."""
    return Exists(
        Order.objects.filter(
            customer_id=OuterRef("customer_id"), placed_at__gt=OuterRef(since_field)
        ).exclude(status=OrderStatus.CANCELLED)
    )
