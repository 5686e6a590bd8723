"""What an e-mail provider reports about a message it sent: delivered, bounced, complained, ...

The provider's tracking webhook (django-anymail, see messaging/provider_reports.py) becomes a
`ProviderReport`; `do_apply_report` finds the message it is about and acts on it:

- delivered: the message is delivered;
- bounced (hard), or rejected because of the address: the message is bounced and the address
  suppressed in the message's store, unless the receiving server only blocked this message
  (as spam, by policy); a soft bounce (a 4.x.x SMTP reply, or one the provider calls
  temporary) changes nothing, as the provider retries it;
- rejected for another reason (the provider's policy, the sender's set-up) or failed: the
  message failed, the address stays usable;
- complained: the address is suppressed and the customer unsubscribed from marketing e-mail;
- unsubscribed at the provider: the customer is unsubscribed from marketing e-mail.

Everything else (queued, sent, deferred, opened, clicked, ...) is only the provider's business.
Each step is idempotent, so the same webhook twice changes nothing the second time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from regulars.commerce.models import Consent
from regulars.commerce.services import do_set_consent
from regulars.messaging.models import Channel, Message, MessageStatus, SuppressionReason
from regulars.messaging.services.sending import do_record_report, do_suppress

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderReport:
    """One provider event about one sent message, in anymail's normalised vocabulary."""

    # anymail's EventType: delivered, bounced, rejected, failed, complained, unsubscribed, ...
    kind: str
    # The provider's id of the message: what the e-mail channel stored as provider_message_id.
    message_id: str
    recipient: str = ""
    # anymail's RejectReason: invalid, bounced, timed_out, blocked, spam, unsubscribed, other.
    reject_reason: str = ""
    description: str = ""
    mta_response: str = ""
    at: datetime | None = None
    provider: str = ""
    # The provider itself says the bounce is temporary (see provider_reports.py).
    soft: bool = False


def do_apply_report(report: ProviderReport) -> bool:
    """Act on a provider's report; False when it is not one we act on or names no message of ours."""
    handler = _HANDLERS.get(report.kind)
    if handler is None:
        logger.debug(
            "%s %s report about %s: nothing to do", report.provider, report.kind, report.message_id
        )
        return False
    message = find_reported_message(report)
    if message is None:
        logger.info(
            "%s %s report about message %r: no such e-mail here, ignored",
            report.provider,
            report.kind,
            report.message_id,
        )
        return False
    with transaction.atomic():
        handler(message, report)
    return True


def find_reported_message(report: ProviderReport) -> Message | None:
    """The e-mail a report is about, in whichever store sent it.

    Not scoped by store: the provider account belongs to the installation and its message ids
    are unique in it. Every write that follows is scoped by the message's store; a report whose
    recipient is not the message's address, or an id two messages share, touches nothing.
    """
    ids = _id_forms(report.message_id)
    if not ids:
        return None
    found = list(
        Message.objects.select_related("store", "customer").filter(
            channel=Channel.EMAIL, provider_message_id__in=ids
        )[:2]
    )
    recipient = (report.recipient or "").strip().lower()
    if recipient:
        found = [m for m in found if m.to_address == recipient]
    if len(found) != 1:
        if len(found) > 1:
            logger.warning("%s report: message id %r is not unique", report.provider, ids[0])
        return None
    return found[0]


def _id_forms(message_id: str) -> list[str]:
    """SMTP Message-IDs are stored in angle brackets; some providers report them without."""
    bare = (message_id or "").strip().strip("<>").strip()
    return [bare, f"<{bare}>"] if bare else []


# --- the handlers -------------------------------------------------------------------------------

# Reasons a provider gives for refusing to send that are about the address, not the sender.
_ADDRESS_REJECTIONS = {"invalid", "bounced", "timed_out", "spam", "unsubscribed"}
# A bounce because the receiving server blocked this message (its content, the sender's
# reputation): the address itself works, so it is not suppressed.
_RECEIVER_BLOCKS = {"blocked", "spam"}


def _delivered(message: Message, report: ProviderReport) -> None:
    do_record_report(message, MessageStatus.DELIVERED, at=report.at)


