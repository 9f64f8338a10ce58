"""Goal periods in the person's zone: Monday weeks, months, years, custom spans, DST."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from imas.goals import periods
from imas.goals.periods import Period

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")


def test_weeks_run_monday_to_sunday() -> None:
    sunday = dt.date(2025, 3, 30)
    assert periods.calendar_period("week", sunday) == Period(dt.date(2025, 3, 24), sunday)
    monday = dt.date(2025, 3, 31)
    assert periods.calendar_period("week", monday).first == monday


def test_months_and_years_including_february_of_a_leap_year() -> None:
    assert periods.calendar_period("month", dt.date(2024, 2, 15)) == Period(
        dt.date(2024, 2, 1), dt.date(2024, 2, 29)
    )
    assert periods.calendar_period("month", dt.date(2025, 12, 31)) == Period(
        dt.date(2025, 12, 1), dt.date(2025, 12, 31)
    )
    assert periods.calendar_period("year", dt.date(2025, 7, 1)) == Period(
        dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    )


def test_a_week_with_the_spring_change_is_167_hours_and_the_autumn_one_169() -> None:
    spring = periods.calendar_period("week", dt.date(2025, 3, 30))
    starts, ends = periods.local_bounds(spring, VIENNA)
    assert ends - starts == dt.timedelta(hours=167)
    assert starts == dt.datetime(2025, 3, 23, 23, 0, tzinfo=dt.UTC)  # Monday 00:00 CET
    assert ends == dt.datetime(2025, 3, 30, 22, 0, tzinfo=dt.UTC)  # next Monday 00:00 CEST
    autumn = periods.calendar_period("week", dt.date(2025, 10, 26))
    starts, ends = periods.local_bounds(autumn, VIENNA)
    assert ends - starts == dt.timedelta(hours=169)


def test_a_day_whose_midnight_does_not_exist_starts_at_its_first_real_instant() -> None:
    # Santiago de Chile skips from 00:00 to 01:00 on the first Sunday of September 2024.
    santiago = zoneinfo.ZoneInfo("America/Santiago")
    start = periods.local_midnight(dt.date(2024, 9, 8), santiago)
    assert start == dt.datetime(2024, 9, 8, 4, 0, tzinfo=dt.UTC)
    assert start.astimezone(santiago).hour == 1


def test_one_off_goal_has_one_period_and_a_recurring_one_follows_the_calendar() -> None:
    start = dt.date(2025, 1, 6)
    later = dt.date(2025, 2, 12)
    assert periods.period_for("week", start, None, False, later) == Period(
        dt.date(2025, 1, 6), dt.date(2025, 1, 12)
    )
    assert periods.period_for("week", start, None, True, later) == Period(
        dt.date(2025, 2, 10), dt.date(2025, 2, 16)
    )
    # Before its start a recurring goal shows its first period.
    assert periods.period_for("month", start, None, True, dt.date(2024, 12, 1)).first == (
        dt.date(2025, 1, 1)
    )


def test_custom_spans_repeat_back_to_back() -> None:
    start, end = dt.date(2025, 3, 1), dt.date(2025, 3, 10)  # ten days
    assert periods.period_for("custom", start, end, False, dt.date(2025, 5, 1)) == Period(
        start, end
    )
    assert periods.period_for("custom", start, end, True, dt.date(2025, 3, 10)) == Period(
        start, end
    )
    assert periods.period_for("custom", start, end, True, dt.date(2025, 3, 11)) == Period(
        dt.date(2025, 3, 11), dt.date(2025, 3, 20)
    )
    assert periods.period_for("custom", start, end, True, dt.date(2025, 3, 31)) == Period(
        dt.date(2025, 3, 31), dt.date(2025, 4, 9)
    )
    third = Period(dt.date(2025, 3, 21), dt.date(2025, 3, 30))
    assert periods.previous_period("custom", third) == Period(
        dt.date(2025, 3, 11), dt.date(2025, 3, 20)
    )
    assert periods.previous_period("month", Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))) == (
        Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    )


def test_a_custom_span_needs_an_end_after_its_start() -> None:
    with pytest.raises(ValueError, match="custom span"):
        periods.period_for(
            "custom", dt.date(2025, 3, 2), dt.date(2025, 3, 1), False, dt.date(2025, 3, 2)
        )
    with pytest.raises(ValueError, match="custom span"):
        periods.period_for("custom", dt.date(2025, 3, 2), None, False, dt.date(2025, 3, 2))


def test_an_unknown_zone_name_falls_back_to_utc() -> None:
    assert periods.zone_of("Not/AZone") == zoneinfo.ZoneInfo("UTC")
    assert periods.zone_of("../../etc/passwd") == zoneinfo.ZoneInfo("UTC")
    assert periods.zone_of("") == zoneinfo.ZoneInfo("UTC")
