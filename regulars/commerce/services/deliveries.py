"""Kept webhook deliveries: intake, processing and replay.

Every request a store platform sends is kept as a `WebhookDelivery`. The request path does the
least that keeps the promise that nothing is lost: one query for the store and its secret, one
insert, and a run of the processing task woken in the same commit unless one is already waiting.
That run (parse, map, upsert) works through the queued deliveries in arrival order until none is
left; a delivery that fails is kept with the reason and can be replayed (`replay_delivery`).
"""

import functools
import hashlib
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from pydantic import ValidationError

from regulars.commerce.errors import CommerceErrorCode, IngestError, OrderNotFound
from regulars.commerce.models import DeliveryStatus, WebhookDelivery
from regulars.commerce.webhooks.base import PlatformSpec, Skip, validation_error
from regulars.commerce.webhooks.registry import PLATFORMS
from regulars.commerce.webhooks.signatures import signature_matches
from regulars.core import prepared
from regulars.core.bulkload import insert_rows
from regulars.core.errors import RegularsError
from regulars.core.events import enqueue_once_on_commit
from regulars.core.groupcommit import GroupCommit
from regulars.core.models import Store, WebhookSecret
from regulars.core.prepared import Prepared

logger = logging.getLogger(__name__)

# A rejected request may be anyone's; keep enough of it to diagnose, not an unbounded blob.
REJECTED_BODY_LIMIT = 64 * 1024
# Credentials a proxy or a confused sender might add; never worth keeping.
_UNKEPT_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
PING_TOPIC = "ping"


# --- intake (the request path) ----------------------------------------------------------------


def store_for_webhook(public_id: str, platform: str) -> Store | None:
    """The store with this public id, its `platform` secret as `.webhook_secret` (None if unset).

    The busiest read of the intake path: one query, written once as SQL and read with a plain
    cursor, because building the equivalent ORM query costs more than the rest of the request
    (measured: ~2 ms vs 0.3 ms). Only the key is read; the store's other fields load if used.
    """
    with connection.cursor() as cursor:
        cursor.execute(_store_and_secret_sql(), [platform, public_id])
        row = cursor.fetchone()
    if row is None:
        return None
    store = Store.from_db(connection.alias, ["id"], [row[0]])
    store.webhook_secret = row[1]
    return store


_STORE_AND_SECRET = (
    "SELECT s.{store_pk}, (SELECT w.{secret} FROM {secrets} w"
    " WHERE w.{secret_store} = s.{store_pk} AND w.{platform} = %s) AS webhook_secret"
    " FROM {stores} s WHERE s.{public_id} = %s"
)


@functools.cache
def _store_and_secret_sql() -> str:
    q = connection.ops.quote_name
    secrets, stores = WebhookSecret._meta, Store._meta
    names = {
        "secret": q(secrets.get_field("secret").column),
        "secrets": q(secrets.db_table),
        "secret_store": q(secrets.get_field("store").column),
        "platform": q(secrets.get_field("platform").column),
        "store_pk": q(stores.pk.column),
        "stores": q(stores.db_table),
        "public_id": q(stores.get_field("public_id").column),
    }
    # Only table and column names from the models go in; values are query parameters.
    return _STORE_AND_SECRET.format(**names)


def check_signature(spec: PlatformSpec, secret: str | None, body: bytes, signature: str) -> str:
    """Why the request cannot be trusted, or "" when its signature is valid."""
    if not signature:
        return f"no {spec.signature_header} header: the request is not signed"
    if not secret:
        return (
            f"no {spec.label} signing secret is configured for this store: paste it in "
            "Settings > Webhooks in Regulars"
        )
    if not signature_matches(spec.signing_key(secret), body, signature):
        return f"signature does not match the store's {spec.label} secret"
    return ""


def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() not in _UNKEPT_HEADERS}


def _text(body: bytes) -> str:
    # PostgreSQL text cannot hold NUL; JSON never has a raw one, so only garbage is altered.
    return body.decode("utf-8", "replace").replace("\x00", "\ufffd")


