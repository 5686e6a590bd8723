from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _start_nightly_refreshes(sender, **kwargs) -> None:
    """Every deployment migrates: queue the first tick of the nightly refresh chain there
    (once the task queue's table exists: `migrate insights` alone may come first)."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from regulars.insights.schedule import ensure_nightly_tick

    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        ensure_nightly_tick()


class InsightsConfig(AppConfig):
    name = "regulars.insights"
    label = "insights"
    verbose_name = "Loyalty metrics and customer scores"

    def ready(self) -> None:
        from regulars.commerce import domain_events as events
        from regulars.core.events import subscribe
        from regulars.insights import requests

        for event in (events.ORDER_PAID, events.ORDER_CANCELLED, events.ORDER_REFUNDED):
            subscribe(event, requests.on_order_changed)
        subscribe(events.ORDERS_IMPORTED, requests.on_orders_imported)
        post_migrate.connect(_start_nightly_refreshes, sender=self)
