from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _start_ticks(sender, **kwargs) -> None:
    """Every deployment migrates: queue the journeys' first tick there (once the task queue's
    table exists)."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from regulars.journeys.schedule import ensure_journeys_tick

    if DBTaskResult._meta.db_table in connection.introspection.table_names():
        ensure_journeys_tick()


class JourneysConfig(AppConfig):
    name = "regulars.journeys"
    label = "journeys"
    verbose_name = "Journeys: the post-purchase care switched on per store"

    def ready(self):
        from regulars.journeys import handlers, templates_library, timeline  # noqa: F401 - timeline registers

        handlers.connect()
        templates_library.register()
        post_migrate.connect(_start_ticks, sender=self)
