"""The merchant dashboard: /login/, / and every store page under /s/<store_slug>/."""

from django.urls import include, path

from regulars.dashboard.views import (
    auth,
    customers,
    deliveries,
    imports,
    insights,
    integrations,
    orders,
    settings,
)

app_name = "dashboard"

store_urls = [
    path("", auth.store_home, name="store_home"),
    path("customers/", customers.customer_list, name="customers"),
    path("customers/<int:customer_id>/", customers.customer_detail, name="customer"),
    path("insights/", insights.insights_page, name="insights"),
    path("insights/refresh/", insights.insights_refresh, name="insights_refresh"),
    path("insights/<slug:table>.csv", insights.insights_csv, name="insights_csv"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path("deliveries/", deliveries.delivery_list, name="deliveries"),
    path("deliveries/<int:delivery_id>/", deliveries.delivery_detail, name="delivery"),
    path(
        "deliveries/<int:delivery_id>/replay/",
        deliveries.delivery_replay,
        name="delivery_replay",
    ),
    path("imports/", imports.import_list, name="imports"),
    path("settings/", settings.store_settings, name="store_settings"),
    path("settings/staff/", settings.staff, name="staff"),
    path("settings/staff/<int:membership_id>/role/", settings.staff_role, name="staff_role"),
    path("settings/staff/<int:membership_id>/remove/", settings.staff_remove, name="staff_remove"),
    path("settings/api-keys/", integrations.api_keys, name="api_keys"),
    path(
        "settings/api-keys/<int:key_id>/revoke/",
        integrations.api_key_revoke,
        name="api_key_revoke",
    ),
    path("settings/webhooks/", integrations.webhooks, name="webhooks"),
]

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("s/<slug:store_slug>/", include(store_urls)),
]
