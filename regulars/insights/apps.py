from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "regulars.insights"
    label = "insights"
    verbose_name = "Loyalty metrics and customer scores"
