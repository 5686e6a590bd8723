"""Quiet hours are read in the customer's own time zone and end at the next allowed local
moment, across midnight and across a daylight-saving change."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from regulars.messaging.budget import quiet_until
from regulars.messaging.models import MessagingSettings

RULES = MessagingSettings(quiet_start=time(21), quiet_end=time(8))


def test_late_evening_waits_until_eight_the_next_morning_in_the_customers_zone():
    bangkok = ZoneInfo("Asia/Bangkok")  # UTC+7
    now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 23:00 in Bangkok

    assert quiet_until(now, bangkok, RULES) == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_early_morning_waits_until_eight_the_same_day():
    yerevan = ZoneInfo("Asia/Yerevan")  # UTC+4
    now = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # 06:30 in Yerevan

    assert quiet_until(now, yerevan, RULES) == datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def test_daytime_is_not_quiet():
    new_york = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 10:00 in New York

    assert quiet_until(now, new_york, RULES) is None


def test_the_edges_eight_is_allowed_and_nine_pm_is_quiet():
    utc = ZoneInfo("UTC")

    assert quiet_until(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), utc, RULES) is None
    assert quiet_until(datetime(2026, 11, 23, 21, 0, tzinfo=UTC), utc, RULES) == datetime(
        2026, 11, 24, 8, 0, tzinfo=UTC
    )


def test_the_wake_up_time_is_local_eight_on_the_night_the_clocks_go_back():
    new_york = ZoneInfo("America/New_York")
    # 22:00 EDT on 31 October 2026; the clocks go back at 02:00 on 1 November (EDT -> EST).
    now = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)

    assert quiet_until(now, new_york, RULES) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


def test_quiet_hours_within_one_day_and_switched_off():
    utc = ZoneInfo("UTC")
    afternoon_nap = MessagingSettings(quiet_start=time(13), quiet_end=time(15))
    never = MessagingSettings(quiet_start=time(9), quiet_end=time(9))

    assert quiet_until(datetime(2026, 11, 23, 14, tzinfo=UTC), utc, afternoon_nap) == datetime(
        2026, 11, 23, 15, tzinfo=UTC
    )
    assert quiet_until(datetime(2026, 11, 23, 16, tzinfo=UTC), utc, afternoon_nap) is None
    assert quiet_until(datetime(2026, 11, 23, 9, tzinfo=UTC), utc, never) is None
