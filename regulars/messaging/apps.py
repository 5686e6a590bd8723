from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _start_dispatch_ticks(sender, **kwargs) -> None:
    """Every deployment migrates: queue the dispatcher's first safety tick there (once the
    task queue's table exists)."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from regulars.messaging.schedule import ensure_dispatch_tick

    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        ensure_dispatch_tick()


class MessagingConfig(AppConfig):
    name = "regulars.messaging"
    label = "messaging"
    verbose_name = "Messages, consent and contact budget"

    def ready(self):
        from regulars.messaging import provider_reports, timeline  # noqa: F401 - registers

        provider_reports.connect()
        post_migrate.connect(_start_dispatch_ticks, sender=self)
