"""Tasks API entry points of insights: thin, taking ids, safe to run twice."""

from django_tasks import task


@task()
def refresh_store_insights(store_id: int) -> str:
    """Recompute a store's figures, refit its models and rescore every customer."""
    from regulars.insights.services import refresh_store_by_id

    return refresh_store_by_id(store_id)


@task()
def rescore_changed_customers(store_id: int) -> str:
    """Rescore the customers whose orders changed since the last scoring, with the store's
    fitted models (the store-wide figures wait for the next full refresh)."""
    from regulars.insights.services import rescore_store_by_id

    return rescore_store_by_id(store_id)


@task()
def nightly_insights_tick() -> str:
    """Hourly: queue the next tick, then a refresh of every store whose night has come."""
    from regulars.insights.schedule import do_nightly_refreshes, ensure_nightly_tick

    ensure_nightly_tick()
    return f"{do_nightly_refreshes()} stores queued for their nightly refresh"
