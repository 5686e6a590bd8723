"""The one road every outgoing message takes: queue, check, budget, send, log.

`do_queue_message` renders and logs a message (status queued) and wakes the dispatcher.
`dispatch_due` (run by the worker) claims due messages and, for each, in priority order:
drops it past its deadline; suppresses it without consent or to a suppressed address; defers
it out of quiet hours or past the frequency cap (never dropped for that); else hands it to the
channel, reusing one connection per batch. Consent and budget are checked when the message is
sent, not when it was queued: a customer who unsubscribes tonight gets nothing tomorrow.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from regulars.commerce.models import Consent, Customer
from regulars.core import prepared
from regulars.core.errors import RegularsError
from regulars.core.prepared import Prepared
from regulars.messaging import budget
from regulars.messaging.channels import open_sender
from regulars.messaging.channels.base import ChannelError, Outgoing
from regulars.messaging.models import (
    PENDING_STATUSES,
    Channel,
    ChannelConfig,
    Message,
    MessageEvent,
    MessageStatus,
    MessagingSettings,
    Purpose,
    Suppression,
    SuppressionReason,
)
from regulars.messaging.services import rows
from regulars.messaging.services.dispatch_runs import share_the_work, wake_dispatcher

logger = logging.getLogger(__name__)

BATCH = 200
# Messages handed to a channel between two writes of their outcome: a worker killed in the
# middle leaves at most this many whose fate is unknown (failed, never sent twice).
HANDOVER_CHUNK = 10
# A message claimed longer ago than this by a worker that never reported back is recovered.
STALE_CLAIM = timedelta(minutes=10)
# Waits before each retry of a transient failure; after the last one the message fails.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
# A message waiting for a higher-priority one to the same customer looks again this soon.
COMPETITOR_WAIT = timedelta(minutes=1)
# SMS and WhatsApp reach a phone number that costs the customer attention (and the store
# money): even transactional ones need the customer's explicit opt-in.
EXPLICIT_OPT_IN = (Channel.SMS, Channel.WHATSAPP)


# --- queueing ---------------------------------------------------------------------------------


def do_queue_message(
    store,
    customer: Customer,
    *,
    channel: str,
    purpose: str,
    template_key: str = "",
    language: str | None = None,
    context: dict | None = None,
    order=None,
    fulfillment=None,
    coupon: dict | None = None,
    subject: str = "",
    body_text: str = "",
    body_html: str = "",
    priority: int = 0,
    idempotency_key: str | None = None,
    send_after: datetime | None = None,
    deadline: datetime | None = None,
    source: str = "",
) -> Message:
    """Render and log one message for `customer`, to be sent by the worker.

    With `template_key` the store's template for that key is rendered with the customer's
    variables, those of the `order`, `fulfillment` and `coupon` the message is about, and
    `context` added last; else the given subject and bodies are sent as they are.
    The same `idempotency_key` twice returns the first message and queues nothing.
    """
    _check_choice(channel, Channel, "channel")
    _check_choice(purpose, Purpose, "purpose")
    if customer.store_id != store.pk:
        raise RegularsError("The customer belongs to another store.", field="customer")
    if idempotency_key:
        existing = prepared.first(Message, _BY_IDEMPOTENCY_KEY, store.pk, idempotency_key)
        if existing is not None:
            return existing
    message = _build_message(
        store,
        customer,
        channel=channel,
        purpose=purpose,
        template_key=template_key,
        language=language,
        context=context,
        about={"order": order, "fulfillment": fulfillment, "coupon": coupon},
        content=(subject, body_text, body_html),
        priority=priority,
        idempotency_key=idempotency_key or None,
        send_after=send_after,
        deadline=deadline,
        source=source,
    )
    try:
        with transaction.atomic():
            message.save()
            _log(message, MessageStatus.QUEUED, "", message.created_at)
            wake_dispatcher(message.send_after)
    except IntegrityError:
        if idempotency_key:  # queued by a concurrent call with the same key a moment ago
            return Message.objects.get(store=store, idempotency_key=idempotency_key)
        raise
    return message


# Asked for every journey step that sends: compiled once (core.prepared).
_BY_IDEMPOTENCY_KEY = Prepared(
    lambda store_id, key: prepared.select(
        Message.objects.filter(store_id=store_id, idempotency_key=key).order_by("pk")[:1]
    ),
    int,
    str,
)


def do_queue_messages(
    store,
    customers,
    *,
    channel: str,
    purpose: str,
    template_key: str,
    context_for=None,
    priority: int = 0,
    send_after: datetime | None = None,
    deadline: datetime | None = None,
    source: str = "",
) -> list[Message]:
    """Render and log one message from the template `template_key` for each of `customers`
    (a send to many: a campaign, a journey step reached by many at once), written together.

    `context_for(customer)` gives each customer's extra variables (e.g. their last order's).
    The work per message is what `do_queue_message` does, less one template look-up and
    three writes: templates are looked up once per language, rows are inserted in bulk by a
    prepared statement, and the dispatcher is woken once (see dispatch_runs.py). Each batch
    is committed on its own (a failure part-way leaves the earlier batches queued).
    """
    _check_choice(channel, Channel, "channel")
    _check_choice(purpose, Purpose, "purpose")
    customers = list(customers)
    foreign = next((c for c in customers if c.store_id != store.pk), None)
    if foreign is not None:
        raise RegularsError("The customer belongs to another store.", field="customer")
    templates: dict[str, object] = {}
    queued = []
    # One transaction per batch: the workers start sending the first batches while the
    # later ones are still being rendered.
    for start in range(0, len(customers), BATCH):
        messages = [
            _build_message(
                store,
                customer,
                channel=channel,
                purpose=purpose,
                template_key=template_key,
                language=None,
                context=context_for(customer) if context_for else None,
                about=None,
                content=("", "", ""),
                priority=priority,
                idempotency_key=None,
                send_after=send_after,
                deadline=deadline,
                source=source,
                templates=templates,
            )
            for customer in customers[start : start + BATCH]
        ]
        with transaction.atomic():
            rows.insert_new(messages)
            rows.insert_new(
                [
                    MessageEvent(message=m, status=MessageStatus.QUEUED, at=m.created_at)
                    for m in messages
                ]
            )
            wake_dispatcher(messages[0].send_after)
        queued.extend(messages)
    return queued


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise RegularsError(
            f"{value!r} is not a {field}; use one of {', '.join(choices.values)}.", field=field
        )


def _build_message(
    store,
    customer,
    *,
    channel,
    purpose,
    template_key,
    language,
    context,
    about,
    content,
    priority,
    idempotency_key,
    send_after,
    deadline,
    source,
    templates: dict | None = None,
) -> Message:
    from regulars.messaging import links

    now = timezone.now()
    message = Message(
        store=store,
        customer=customer,
        channel=channel,
        purpose=purpose,
        template_key=template_key,
        source=source[:60],
        priority=priority,
        idempotency_key=idempotency_key,
        to_address=address_for(customer, channel),
        send_after=send_after or now,
        deadline=deadline,
    )
    marketing = purpose == Purpose.MARKETING
    page_links = {
        "unsubscribe_url": links.unsubscribe_url(customer, _consent_channel(store, channel))
        if marketing
        else "",
        "preferences_url": links.preferences_url(customer),
    }
    # Kept for the List-Unsubscribe header: the worker sends what the bodies link to.
    message.unsubscribe_url = page_links["unsubscribe_url"]
    if template_key:
        from regulars.messaging import rendering

        wanted_language = language or customer.language or store.default_language
        template = templates.get(wanted_language) if templates is not None else None
        if template is None:
            template = rendering.pick_template(
                store, key=template_key, channel=channel, language=wanted_language
            )
            if templates is not None:
                templates[wanted_language] = template
        # Recommendations cost two queries: only for templates that show them.
        wanted = "recommended_products" in rendering.template_variables(template)
        variables = (
            rendering.build_context(store, customer, **(about or {}), recommendations=wanted)
            | (context or {})
            | page_links
        )
        rendered = rendering.render_template(template, variables)
        message.template = rendered.template
        message.language = rendered.language
        subject, body_text, body_html = rendered.subject, rendered.body_text, rendered.body_html
    else:
        subject, body_text, body_html = content
        message.language = language or customer.language or store.default_language
    if channel in (Channel.EMAIL, Channel.WEBHOOK):
        body_html, body_text = links.track_links(body_html, body_text, message.token)
    message.subject, message.body_text, message.body_html = subject[:500], body_text, body_html
    return message


def address_for(customer: Customer, channel: str) -> str:
    """Where a message on `channel` goes for this customer ("" when the customer has none)."""
    if channel == Channel.EMAIL:
        return customer.email.strip().lower()
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return customer.phone
    # Push and the webhook channel address the customer by the store's own id for them.
    return customer.external_id or f"customer-{customer.pk}"


# --- dispatching ------------------------------------------------------------------------------


# What _gate answers for a marketing message that may go if its customer's slot is free.
NEEDS_BUDGET = object()


@dataclass
class Outcome:
    status: str
    reason: str = ""
    send_after: datetime | None = None
    provider_message_id: str = ""
    attempts: int | None = None


def dispatch_due(*, now: datetime | None = None, limit: int = BATCH, recover: bool = True) -> int:
    """Send (or defer, drop, suppress) up to `limit` due messages; the number handled.

    `recover`: first put back what stopped workers left (`recover_stale`); a run that calls
    this in a loop asks for it once.
    """
    now = now or timezone.now()
    if recover:
        recover_stale(now)
    claimed = _claim(now, limit)
    if not claimed:
        return 0
    if len(claimed) == limit:
        share_the_work()
    by_store: dict[int, list[Message]] = defaultdict(list)
    for message in claimed:
        by_store[message.store_id].append(message)
    for messages in by_store.values():
        _dispatch_store(messages, now)
    return len(claimed)


def _claim(now: datetime, limit: int) -> list[Message]:
    """Take due messages for this worker: SENDING with claimed_at = now.

    FOR UPDATE SKIP LOCKED keeps PostgreSQL workers off each other's rows; on SQLite the
    transaction itself holds the only write lock, so an empty queue is seen without it.
    """
    due = Message.objects.filter(status__in=PENDING_STATUSES, send_after__lte=now)
    if not due.exists():
        return []
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("-priority", "send_after", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Message.objects.filter(pk__in=ids, status__in=PENDING_STATUSES).update(
            status=MessageStatus.SENDING, claimed_at=now, handed_over_at=None
        )
    messages = Message.objects.select_related("customer", "store").filter(
        pk__in=ids, status=MessageStatus.SENDING, claimed_at=now
    )
    return sorted(messages, key=lambda m: (-m.priority, m.send_after, m.pk))


def recover_stale(now: datetime) -> int:
    """Messages a stopped worker left SENDING: back to the queue if never handed to the
    channel, failed if they may have been (sending them again could send them twice)."""
    stale = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    if not stale.exists():  # the usual answer, without taking the write lock
        return 0
    reason = "the worker stopped while sending it; not retried so that it is never sent twice"
    with transaction.atomic():
        # Read again under the lock: a slow worker may have reported back meanwhile.
        found = list(stale.select_for_update(skip_locked=True).values_list("pk", "handed_over_at"))
        requeued = [pk for pk, handed_over_at in found if handed_over_at is None]
        unknown = [pk for pk, handed_over_at in found if handed_over_at is not None]
        Message.objects.filter(pk__in=requeued).update(status=MessageStatus.QUEUED, claimed_at=None)
        Message.objects.filter(pk__in=unknown).update(
            status=MessageStatus.FAILED, status_reason=reason, failed_at=now
        )
        MessageEvent.objects.bulk_create(
            [
                MessageEvent(
                    message_id=pk,
                    status=MessageStatus.QUEUED,
                    reason="recovered from a stopped worker",
                    at=now,
                )
                for pk in requeued
            ]
            + [
                MessageEvent(message_id=pk, status=MessageStatus.FAILED, reason=reason, at=now)
                for pk in unknown
            ]
        )
    return len(requeued) + len(unknown)


class _StoreDispatch:
    """One store's claimed messages: its settings and channel set-up read once."""

    def __init__(self, store, now: datetime):
        self.store = store
        self.now = now
        self.rules = messaging_settings(store)
        self.configs = {c.channel: c for c in ChannelConfig.objects.filter(store=store)}
        self.suppressed: set[tuple[str, str]] = set()
        self.senders: dict[str, object] = {}
        self.spends: dict[int, budget.Spend] = {}
        self.budgets: dict[int, datetime | None] = {}

    def load_suppressions(self, messages: list[Message]) -> None:
        addresses = {m.to_address for m in messages if m.to_address}
        self.suppressed = set(
            Suppression.objects.filter(store=self.store, address__in=addresses).values_list(
                "channel", "address"
            )
        )

    def sender(self, channel: str):
        if channel not in self.senders:
            self.senders[channel] = open_sender(channel, self.configs.get(channel), self.store)
        return self.senders[channel]

    def close(self) -> None:
        for sender in self.senders.values():
            try:
                sender.close()
            except Exception:
                logger.exception("closing the %s sender failed", sender)


