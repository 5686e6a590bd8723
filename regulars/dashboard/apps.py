from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "regulars.dashboard"
    label = "dashboard"
    verbose_name = "Merchant dashboard"
