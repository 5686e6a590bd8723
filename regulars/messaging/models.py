"""Messaging: per-store channel set-up, templates, the send log, suppressions, contact budget.

Every outgoing message is a `Message` row first (status queued), so nothing is sent that is
not logged and nothing logged is lost when a worker stops. Consent itself lives with the
customer (commerce.Customer.*_consent and commerce.ConsentChange).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from regulars.commerce.models import Customer
from regulars.core.models import Store


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    PUSH = "push", "Push and chat apps"
    WEBHOOK = "webhook", "Webhook"


# The channels sent through an Apprise URL the store configures.
APPRISE_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.PUSH)


class Purpose(models.TextChoices):
    # Order confirmation, shipping updates, replies: no marketing consent needed.
    TRANSACTIONAL = "transactional", "Transactional"
    MARKETING = "marketing", "Marketing"


class MessagingSettings(models.Model):
    """A store's contact budget and consent options (one row per store, defaults until saved)."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="messaging_settings")
    # At most one marketing message per this many hours, across every channel.
    frequency_cap_hours = models.PositiveIntegerField(default=16)
    # Marketing SMS, WhatsApp and push wait outside [quiet_end, quiet_start) in the
    # customer's time zone (the store's when the customer's is unknown).
    quiet_start = models.TimeField(default="21:00")
    quiet_end = models.TimeField(default="08:00")
    quiet_hours_for_email = models.BooleanField(default=False)
    # A new e-mail subscriber must confirm through a link before marketing reaches them.
    double_opt_in = models.BooleanField(default=False)
    # The consent that covers marketing sent through the store's own webhook channel.
    webhook_consent_channel = models.CharField(max_length=10, default="email")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"messaging settings of {self.store}"


class ChannelConfig(models.Model):
    """How one store sends on one channel.

    `secret` holds what must not be shown back (the Apprise URL with its tokens, the webhook
    channel's signing key), encrypted with a key derived from SECRET_KEY (see secrets.py).
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="channel_configs")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)
    # E-mail: the From address and name, Reply-To. Webhook: the receiving URL.
    sender = models.CharField(max_length=254, blank=True, default="")
    sender_name = models.CharField(max_length=100, blank=True, default="")
    reply_to = models.CharField(max_length=254, blank=True, default="")
    url = models.URLField(max_length=1000, blank=True, default="")
    secret_encrypted = models.TextField(blank=True, default="")
    # The last characters of the secret, to recognise it without revealing it.
    secret_hint = models.CharField(max_length=12, blank=True, default="")
    # SMS only: the key inbound messages (STOP/START) are signed with, encrypted like `secret`
    # (the Twilio auth token, or the key of X-Regulars-Signature); see messaging/inbound.py.
    inbound_secret_encrypted = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "channel"], name="one_config_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.channel}"


class Template(models.Model):
    """A merchant-editable message in python-liquid, per key, channel and language."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="message_templates")
    # What the message is for, e.g. "order_confirmation"; journeys ask for templates by key.
    key = models.SlugField(max_length=60)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=12)
    purpose = models.CharField(max_length=14, choices=Purpose.choices, default=Purpose.MARKETING)
    name = models.CharField(max_length=200, blank=True, default="")
    subject = models.CharField(max_length=500, blank=True, default="")
    body_html = models.TextField(blank=True, default="")
    body_text = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "key", "channel", "language"], name="one_template_per_language"
            )
        ]
        ordering = ["key", "channel", "language"]

    def __str__(self) -> str:
        return f"{self.key} ({self.channel}, {self.language})"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    DEFERRED = "deferred", "Deferred"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    BOUNCED = "bounced", "Bounced"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"
    DROPPED = "dropped", "Dropped"


# A message in one of these may still go out; the others are final (DELIVERED and BOUNCED
# arrive later from the provider and only move a SENT message on).
PENDING_STATUSES = (MessageStatus.QUEUED, MessageStatus.DEFERRED)


def _message_token() -> str:
    return secrets.token_urlsafe(16)


class Message(models.Model):
    """One message to one customer on one channel, and what happened to it."""

    # Unguessable, known before the row is written: links in the rendered body carry it
    # (signed), and the e-mail's Message-ID is built from it.
    token = models.CharField(max_length=32, unique=True, default=_message_token, editable=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="messages")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=14, choices=Purpose.choices)
    template = models.ForeignKey(
        Template, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    template_key = models.CharField(max_length=60, blank=True, default="")
    language = models.CharField(max_length=12, blank=True, default="")
    # Who asked for it: "journey:<id>", "test", "api", ...
    source = models.CharField(max_length=60, blank=True, default="")
    # Sent first when several compete for the same moment and contact budget.
    priority = models.SmallIntegerField(default=0)
    # The sender's key: the same key twice in one store queues one message, never two.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    to_address = models.CharField(max_length=320, blank=True, default="")
    subject = models.CharField(max_length=500, blank=True, default="")
    body_text = models.TextField(blank=True, default="")
    body_html = models.TextField(blank=True, default="")
    # Marketing only: the signed one-click unsubscribe URL the bodies were rendered with, kept
    # for the List-Unsubscribe header so that the worker does not sign it again.
    unsubscribe_url = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    status_reason = models.CharField(max_length=500, blank=True, default="")
    # Not sent before this moment (queued for later, deferred by the budget, a retry's backoff).
    send_after = models.DateTimeField()
    # Past this moment the message is no longer relevant and is dropped, not sent late.
    deadline = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker took it for sending, and when it started handing it to the channel. A
    # message left SENDING by a stopped worker goes back to the queue if it was never handed
    # over, and fails (never twice sent) if it may have been: see sending.recover_stale.
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    first_clicked_at = models.DateTimeField(null=True, blank=True)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_message_per_idempotency_key",
            )
        ]
        indexes = [
            # The dispatcher's look-up of what is due.
            models.Index(fields=["status", "send_after"], name="message_due"),
            models.Index(fields=["store", "-created_at"], name="message_log"),
            models.Index(fields=["customer", "-created_at"], name="message_customer"),
            models.Index(fields=["provider_message_id"], name="message_provider_id"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.channel} {self.template_key or 'message'} to {self.to_address} ({self.status})"
        )

    @property
    def is_marketing(self) -> bool:
        return self.purpose == Purpose.MARKETING


class MessageEvent(models.Model):
    """A status change of a message, with its reason and time: the message's history."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=MessageStatus.choices)
    reason = models.CharField(max_length=500, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"


class Click(models.Model):
    """A customer followed a tracked link in a message."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="click_rows")
    url = models.URLField(max_length=2000)
    at = models.DateTimeField()


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", "Hard bounce"
    COMPLAINED = "complained", "Spam complaint"
    INVALID = "invalid", "Address does not exist"
    MANUAL = "manual", "Added by staff"


class Suppression(models.Model):
    """An address no message may go to on a channel (dead, or reported us as spam)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="suppressions")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Lower-case e-mail, E.164 phone, or the push/webhook address.
    address = models.CharField(max_length=320)
    reason = models.CharField(max_length=12, choices=SuppressionReason.choices)
    detail = models.CharField(max_length=500, blank=True, default="")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "channel", "address"], name="one_suppression_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address} ({self.reason})"


class ContactBudget(models.Model):
    """When a customer last received marketing, on any channel: the frequency cap's memory.

    Claimed by one conditional UPDATE, so two workers can never both spend the same slot.
    """

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="+")
    last_marketing_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"budget of customer {self.customer_id}"