def messaging_settings(store) -> MessagingSettings:
    return MessagingSettings.objects.filter(store=store).first() or MessagingSettings(store=store)


def _dispatch_store(messages: list[Message], now: datetime) -> None:
    run = _StoreDispatch(messages[0].store, now)
    run.load_suppressions(messages)
    run.budgets = budget.load([m.customer_id for m in messages if m.is_marketing])
    competitors = _waiting_marketing(messages, now)
    try:
        for start in range(0, len(messages), HANDOVER_CHUNK):
            chunk = messages[start : start + HANDOVER_CHUNK]
            outcomes = [(m, _gate(m, run, competitors)) for m in chunk]
            if any(outcome is None or outcome is NEEDS_BUDGET for _, outcome in outcomes):
                # The slots spent and the hand-over marked in one write transaction.
                with transaction.atomic():
                    outcomes = _spend_budgets(outcomes, run)
                    to_send = [m.pk for m, outcome in outcomes if outcome is None]
                    if to_send:
                        Message.objects.filter(pk__in=to_send).update(handed_over_at=now)
            results = [(m, outcome or _send(m, run)) for m, outcome in outcomes]
            _record(results, now)
    finally:
        run.close()


def _spend_budgets(outcomes: list[tuple], run: _StoreDispatch) -> list[tuple]:
    """Spend, in one statement, the slot of each customer whose marketing may go; the first
    message of a customer (the chunk is in priority order) gets it, the others wait."""
    needing = [m for m, outcome in outcomes if outcome is NEEDS_BUDGET]
    if not needing:
        return outcomes
    window = budget.cap_window(run.rules)
    first: dict[int, Message] = {}
    for message in needing:
        first.setdefault(message.customer_id, message)
    granted = budget.spend_many(list(first), run.now, window, run.budgets)
    decided = []
    for message, outcome in outcomes:
        if outcome is NEEDS_BUDGET:
            cid = message.customer_id
            if first[cid] is message and cid in granted:
                # Given back if the channel fails.
                run.spends[message.pk] = budget.Spend(True, previous=granted[cid])
                outcome = None
            else:
                outcome = Outcome(
                    MessageStatus.DEFERRED,
                    f"frequency cap: one marketing message per {run.rules.frequency_cap_hours} h",
                    send_after=(run.budgets.get(cid) or run.now) + window,
                )
        decided.append((message, outcome))
    return decided


