"""What every channel module provides, and how a channel reports a failure.

A sender is opened once for a batch of messages (an SMTP connection is reused across the
batch), sends each `Outgoing`, and is closed. A failure is a `ChannelError`: transient ones
are retried with backoff, permanent ones fail the message, and `dead_address` ones also
suppress the address so nothing is sent there again.
"""

from dataclasses import dataclass, field
from typing import Protocol


class ChannelError(Exception):
    def __init__(self, reason: str, *, transient: bool, dead_address: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.dead_address = dead_address


class ChannelNotConfigured(ChannelError):
    """The store has not set this channel up (or switched it off): permanent for the message."""

    def __init__(self, channel: str):
        super().__init__(f"the store has no {channel} channel set up", transient=False)


@dataclass
class Outgoing:
    """A rendered message, ready for a channel. Built by the dispatcher from a `Message` row."""

    message_id: int
    token: str
    store_id: int
    customer_id: int
    channel: str
    purpose: str
    to_address: str
    subject: str
    body_text: str
    body_html: str
    language: str
    # Marketing only: the signed one-click unsubscribe URL (RFC 8058).
    unsubscribe_url: str = ""
    # Extra fields a channel may need (the customer's external id for a push address, ...).
    extra: dict = field(default_factory=dict)


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> str:
        """Deliver one message; return the provider's message id ("" when there is none).
        Raise ChannelError on failure."""

    def close(self) -> None:
        """Release what the sender holds (the SMTP connection)."""
