"""Goal periods as calendar days in the person's own time zone. Pure functions, no database.

Weeks start on Monday (ISO 8601), months and years on their first day. A period is a pair of
local dates, first and last day inclusive; `local_bounds` turns it into the UTC instants from
local midnight of the first day to local midnight after the last day, so an activity at 23:30
on a Sunday evening where the person lives counts for that week, and a week with a daylight
saving change is 167 or 169 hours long, as the clock on the wall says.

A custom span is any first..last pair. A recurring goal repeats its period back to back: the
next week, month or year, or for a custom span the next span of the same number of days.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

WEEK = "week"
MONTH = "month"
YEAR = "year"
CUSTOM = "custom"
KINDS = (WEEK, MONTH, YEAR, CUSTOM)

# A custom span longer than this is refused (ten years is more than any goal needs).
MAX_CUSTOM_DAYS = 3660


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a goal: local calendar days, first and last inclusive."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def zone_of(name: str | None) -> zoneinfo.ZoneInfo:
    """The IANA zone by name; UTC for an empty or unknown name (validated on the profile)."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The instant a local day begins. Where midnight itself is skipped by a DST change
    (e.g. America/Santiago), zoneinfo's fold=0 maps it onto the first instant that exists."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def local_bounds(period: Period, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """UTC [start, end) of a period: local midnight of its first day to the one after its last."""
    return local_midnight(period.first, zone), local_midnight(
        period.last + dt.timedelta(days=1), zone
    )


def local_today(now: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return now.astimezone(zone).date()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def calendar_period(kind: str, day: dt.date) -> Period:
    """The week (Monday to Sunday), month or year that holds `day`."""
    if kind == WEEK:
        first = day - dt.timedelta(days=day.weekday())
        return Period(first, first + dt.timedelta(days=6))
    if kind == MONTH:
        first = day.replace(day=1)
        return Period(first, _add_months(first, 1) - dt.timedelta(days=1))
    if kind == YEAR:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    raise ValueError(f"no calendar period {kind!r}")


def period_for(
    kind: str, start: dt.date, end: dt.date | None, recurring: bool, day: dt.date
) -> Period:
    """The period of a goal that a local day belongs to (or the nearest one).

    A one-off goal has exactly one period (the calendar period of `start`, or start..end for a
    custom span). A recurring goal's periods begin with that one; a day before it maps to it.
    """
    if kind == CUSTOM:
        if end is None or end < start:
            raise ValueError("a custom span needs an end on or after its start")
        first = Period(start, end)
        if not recurring or day <= end:
            return first
        steps = (day - start).days // first.days
        begin = start + dt.timedelta(days=steps * first.days)
        return Period(begin, begin + dt.timedelta(days=first.days - 1))
    first = calendar_period(kind, start)
    if not recurring or day <= first.last:
        return first
    return calendar_period(kind, day)


def previous_period(kind: str, period: Period) -> Period:
    """The period just before `period` in a recurring goal."""
    if kind == CUSTOM:
        last = period.first - dt.timedelta(days=1)
        return Period(last - dt.timedelta(days=period.days - 1), last)
    return calendar_period(kind, period.first - dt.timedelta(days=1))
