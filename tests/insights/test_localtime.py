"""Offsets of a zone over a range, found to the second (pure; no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from imas.insights.localtime import local_date, offset_changes

UTC = dt.UTC


def test_vienna_changes_twice_a_year_at_one_oclock_utc() -> None:
    zone = zoneinfo.ZoneInfo("Europe/Vienna")
    start = dt.datetime(2025, 1, 1, tzinfo=UTC)
    changes = offset_changes(zone, start, dt.datetime(2026, 1, 1, tzinfo=UTC))
    assert changes == [
        (start, 3600),
        (dt.datetime(2025, 3, 30, 1, 0, tzinfo=UTC), 7200),
        (dt.datetime(2025, 10, 26, 1, 0, tzinfo=UTC), 3600),
    ]


def test_a_zone_without_daylight_saving_has_one_offset() -> None:
    zone = zoneinfo.ZoneInfo("Asia/Kolkata")
    start = dt.datetime(2020, 1, 1, tzinfo=UTC)
    assert offset_changes(zone, start, dt.datetime(2026, 1, 1, tzinfo=UTC)) == [(start, 19800)]


def test_the_southern_hemisphere_and_a_range_across_years() -> None:
    zone = zoneinfo.ZoneInfo("Australia/Sydney")
    start = dt.datetime(2024, 12, 1, tzinfo=UTC)
    changes = offset_changes(zone, start, dt.datetime(2025, 12, 1, tzinfo=UTC))
    assert [offset for _t, offset in changes] == [39600, 36000, 39600]
    # 6 April 2025 03:00 AEDT -> 02:00 AEST is 16:00 UTC on the 5th.
    assert changes[1][0] == dt.datetime(2025, 4, 5, 16, 0, tzinfo=UTC)


def test_local_date_reads_what_either_database_returns() -> None:
    assert local_date("2025-03-30") == dt.date(2025, 3, 30)
    assert local_date(dt.date(2025, 3, 30)) == dt.date(2025, 3, 30)
    assert local_date(dt.datetime(2025, 3, 30, 0, 0, tzinfo=UTC)) == dt.date(2025, 3, 30)
