"""The customer's messages on their timeline: what was sent (or held back) and why."""

from regulars.commerce.timeline import TimelineEntry, register_timeline_provider
from regulars.messaging.models import Channel, Message, MessageStatus

_TONE = {
    MessageStatus.SENT: "info",
    MessageStatus.DELIVERED: "good",
    MessageStatus.BOUNCED: "bad",
    MessageStatus.FAILED: "bad",
    MessageStatus.SUPPRESSED: "warn",
    MessageStatus.DROPPED: "warn",
}


@register_timeline_provider
def message_entries(customer, *, before, limit: int) -> list[TimelineEntry]:
    """One entry per message, at the time it was queued, in one query."""
    messages = Message.objects.filter(store_id=customer.store_id, customer=customer)
    if before is not None:
        messages = messages.filter(created_at__lt=before)
    rows = messages.order_by("-created_at").values_list(
        "pk", "created_at", "channel", "purpose", "subject", "body_text", "status", "status_reason"
    )[:limit]
    entries = []
    for pk, at, channel, purpose, subject, text, status, reason in rows:
        label = Channel(channel).label
        what = subject or text[:80]
        detail = MessageStatus(status).label + (f": {reason}" if reason else "")
        entries.append(
            TimelineEntry(
                at=at,
                kind=f"message.{status}",
                title=f"{label} ({purpose}): {what}",
                detail=detail,
                icon="message",
                tone=_TONE.get(status, "neutral"),
                ref_kind="message",
                ref_id=pk,
            )
        )
    return entries