def _waiting_marketing(messages: list[Message], now: datetime) -> dict[int, int]:
    """For each customer, the highest priority among their other due marketing messages
    that are not in this batch (in the queue, or claimed by another worker)."""
    customer_ids = {m.customer_id for m in messages if m.is_marketing}
    if not customer_ids:
        return {}
    batch = [m.pk for m in messages]
    best: dict[int, int] = {}
    rows = (
        Message.objects.filter(
            customer_id__in=customer_ids,
            purpose=Purpose.MARKETING,
            status__in=(*PENDING_STATUSES, MessageStatus.SENDING),
            send_after__lte=now,
        )
        .exclude(pk__in=batch)
        .values_list("customer_id", "priority")
    )
    for customer_id, priority in rows:
        best[customer_id] = max(priority, best.get(customer_id, priority))
    return best


def _gate(message: Message, run: _StoreDispatch, competitors: dict[int, int]) -> Outcome | None:
    """Why this message must not be sent now (an outcome), or None to send it."""
    now = run.now
    if message.deadline is not None and message.deadline < now:
        return Outcome(
            MessageStatus.DROPPED,
            f"past its relevance deadline ({message.deadline:%Y-%m-%d %H:%M} UTC)",
        )
    if not message.to_address:
        return Outcome(
            MessageStatus.FAILED, f"the customer has no {_address_kind(message.channel)}"
        )
    if (message.channel, message.to_address) in run.suppressed:
        return Outcome(MessageStatus.SUPPRESSED, "the address is on the suppression list")
    refusal = _consent_refusal(message, run)
    if refusal:
        return Outcome(MessageStatus.SUPPRESSED, refusal)
    config = run.configs.get(message.channel)
    if config is not None and not config.enabled:
        return Outcome(
            MessageStatus.FAILED, f"the store switched its {message.channel} channel off"
        )
    # E-mail works without a set-up of its own, from the installation's mail settings.
    if config is None and message.channel != Channel.EMAIL:
        return Outcome(MessageStatus.FAILED, f"the store has no {message.channel} channel set up")
    if not message.is_marketing:
        return None
    if budget.quiet_hours_apply(message.channel, run.rules):
        zone = budget.customer_zone(message.customer, run.store)
        wake = budget.quiet_until(now, zone, run.rules)
        if wake is not None:
            return Outcome(
                MessageStatus.DEFERRED,
                f"quiet hours in {zone.key} until {wake.astimezone(zone):%H:%M}",
                send_after=wake,
            )
    if competitors.get(message.customer_id, message.priority) > message.priority:
        return Outcome(
            MessageStatus.DEFERRED,
            "a higher-priority message to this customer goes first",
            send_after=now + COMPETITOR_WAIT,
        )
    return NEEDS_BUDGET  # spent for the whole chunk at once: _spend_budgets


