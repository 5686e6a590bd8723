"""The commerce model: customers, products, orders, fulfillments, carts, storefront events,
the kept webhook deliveries and import runs. Every row carries `store`.

Rows that come from a store platform are keyed by (store, external_id) and remember the
platform's `source_updated_at`, so an older update never overwrites a newer one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from regulars.core.models import Platform, Store


class Consent(models.TextChoices):
    UNKNOWN = "unknown", "Not asked"
    SUBSCRIBED = "subscribed", "Subscribed"
    PENDING = "pending", "Waiting for confirmation"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class Source(models.TextChoices):
    API = "api", "JSON API"
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    CSV = "csv", "CSV import"
    DEMO = "demo", "Demo data"
    DASHBOARD = "dashboard", "Dashboard"


def _external_id_unique(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["store", "external_id"],
        condition=~Q(external_id=""),
        name=f"{model}_unique_external_id",
    )


class Customer(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="customers")
    external_id = models.CharField(max_length=64, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=16, blank=True, default="", help_text="E.164")
    first_name = models.CharField(max_length=100, blank=True, default="")
    last_name = models.CharField(max_length=100, blank=True, default="")
    language = models.CharField(max_length=12, blank=True, default="")
    timezone = models.CharField(max_length=64, blank=True, default="")
    birthday = models.DateField(null=True, blank=True)
    first_seen_at = models.DateTimeField()
    email_consent = models.CharField(
        max_length=12, choices=Consent.choices, default=Consent.UNKNOWN
    )
    email_consent_at = models.DateTimeField(null=True, blank=True)
    email_consent_source = models.CharField(max_length=40, blank=True, default="")
    sms_consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.UNKNOWN)
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_source = models.CharField(max_length=40, blank=True, default="")
    whatsapp_consent = models.CharField(
        max_length=12, choices=Consent.choices, default=Consent.UNKNOWN
    )
    whatsapp_consent_at = models.DateTimeField(null=True, blank=True)
    whatsapp_consent_source = models.CharField(max_length=40, blank=True, default="")
    push_consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.UNKNOWN)
    push_consent_at = models.DateTimeField(null=True, blank=True)
    push_consent_source = models.CharField(max_length=40, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    # Kept up to date by commerce.services.stats from the customer's paid orders.
    orders_count = models.IntegerField(default=0)
    total_spent = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    first_order_at = models.DateTimeField(null=True, blank=True)
    last_order_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.API)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [_external_id_unique("customer")]
        indexes = [
            models.Index(fields=["store", "email"]),
            models.Index(fields=["store", "-last_order_at"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or self.phone or f"Customer {self.external_id or self.pk}"


# The channels a customer gives (or withdraws) marketing consent for, one field set each above.
CONSENT_CHANNELS = ("email", "sms", "whatsapp", "push")


class ConsentChange(models.Model):
    """One change of a customer's marketing consent on one channel: the audit trail.

    Written by `do_set_consent` and by upserts that carry consent; never updated or deleted.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consent_changes")
    channel = models.CharField(max_length=10)
    state = models.CharField(max_length=12, choices=Consent.choices)
    previous = models.CharField(max_length=12, choices=Consent.choices)
    source = models.CharField(max_length=40)
    # What the customer agreed to, word for word, when the change is a subscription.
    text = models.TextField(blank=True, default="")
    # The staff user who made the change from the dashboard, if one did.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["customer", "-at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.previous} -> {self.state} ({self.source})"


class Product(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    external_id = models.CharField(max_length=64, blank=True, default="")
    sku = models.CharField(max_length=64, blank=True, default="")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True, default="")
    image_url = models.URLField(max_length=1000, blank=True, default="")
    price = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    category = models.CharField(max_length=200, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    published = models.BooleanField(default=True)
    in_stock = models.BooleanField(default=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.API)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [_external_id_unique("product")]

    def __str__(self) -> str:
        return self.title


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


class Order(models.Model):
    # No index of their own on store and customer: the unique (store, external_id) and the
    # (customer, placed_at) index below lead with them and serve the same look-ups; each
    # extra index would slow every insert (a bulk import most of all).
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="orders", db_index=False
    )
    external_id = models.CharField(max_length=64)
    name = models.CharField(max_length=64, blank=True, default="", help_text="e.g. #1001")
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        db_index=False,
    )
    email = models.EmailField(max_length=254, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    discount_total = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    shipping_total = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    tax_total = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    total = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    coupon_codes = models.JSONField(default=list, blank=True)
    placed_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.API)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "external_id"], name="order_unique_external_id"
            )
        ]
        indexes = [
            # Ascending: read backwards it serves "newest first" as well (on SQLite, with the
            # id for ties, as the lists sort), and new orders, mostly the newest, are added at
            # its end instead of its start (which leaves half-empty pages behind).
            models.Index(fields=["store", "placed_at"]),
            models.Index(fields=["customer", "placed_at"]),
        ]

    def __str__(self) -> str:
        return self.name or f"Order {self.external_id}"


