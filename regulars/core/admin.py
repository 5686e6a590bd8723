"""Django admin for superusers: stores, staff, API keys and webhook secrets.

Never a secret in full: an API key shows its prefix (the hash is not displayed), a webhook
secret only its last characters; neither can be typed in here (use the dashboard or the
services, which hash and validate).
"""

from django.contrib import admin

from regulars.core.models import ApiKey, Membership, Store, WebhookSecret


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "timezone", "default_language", "created_at"]
    search_fields = ["name", "slug", "public_id"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "store__name", "store__slug"]
    list_select_related = ["user", "store"]
    autocomplete_fields = ["user", "store"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "store", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "store__name"]
    list_select_related = ["store"]
    fields = [
        "store",
        "name",
        "prefix",
        "scope",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        # A key made here would have no raw value to hand over: keys come from the dashboard.
        return False


@admin.register(WebhookSecret)
class WebhookSecretAdmin(admin.ModelAdmin):
    list_display = ["store", "platform", "masked", "updated_at"]
    list_filter = ["platform"]
    search_fields = ["store__name", "store__slug"]
    list_select_related = ["store"]
    fields = ["store", "platform", "masked", "created_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Secret")
    def masked(self, obj: WebhookSecret) -> str:
        return obj.masked