def do_reject_delivery(
    store: Store,
    spec: PlatformSpec,
    *,
    headers: Mapping[str, str],
    body: bytes,
    topic: str,
    delivery_id: str,
    reason: str,
) -> WebhookDelivery:
    """Keep a request whose signature failed; it is never processed nor replayed."""
    logger.warning("rejected %s webhook for store %s: %s", spec.label, store.pk, reason)
    return WebhookDelivery.objects.create(
        store=store,
        platform=spec.name,
        delivery_id=delivery_id[:200],
        topic=topic[:100],
        headers=kept_headers(headers),
        body=_text(body[:REJECTED_BODY_LIMIT]),
        signature_valid=False,
        status=DeliveryStatus.REJECTED,
        error=reason,
    )


def do_keep_ping(
    store: Store, spec: PlatformSpec, *, headers: Mapping[str, str], body: bytes, note: str
) -> WebhookDelivery:
    """Keep a platform's unsigned "does this URL answer?" ping; it carries no data."""
    logger.info("%s webhook ping for store %s: %s", spec.label, store.pk, note)
    return WebhookDelivery.objects.create(
        store=store,
        platform=spec.name,
        topic=PING_TOPIC,
        headers=kept_headers(headers),
        body=_text(body[:REJECTED_BODY_LIMIT]),
        signature_valid=False,
        status=DeliveryStatus.IGNORED,
        error=note,
        processed_at=timezone.now(),
    )


def do_receive_delivery(
    store: Store,
    spec: PlatformSpec,
    *,
    headers: Mapping[str, str],
    body: bytes,
    topic: str,
    delivery_id: str,
) -> WebhookDelivery | None:
    """Keep a delivery whose signature is valid, with its processing enqueued in the same commit.

    Returns None when the sender already delivered this id: the kept row counts the copy and
    nothing is processed again. Deliveries arriving at the same moment in this process are kept
    in one transaction (`GroupCommit`): under load that is what lets intake keep up, since each
    write transaction has a fixed cost and SQLite runs them one at a time.
    """
    if not delivery_id:
        # A sender that gives no id (a hand-made test request): the same body is the same delivery.
        delivery_id = "sha256:" + hashlib.sha256(body).hexdigest()
    topic = topic[:100]
    used = topic in spec.topics
    incoming = WebhookDelivery(
        store=store,
        platform=spec.name,
        delivery_id=delivery_id[:200],
        topic=topic,
        headers=kept_headers(headers),
        body=_text(body),
        signature_valid=True,
        status=DeliveryStatus.QUEUED if used else DeliveryStatus.IGNORED,
        error="" if used else _unused_topic(spec, topic),
        processed_at=None if used else timezone.now(),
    )
    return _intake.submit(incoming)


def _keep_deliveries(incoming: Sequence[WebhookDelivery]) -> list[WebhookDelivery | None]:
    """Insert signed deliveries in one transaction, waking the processing run if any is queued.

    A copy of a delivery already kept, or of an earlier one in the batch, is counted on the
    kept row and answered None. The unique constraint stays the judge: on PostgreSQL a copy
    committed by another process between the check and the insert fails the insert, and the
    second try sees it (that insert waited for the other commit).
    """
    try:
        return _keep_deliveries_once(incoming)
    except IntegrityError:
        for delivery in incoming:
            delivery.pk = None
        return _keep_deliveries_once(incoming)


def _keep_deliveries_once(incoming: Sequence[WebhookDelivery]) -> list[WebhookDelivery | None]:
    from regulars.commerce.tasks import process_queued_deliveries

    with transaction.atomic():
        kept = _already_kept(incoming)
        new: dict[tuple, WebhookDelivery] = {}
        copied: list[tuple] = []
        results: list[WebhookDelivery | None] = []
        for delivery in incoming:
            key = (delivery.store_id, delivery.platform, delivery.delivery_id)
            if key in kept or key in new:
                copied.append(key)
                results.append(None)
            else:
                new[key] = delivery
                results.append(delivery)
        insert_rows(list(new.values()))
        for key in copied:
            original = kept[key] if key in kept else new[key].pk
            WebhookDelivery.objects.filter(pk=original).update(duplicates=F("duplicates") + 1)
        if any(d.status == DeliveryStatus.QUEUED for d in new.values()):
            # After the inserts: on SQLite the write lock is ours from the first statement on,
            # which is what makes a waiting run a safe reason not to queue another.
            enqueue_once_on_commit(process_queued_deliveries)
    return results


