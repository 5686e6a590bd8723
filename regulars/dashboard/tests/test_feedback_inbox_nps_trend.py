"""The inbox's NPS trend covers the last TREND_MONTHS calendar months, this one included,
whatever the lengths of the months before it."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from regulars.dashboard.views.feedback import TREND_MONTHS, _nps_trend


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (datetime(2026, 7, 15, 12, tzinfo=UTC), "2026-02"),  # Feb to Jun: 150 days
        (datetime(2026, 3, 1, 12, tzinfo=UTC), "2025-10"),  # across a new year
        (datetime(2026, 12, 31, 12, tzinfo=UTC), "2026-07"),
    ],
)
def test_the_trend_has_one_point_per_month_of_the_last_six(store, now, first):
    with timezone.override(store.timezone):
        points = _nps_trend(store, now)

    assert len(points) == TREND_MONTHS
    assert points[0]["period"] == first
    assert points[-1]["period"] == now.strftime("%Y-%m")
