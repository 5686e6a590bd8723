"""Fresh planner statistics after a bulk load.

PostgreSQL picks query plans from table statistics that autovacuum refreshes only some time
after a large insert; until then a table that grew from nothing to 100,000 rows is planned as
if it were empty, and a join over it can take minutes instead of milliseconds. Code that
writes rows in bulk (the demo builder, the CSV import) calls this when it is done. SQLite
plans without such statistics unless asked to gather them, so nothing is done there.
"""

from django.db import connection, models


def refresh_planner_statistics(*models_written: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_written)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
