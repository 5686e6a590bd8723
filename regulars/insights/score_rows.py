"""Writing customers' scores: one row per customer, built column by column from the arrays the
models return and inserted with one prepared statement (executemany), not as model instances.
A full refresh writes a row for every customer of the store, a million in a large one; making
a model instance per row and letting bulk_create compile it cost more than the models.
Writes happen only from services.py, inside its transactions."""

from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
from django.db import connection

from regulars.core.models import Store
from regulars.insights.models import CustomerScore
from regulars.insights.rfm import SEGMENTS, RfmScores

_CHUNK = 20_000
# The model's fields (attribute names) in insert order; `_columns` gives one list of values per name.
_FIELDS = (
    "customer_id",
    "store_id",
    "frequency",
    "recency_days",
    "age_days",
    "days_since_last_order",
    "orders",
    "total_spent",
    "average_repeat_spend",
    "recency_score",
    "frequency_score",
    "monetary_score",
    "segment",
    "p_alive",
    "expected_orders_90_days",
    "expected_next_order_at",
    "predicted_clv",
    "churn_risk",
    "computed_at",
)


def insert_scores(store: Store, rfm: RfmScores, scores: dict, now: datetime, rows=None) -> int:
    """Insert the scores of `rfm`'s customers (`rows`: the positions to write, default all).
    `scores` holds the models' arrays aligned with `rfm`, or is empty where no model could be
    fitted (model figures then NULL). Returns the rows written."""
    at = np.arange(rfm.customers) if rows is None else np.asarray(rows, dtype=np.int64)
    if at.size == 0:
        return 0
    columns = _columns(store, rfm, scores, now, at)
    meta = CustomerScore._meta
    column = {field.attname: field.column for field in meta.concrete_fields}
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(column[name]) for name in _FIELDS)
    # only the model's own quoted names are formatted in; every value is a parameter
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(_FIELDS))})"  # noqa: S608
    values = list(zip(*(columns[f] for f in _FIELDS), strict=True))
    with connection.cursor() as cursor:
        for lo in range(0, len(values), _CHUNK):
            cursor.executemany(sql, values[lo : lo + _CHUNK])
    return len(values)


def _columns(store: Store, rfm: RfmScores, scores: dict, now: datetime, at: np.ndarray) -> dict:
    n = at.size
    ops = connection.ops
    segments = [s.value for s in SEGMENTS]
    columns = {
        "customer_id": rfm.customer_id[at].tolist(),
        "store_id": [store.pk] * n,
        "days_since_last_order": rfm.recency_days[at].astype(float).tolist(),
        "orders": rfm.frequency[at].tolist(),
        "total_spent": _decimals(rfm.monetary[at], 3),
        "recency_score": rfm.recency_score[at].tolist(),
        "frequency_score": rfm.frequency_score[at].tolist(),
        "monetary_score": rfm.monetary_score[at].tolist(),
        "segment": [segments[code] for code in rfm.segment_code[at].tolist()],
        "computed_at": [ops.adapt_datetimefield_value(now)] * n,
    }
    if not scores:  # RFM only: the model figures stay empty
        columns |= {
            "frequency": (rfm.frequency[at] - 1).tolist(),
            "recency_days": [0.0] * n,
            "age_days": [0.0] * n,
            "average_repeat_spend": [Decimal(0)] * n,
            "p_alive": [None] * n,
            "expected_orders_90_days": [None] * n,
            "expected_next_order_at": [None] * n,
            "predicted_clv": [None] * n,
            "churn_risk": [False] * n,
        }
        return columns
    clv = scores.get("clv")
    columns |= {
        "frequency": scores["frequency"][at].tolist(),
        "recency_days": scores["recency"][at].astype(float).tolist(),
        "age_days": scores["T"][at].astype(float).tolist(),
        "average_repeat_spend": _decimals(scores["monetary"][at], 3),
        "p_alive": scores["p_alive"][at].astype(float).tolist(),
        "expected_orders_90_days": scores["expected"][at].astype(float).tolist(),
        "expected_next_order_at": [
            ops.adapt_datetimefield_value(now + timedelta(days=days)) if days != np.inf else None
            for days in scores["next_in_days"][at].tolist()
        ],
        "predicted_clv": [None] * n if clv is None else _decimals(clv[at], 2),
        "churn_risk": scores["churn_risk"][at].tolist(),
    }
    return columns


def _decimals(values: np.ndarray, places: int) -> list[Decimal]:
    return [Decimal(text) for text in np.char.mod(f"%.{places}f", values.astype(float)).tolist()]