def _address_kind(channel: str) -> str:
    return {
        Channel.EMAIL: "e-mail address",
        Channel.SMS: "phone number",
        Channel.WHATSAPP: "phone number",
    }.get(channel, "address")


def _consent_channel(store, channel: str) -> str:
    if channel == Channel.WEBHOOK:
        return messaging_settings(store).webhook_consent_channel
    return channel


def _consent_refusal(message: Message, run: _StoreDispatch) -> str:
    channel = (
        run.rules.webhook_consent_channel if message.channel == Channel.WEBHOOK else message.channel
    )
    state = getattr(message.customer, f"{channel}_consent", Consent.UNKNOWN)
    if message.channel in EXPLICIT_OPT_IN and state != Consent.SUBSCRIBED:
        return f"no {channel} opt-in (consent: {state})"
    if message.is_marketing and state != Consent.SUBSCRIBED:
        return f"no marketing consent on {channel} (consent: {state})"
    if state == Consent.UNSUBSCRIBED and channel == Channel.PUSH:
        return "push notifications switched off by the customer"
    return ""


def _send(message: Message, run: _StoreDispatch) -> Outcome:
    try:
        sender = run.sender(message.channel)
        provider_id = sender.send(_outgoing(message, run))
    except ChannelError as error:
        _give_back(message, run)
        return _failure(message, error, run)
    except Exception as error:  # a bug in a channel must not stop the batch
        logger.exception("sending message %s failed", message.pk)
        _give_back(message, run)
        return _failure(message, ChannelError(f"unexpected error: {error}", transient=True), run)
    return Outcome(
        MessageStatus.SENT, provider_message_id=provider_id or "", attempts=message.attempts + 1
    )