class OrderLine(models.Model):
    # Lines are read by their order; only deleting a whole store filters them by store alone,
    # and a scan is fine there. Not indexed, so that each line written costs one index less.
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    external_id = models.CharField(max_length=64, blank=True, default="")
    sku = models.CharField(max_length=64, blank=True, default="")
    title = models.CharField(max_length=300)
    quantity = models.IntegerField(default=1)
    unit_price = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    total = models.DecimalField(max_digits=14, decimal_places=3, default=0)

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class FulfillmentStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", "In transit"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Fulfillment(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="fulfillments")
    external_id = models.CharField(max_length=64)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    carrier = models.CharField(max_length=100, blank=True, default="")
    tracking_number = models.CharField(max_length=100, blank=True, default="")
    tracking_url = models.URLField(max_length=1000, blank=True, default="")
    status = models.CharField(
        max_length=20, choices=FulfillmentStatus.choices, default=FulfillmentStatus.IN_TRANSIT
    )
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.API)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "external_id"], name="fulfillment_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"Shipment {self.tracking_number or self.external_id}"


class Cart(models.Model):
    """A shopper's cart or checkout; abandoned while `recovered_order` is empty."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="carts")
    token = models.CharField(max_length=128)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="carts"
    )
    email = models.EmailField(max_length=254, blank=True, default="")
    # [{"product_external_id", "sku", "title", "quantity", "unit_price"}], as the store sent them.
    lines = models.JSONField(default=list, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    currency = models.CharField(max_length=3)
    checkout_url = models.URLField(max_length=2000, blank=True, default="")
    updated_at = models.DateTimeField(help_text="When the shopper last changed the cart")
    recovered_order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="recovered_carts"
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.API)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "token"], name="cart_unique_token")]
        indexes = [models.Index(fields=["store", "-updated_at"])]

    def __str__(self) -> str:
        return f"Cart {self.token[:12]}"


class Event(models.Model):
    """Something a customer did on the storefront: viewed a product, searched, opened a page."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(max_length=64, blank=True, default="")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    properties = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [_external_id_unique("event")]
        indexes = [models.Index(fields=["customer", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d %H:%M}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored (topic not used)"
    FAILED = "failed", "Failed"
    REJECTED = "rejected", "Rejected (bad signature)"


class WebhookDelivery(models.Model):
    """Every webhook request a store platform sent, kept with its headers, body and result.

    Deliveries with a valid signature are unique per (store, platform, delivery_id): the same
    delivery sent twice is processed once. Rejected ones never take a delivery id, so a forged
    request cannot block the real delivery that carries the same id.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_deliveries")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    delivery_id = models.CharField(max_length=200, blank=True, default="")
    topic = models.CharField(max_length=100, blank=True, default="")
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True, default="")
    signature_valid = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    error = models.TextField(blank=True, default="")
    attempts = models.IntegerField(default=0)
    duplicates = models.IntegerField(default=0, help_text="Later copies of this delivery")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "platform", "delivery_id"],
                condition=Q(signature_valid=True),
                name="delivery_unique_per_sender_id",
            )
        ]
        indexes = [
            models.Index(fields=["store", "-received_at"]),
            # The processing run's queue, in arrival order: only the few rows still queued.
            models.Index(
                fields=["id"], condition=Q(status=DeliveryStatus.QUEUED), name="delivery_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.topic} {self.delivery_id}"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    DONE_WITH_ERRORS = "done_with_errors", "Done, some rows rejected"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One CSV import: its progress (shown live in the dashboard) and its rejected rows."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="import_runs")
    kind = models.CharField(max_length=20)  # e.g. "orders"
    file_name = models.CharField(max_length=500)
    file_format = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    rows_done = models.IntegerField(default=0)
    created = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    # The first rejected rows: [{"line": 12, "field": "total", "message": "..."}].
    errors = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"
