from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "regulars.commerce"
    label = "commerce"
    verbose_name = "Customers, orders and ingestion"
