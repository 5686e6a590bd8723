from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "regulars.insights"
    label = "insights"
    verbose_name = "Loyalty metrics and customer scores"

    def ready(self) -> None:
        from regulars.commerce import domain_events as events
        from regulars.core.events import subscribe
        from regulars.insights import services

        for event in (events.ORDER_PAID, events.ORDER_CANCELLED, events.ORDER_REFUNDED):
            subscribe(event, services.on_order_changed)
        subscribe(events.ORDERS_IMPORTED, services.on_orders_imported)