def _bounced(message: Message, report: ProviderReport) -> None:
    if is_soft_bounce(report):
        logger.info(
            "%s soft bounce of message %s (%s): the provider retries it",
            report.provider,
            message.pk,
            detail(report),
        )
        return
    reason = f"hard bounce reported by {_name(report)}: {detail(report)}"
    do_record_report(message, MessageStatus.BOUNCED, reason=reason, at=report.at)
    if report.reject_reason not in _RECEIVER_BLOCKS:
        _suppress(message, report, _suppression_reason(report))


def _rejected(message: Message, report: ProviderReport) -> None:
    if report.reject_reason not in _ADDRESS_REJECTIONS:
        reason = f"{_name(report)} refused to send it: {detail(report)}"
        do_record_report(message, MessageStatus.FAILED, reason=reason, at=report.at)
        return
    reason = f"{_name(report)} refused the address ({report.reject_reason}): {detail(report)}"
    do_record_report(message, MessageStatus.BOUNCED, reason=reason, at=report.at)
    if report.reject_reason == "unsubscribed":
        _unsubscribe(message, "esp_unsubscribe", report)
    elif report.reject_reason == "spam":  # the customer reported an earlier message as spam
        _suppress(message, report, SuppressionReason.COMPLAINED)
        _unsubscribe(message, "spam_complaint", report)
    else:
        _suppress(message, report, _suppression_reason(report))


def _failed(message: Message, report: ProviderReport) -> None:
    reason = f"{_name(report)} could not send it: {detail(report)}"
    do_record_report(message, MessageStatus.FAILED, reason=reason, at=report.at)


def _complained(message: Message, report: ProviderReport) -> None:
    _suppress(message, report, SuppressionReason.COMPLAINED)
    _unsubscribe(message, "spam_complaint", report)


def _unsubscribed(message: Message, report: ProviderReport) -> None:
    _unsubscribe(message, "esp_unsubscribe", report)


_HANDLERS: dict[str, Callable[[Message, ProviderReport], None]] = {
    "delivered": _delivered,
    "bounced": _bounced,
    "rejected": _rejected,
    "failed": _failed,
    "complained": _complained,
    "unsubscribed": _unsubscribed,
}


def _suppress(message: Message, report: ProviderReport, reason: str) -> None:
    if message.to_address:
        do_suppress(
            message.store,
            channel=Channel.EMAIL,
            address=message.to_address,
            reason=reason,
            detail=f"{_name(report)}: {detail(report)}",
            message=message,
        )


def _unsubscribe(message: Message, source: str, report: ProviderReport) -> None:
    do_set_consent(
        message.customer,
        channel="email",
        state=Consent.UNSUBSCRIBED,
        source=source,
        at=report.at,
    )


def _suppression_reason(report: ProviderReport) -> str:
    if report.reject_reason == "invalid":
        return SuppressionReason.INVALID
    return SuppressionReason.BOUNCED


def _name(report: ProviderReport) -> str:
    return report.provider or "the e-mail provider"


def detail(report: ProviderReport) -> str:
    """The receiving server's words when the provider passes them on, else the provider's."""
    return (
        (report.mta_response or "").strip()
        or (report.description or "").strip()
        or report.reject_reason
        or "no detail given"
    )


# --- soft or hard -------------------------------------------------------------------------------

# An SMTP reply code at the start ("550 ...", "smtp;452 ..."), else an enhanced status code
# anywhere ("5.1.1"): its first digit is the class, 4 temporary and 5 permanent (RFC 5321,
# RFC 3463).
_REPLY_CODE = re.compile(r"^\s*(?:smtp\s*;\s*)?([245])\d\d\b", re.IGNORECASE)
_ENHANCED_CODE = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")


def smtp_class(text: str) -> int | None:
    for pattern in (_REPLY_CODE, _ENHANCED_CODE):
        match = pattern.search(text or "")
        if match:
            return int(match.group(1))
    return None


def is_soft_bounce(report: ProviderReport) -> bool:
    """A temporary failure the provider retries: never a reason to suppress the address."""
    if report.soft:
        return True
    for text in (report.mta_response, report.description):
        code_class = smtp_class(text)
        if code_class is not None:
            return code_class == 4
    return False
