"""Django admin for superusers: the commerce rows, read mostly; changes go through ingestion."""

from django.contrib import admin

from regulars.commerce.models import (
    Cart,
    Customer,
    Event,
    Fulfillment,
    ImportRun,
    Order,
    OrderLine,
    Product,
    WebhookDelivery,
)


class StoreScopedAdmin(admin.ModelAdmin):
    list_select_related = ["store"]
    list_filter = ["store"]
    raw_id_fields = ["store"]


@admin.register(Customer)
class CustomerAdmin(StoreScopedAdmin):
    list_display = ["__str__", "email", "store", "orders_count", "total_spent", "last_order_at"]
    list_filter = ["store", "email_consent", "sms_consent", "language"]
    search_fields = ["email", "first_name", "last_name", "phone", "external_id"]
    readonly_fields = ["orders_count", "total_spent", "first_order_at", "last_order_at"]


@admin.register(Product)
class ProductAdmin(StoreScopedAdmin):
    list_display = ["title", "sku", "store", "price", "currency", "published", "in_stock"]
    search_fields = ["title", "sku", "external_id"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["product"]
    fields = ["title", "sku", "quantity", "unit_price", "total", "product"]


class FulfillmentInline(admin.TabularInline):
    model = Fulfillment
    extra = 0
    fields = ["carrier", "tracking_number", "status", "shipped_at", "delivered_at"]


@admin.register(Order)
class OrderAdmin(StoreScopedAdmin):
    list_display = ["__str__", "store", "status", "total", "currency", "placed_at"]
    list_filter = ["store", "status"]
    search_fields = ["name", "external_id", "email"]
    raw_id_fields = ["store", "customer"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, FulfillmentInline]


@admin.register(Cart)
class CartAdmin(StoreScopedAdmin):
    list_display = [
        "__str__",
        "store",
        "email",
        "value",
        "currency",
        "updated_at",
        "recovered_order",
    ]
    search_fields = ["token", "email"]
    raw_id_fields = ["store", "customer", "recovered_order"]


@admin.register(Event)
class EventAdmin(StoreScopedAdmin):
    list_display = ["kind", "customer", "store", "occurred_at"]
    list_filter = ["store", "kind"]
    raw_id_fields = ["store", "customer"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(StoreScopedAdmin):
    list_display = ["topic", "platform", "store", "status", "received_at", "attempts", "duplicates"]
    list_filter = ["store", "platform", "status"]
    search_fields = ["delivery_id", "topic"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ImportRun)
class ImportRunAdmin(StoreScopedAdmin):
    list_display = ["file_name", "store", "status", "created", "updated", "rejected", "started_at"]
    list_filter = ["store", "status"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