def _already_kept(incoming: Sequence[WebhookDelivery]) -> dict[tuple, int]:
    """(store, platform, delivery id) -> pk of the signed deliveries already kept among these.

    Written as SQL for the same reason as the store look-up: on the request path the ORM's
    query building costs several times the query (the unique index answers it).
    """
    wanted: dict[tuple, list[str]] = {}
    for delivery in incoming:
        wanted.setdefault((delivery.store_id, delivery.platform), []).append(delivery.delivery_id)
    meta = WebhookDelivery._meta
    q = connection.ops.quote_name
    store, platform, delivery_id, pk, valid = (
        q(meta.get_field(name).column)
        for name in ("store", "platform", "delivery_id", "id", "signature_valid")
    )
    groups, params = [], []
    for (store_id, platform_name), ids in wanted.items():
        marks = ", ".join(["%s"] * len(ids))
        groups.append(f"({store} = %s AND {platform} = %s AND {delivery_id} IN ({marks}))")
        params += [store_id, platform_name, *ids]
    # Only table and column names from the model go in; values are parameters.
    sql = (
        f"SELECT {store}, {platform}, {delivery_id}, {pk} FROM {q(meta.db_table)}"  # noqa: S608
        f" WHERE {valid} AND ({' OR '.join(groups)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(s, p, d): found for s, p, d, found in cursor.fetchall()}


_intake: GroupCommit[WebhookDelivery, WebhookDelivery | None] = GroupCommit(_keep_deliveries)


def _unused_topic(spec: PlatformSpec, topic: str) -> str:
    if not topic:
        return f"no {spec.topic_header} header: nothing to apply"
    return f"topic {topic!r} is not one Regulars uses"


# --- processing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessOutcome:
    delivery: WebhookDelivery
    # Failed for a reason that may go away by itself: the shipment's order has not arrived yet.
    retryable: bool = False


# Queued deliveries read at a time by a processing run.
QUEUE_BATCH = 100


def queued_delivery_ids() -> Iterator[int]:
    """The ids of the queued deliveries in arrival order, read a batch at a time until none is
    left, so that a run also takes those that arrive while it works.

    Only forwards: a delivery that stays queued (its processing raised) is left to the next
    run rather than tried again and again by this one.
    """
    after = 0
    while True:
        batch = list(
            WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:QUEUE_BATCH]
        )
        if not batch:
            return
        yield from batch
        after = batch[-1]


def process_pending_delivery(delivery_id: int, *, retry: bool = True) -> ProcessOutcome | None:
    """Process a queued (or, when `retry`, failed) delivery; None when there is nothing to do.

    Safe to run twice: a delivery already processed, ignored or rejected is left alone, and the
    upserts themselves are idempotent. The delivery is claimed in the transaction that applies
    it and records the result: another worker skips it (FOR UPDATE SKIP LOCKED on PostgreSQL;
    SQLite's write lock serializes the two, and the second finds it processed).
    """
    with transaction.atomic():
        # Compiled once (core.prepared): this runs for every delivery.
        delivery = prepared.first(WebhookDelivery, _PENDING if retry else _QUEUED, delivery_id)
        if delivery is None:
            return None
        delivery.store = prepared.first(Store, prepared.by_pk(Store), delivery.store_id)
        return run_delivery(delivery)


def _locked(*statuses: str) -> Prepared:
    return Prepared(
        lambda pk: prepared.select(
            WebhookDelivery.objects.select_for_update(skip_locked=True).filter(
                pk=pk, signature_valid=True, status__in=statuses
            )
        ),
        int,
    )


