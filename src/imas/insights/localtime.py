"""The local day, week, month or year of an activity's start, computed by the database.

PostgreSQL does this natively: date_trunc on `start_time AT TIME ZONE 'Europe/Vienna'` (Django's
Trunc with tzinfo). On SQLite Django's Trunc calls a Python function for every row, which cost
250 ms for 10,000 activities; here SQLite's own C date functions do it instead, given the UTC
offset that applies to each row. A zone's offset changes only at a few known instants (daylight
saving, law changes), so the offset is a short CASE over those instants within the queried range.

SQLite's 'weekday 1' modifier moves a date forward to the next Monday (or keeps a Monday);
going back six days first gives the Monday on or before: ISO weeks, Monday first.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, F, Func, Value, When
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear

_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
_SQLITE = {
    "day": ("date", []),
    "week": ("date", ["-6 days", "weekday 1"]),
    "month": ("strftime", ["start of month"]),
    "year": ("strftime", ["start of year"]),
}


def offset_changes(
    zone: dt.tzinfo, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, int]]:
    """[(from_instant, utc_offset_s), ...] covering [start, end): the first pair starts at
    `start`, each next one where the zone's offset changes (found to the second)."""
    changes = _year_changes(zone, start.astimezone(dt.UTC).year, end.astimezone(dt.UTC).year)
    out = [(start, _offset(zone, start))]
    out += [(t, o) for t, o in changes if start < t < end]
    return out


def _offset(zone: dt.tzinfo, t: dt.datetime) -> int:
    delta = t.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


@functools.lru_cache(maxsize=256)
def _year_changes(
    zone: dt.tzinfo, first_year: int, last_year: int
) -> list[tuple[dt.datetime, int]]:
    """Every offset change of the zone in the UTC years first..last, to the second.

    Scans a day at a time (no zone changes its offset twice within a day), then bisects."""
    t = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    current = _offset(zone, t)
    out = []
    step = dt.timedelta(days=1)
    while t < end:
        following = t + step
        if _offset(zone, following) != current:
            lo, hi = t, following  # the offset at lo is the old one, at hi the new one
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _offset(zone, mid) == current:
                    lo = mid
                else:
                    hi = mid
            hi = hi.replace(microsecond=0)
            current = _offset(zone, hi)
            out.append((hi, current))
        t = following
    return out


def local_period(period: str, zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> Any:
    """An expression: the first local day of the day/week/month/year holding `start_time`,
    valid for rows whose start_time lies in [start, end). See local_date() for its value."""
    if connection.vendor != "sqlite":
        return _TRUNC[period]("start_time", tzinfo=zone)
    changes = offset_changes(zone, start, end)

    def modifier(seconds: int) -> Value:
        return Value(f"{seconds:+d} seconds")

    if len(changes) == 1:
        shift: Any = modifier(changes[0][1])
    else:
        shift = Case(
            *(
                When(start_time__lt=changes[i + 1][0], then=modifier(changes[i][1]))
                for i in range(len(changes) - 1)
            ),
            default=modifier(changes[-1][1]),
            output_field=CharField(),
        )
    function, extra = _SQLITE[period]
    arguments: list[Any] = [F("start_time"), shift, *(Value(m) for m in extra)]
    if function == "strftime":
        arguments.insert(0, Value("%Y-%m-%d"))
    return Func(*arguments, function=function, output_field=CharField())


def local_date(value: Any) -> dt.date:
    """The value of a local_period() expression as a date (SQLite gives text, PostgreSQL a
    date or datetime)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