def _give_back(message: Message, run: _StoreDispatch) -> None:
    spend = run.spends.pop(message.pk, None)
    if spend is not None:
        budget.give_back(message.customer_id, spend, run.now)
        run.budgets[message.customer_id] = spend.previous


def _failure(message: Message, error: ChannelError, run: _StoreDispatch) -> Outcome:
    attempts = message.attempts + 1
    if error.transient and attempts <= len(RETRY_DELAYS):
        delay = RETRY_DELAYS[attempts - 1]
        return Outcome(
            MessageStatus.QUEUED,
            f"retry {attempts} of {len(RETRY_DELAYS)} in {_duration(delay)}: {error.reason}",
            send_after=run.now + delay,
            attempts=attempts,
        )
    if error.dead_address:
        do_suppress(
            run.store,
            channel=message.channel,
            address=message.to_address,
            reason=SuppressionReason.INVALID,
            detail=error.reason,
            message=message,
        )
    reason = (
        error.reason
        if not error.transient
        else f"gave up after {attempts} attempts: {error.reason}"
    )
    return Outcome(MessageStatus.FAILED, reason, attempts=attempts)


def _duration(delay: timedelta) -> str:
    minutes = int(delay.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes >= 60 else f"{minutes} min"


def _outgoing(message: Message, run: _StoreDispatch) -> Outgoing:
    customer = message.customer
    return Outgoing(
        message_id=message.pk,
        token=message.token,
        store_id=message.store_id,
        customer_id=customer.pk,
        channel=message.channel,
        purpose=message.purpose,
        to_address=message.to_address,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        language=message.language,
        unsubscribe_url=_unsubscribe_url(message, run),
        extra={
            "external_id": customer.external_id,
            "email": customer.email,
            "phone": customer.phone,
            "customer_id": str(customer.pk),
            "first_name": customer.first_name,
            "last_name": customer.last_name,
        },
    )


def _unsubscribe_url(message: Message, run: _StoreDispatch) -> str:
    if not message.is_marketing:
        return ""
    if message.unsubscribe_url:  # signed when the message was queued
        return message.unsubscribe_url
    from regulars.messaging import links

    # Queued before messages kept their URL.
    return links.unsubscribe_url(message.customer, _consent_channel(run.store, message.channel))


def _record(results: list[tuple[Message, Outcome]], now: datetime) -> None:
    """Write the outcomes of one chunk in one transaction."""
    events = []
    for message, outcome in results:
        message.status = outcome.status
        message.status_reason = outcome.reason[:500]
        message.claimed_at = None
        message.handed_over_at = None
        if outcome.send_after is not None:
            message.send_after = outcome.send_after
        if outcome.attempts is not None:
            message.attempts = outcome.attempts
        if outcome.status == MessageStatus.SENT:
            message.sent_at = now
            message.provider_message_id = outcome.provider_message_id[:200]
        elif outcome.status in (MessageStatus.FAILED, MessageStatus.DROPPED):
            message.failed_at = now
        events.append(
            MessageEvent(
                message=message, status=outcome.status, reason=message.status_reason, at=now
            )
        )
    with transaction.atomic():
        rows.update_outcomes([message for message, _ in results])
        rows.insert_new(events)
        for wake in sorted({o.send_after for _, o in results if o.send_after is not None}):
            wake_dispatcher(wake)


def _log(message: Message, status: str, reason: str, at: datetime) -> None:
    MessageEvent.objects.create(message=message, status=status, reason=reason, at=at)


# --- provider reports and suppressions ---------------------------------------------------------


# Where a provider's report may move a message: a later report never moves it back.
_REPORTED_FROM = {
    MessageStatus.DELIVERED: (MessageStatus.SENT,),
    MessageStatus.BOUNCED: (MessageStatus.SENT, MessageStatus.DELIVERED),
    MessageStatus.FAILED: (MessageStatus.SENT,),
}


def do_record_report(
    message: Message, status: str, *, reason: str = "", at: datetime | None = None
) -> bool:
    """A provider's delivery report (delivered, bounced, failed) for a sent message; False when
    it does not move the message on (a duplicate, or a late report of an earlier state)."""
    at = at or timezone.now()
    allowed = _REPORTED_FROM.get(status)
    if allowed is None:
        raise ValueError(f"{status!r} is not a status a provider reports")
    values = {"status": status, "status_reason": reason[:500]}
    if status == MessageStatus.DELIVERED:
        values["delivered_at"] = at
    else:
        values["failed_at"] = at
    with transaction.atomic():
        moved = Message.objects.filter(pk=message.pk, status__in=allowed).update(**values)
        if moved:
            _log(message, status, reason, at)
    return bool(moved)


def do_suppress(
    store,
    *,
    channel: str,
    address: str,
    reason: str,
    detail: str = "",
    message: Message | None = None,
    user=None,
) -> Suppression:
    """Put an address on the store's suppression list for a channel (idempotent)."""
    _check_choice(channel, Channel, "channel")
    _check_choice(reason, SuppressionReason, "reason")
    address = address.strip().lower() if channel == Channel.EMAIL else address.strip()
    if not address:
        raise RegularsError("An address is needed.", field="address")
    suppression, _created = Suppression.objects.get_or_create(
        store=store,
        channel=channel,
        address=address,
        defaults={"reason": reason, "detail": detail[:500], "message": message, "created_by": user},
    )
    return suppression


def do_unsuppress(store, suppression_id: int) -> bool:
    deleted, _ = Suppression.objects.filter(store=store, pk=suppression_id).delete()
    return bool(deleted)