_QUEUED = _locked(DeliveryStatus.QUEUED)
_PENDING = _locked(DeliveryStatus.QUEUED, DeliveryStatus.FAILED)


def run_delivery(delivery: WebhookDelivery) -> ProcessOutcome:
    """Apply a kept delivery to the store's data and record the result on the delivery."""
    handler = PLATFORMS[delivery.platform].topics.get(delivery.topic)
    retryable = False
    if handler is None:
        status, error = (
            DeliveryStatus.IGNORED,
            _unused_topic(PLATFORMS[delivery.platform], delivery.topic),
        )
    else:
        try:
            payload = parse_body(delivery.body)
            # All or nothing: a payload failing half-way leaves no customer without its order.
            with transaction.atomic():
                result = handler(delivery.store, payload, delivery.headers)
        except OrderNotFound as exc:
            status, error, retryable = DeliveryStatus.FAILED, describe(exc), True
        except IngestError as exc:
            status, error = DeliveryStatus.FAILED, describe(exc)
        except ValidationError as exc:
            status, error = DeliveryStatus.FAILED, describe(validation_error(exc))
        except Exception as exc:
            logger.exception("webhook delivery %s failed unexpectedly", delivery.pk)
            status, error = DeliveryStatus.FAILED, f"unexpected error ({type(exc).__name__}): {exc}"
        else:
            if isinstance(result, Skip):
                status, error = DeliveryStatus.IGNORED, result.reason
            else:
                status, error = DeliveryStatus.PROCESSED, ""
                logger.debug("webhook delivery %s: %s", delivery.pk, result)
    _record(delivery, status, error)
    return ProcessOutcome(delivery, retryable=retryable)


def _record(delivery: WebhookDelivery, status: str, error: str) -> None:
    delivery.status, delivery.error = status, error
    delivery.processed_at = timezone.now()  # the time of the latest processing run
    with connection.cursor() as cursor:
        cursor.execute(*_RECORD.bind(delivery.pk, status, error, delivery.processed_at))
    delivery.attempts += 1


_RECORD = Prepared(
    lambda pk, status, error, at: prepared.update(
        WebhookDelivery.objects.filter(pk=pk),
        status=status,
        error=error,
        processed_at=at,
        attempts=F("attempts") + 1,
    ),
    int,
    str,
    str,
    datetime,
)


def parse_body(body: str) -> dict:
    """The JSON object in a kept body. Numbers with a fraction become Decimal (exact money);
    integers stay Python ints, so ids above 2**53 are exact."""
    try:
        payload = json.loads(body, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"body: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", field="body"
        ) from exc
    if not isinstance(payload, dict):
        raise IngestError(
            f"body: a JSON object was expected, not a {type(payload).__name__}", field="body"
        )
    return payload


def describe(exc: RegularsError) -> str:
    if exc.field and not exc.message.startswith(f"{exc.field}:"):
        return f"{exc.field}: {exc.message}"
    return exc.message


# --- the dashboard's view of deliveries -------------------------------------------------------


def access_delivery(store: Store, delivery_id) -> WebhookDelivery:
    """One of `store`'s kept deliveries; another store's is reported as not found."""
    try:
        pk = int(delivery_id)
    except (TypeError, ValueError):
        pk = None
    delivery = (
        WebhookDelivery.objects.select_related("store").filter(store=store, pk=pk).first()
        if pk is not None
        else None
    )
    if delivery is None:
        raise RegularsError("No such webhook delivery.", code=CommerceErrorCode.NOT_FOUND)
    return delivery


def replay_delivery(delivery: WebhookDelivery) -> WebhookDelivery:
    """Process a kept delivery again, now, and record the new result (the Replay button).

    Whatever its current status: the upserts are idempotent, and an older copy of an order
    never overwrites a newer one. A request whose signature failed is never processed.
    """
    if not delivery.signature_valid:
        raise RegularsError(
            "This request was not signed with the store's secret, so it is never processed.",
            code=CommerceErrorCode.BAD_SIGNATURE,
        )
    return run_delivery(delivery).delivery
