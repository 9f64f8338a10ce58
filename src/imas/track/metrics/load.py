"""Across activities: daily training load, fitness (CTL), fatigue (ATL), form (TSB), weekly
and monthly totals, personal records over time. Pure functions over plain values.

The caller passes local calendar dates (the platform knows the person's time zone; the
core has no clock and no zones).

CTL and ATL are exponentially weighted averages of daily load with time constants of 42 and 7
days (Banister's impulse-response model as used by Coggan's Performance Manager):
    CTL_d = CTL_(d-1) + (load_d - CTL_(d-1)) / 42,  ATL likewise with 7,
and form is yesterday's fitness minus yesterday's fatigue: TSB_d = CTL_(d-1) - ATL_(d-1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from imas.track.track import FloatArray

CTL_DAYS = 42.0
ATL_DAYS = 7.0
# A series longer than this many days is refused (bounded work for any input).
MAX_DAYS = 366 * 100


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: dt.date
    load: float


@dataclass(frozen=True, slots=True)
class LoadSeries:
    days: list[dt.date]
    load: FloatArray
    ctl: FloatArray
    atl: FloatArray
    tsb: FloatArray


def activity_load(summary: dict[str, Any]) -> tuple[float | None, str | None]:
    """The training load of one analysed activity: power TSS, else hrTSS, else TRIMP."""
    for key in ("tss", "hr_tss", "trimp"):
        value = summary.get(key)
        if value is not None:
            return float(value), key
    return None, None


def daily_load(
    loads: Iterable[DayLoad], first: dt.date | None = None, last: dt.date | None = None
) -> tuple[list[dt.date], FloatArray]:
    """Load summed per calendar day from first to last (days without activity are 0)."""
    items = [x for x in loads if np.isfinite(x.load)]
    if not items and (first is None or last is None):
        return [], np.zeros(0)
    first = first or min(x.day for x in items)
    last = last or max(x.day for x in items)
    n = (last - first).days + 1
    if n <= 0:
        return [], np.zeros(0)
    if n > MAX_DAYS:
        raise ValueError(f"a load series over {n} days is longer than {MAX_DAYS}")
    out = np.zeros(n)
    for x in items:
        k = (x.day - first).days
        if 0 <= k < n:
            out[k] += x.load
    return [first + dt.timedelta(days=k) for k in range(n)], out


def fitness_fatigue_form(
    days: list[dt.date], load: FloatArray, ctl0: float = 0.0, atl0: float = 0.0
) -> LoadSeries:
    """CTL, ATL and TSB for each day of a daily load series."""
    n = load.size
    ctl = np.empty(n)
    atl = np.empty(n)
    tsb = np.empty(n)
    c, a = ctl0, atl0
    for k in range(n):  # a recurrence: one step per day, thousands at most
        tsb[k] = c - a
        c += (load[k] - c) / CTL_DAYS
        a += (load[k] - a) / ATL_DAYS
        ctl[k], atl[k] = c, a
    return LoadSeries(days, load, ctl, atl, tsb)


@dataclass(frozen=True, slots=True)
class ActivityTotals:
    """What a period total adds up from one activity (None counts as nothing)."""

    day: dt.date
    sport: str
    distance_m: float | None = None
    moving_s: float | None = None
    elapsed_s: float | None = None
    ascent_m: float | None = None
    calories_kcal: float | None = None
    load: float | None = None


def _period_key(day: dt.date, period: str) -> str:
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    raise ValueError(f"period must be 'week' or 'month', got {period!r}")


def period_totals(
    activities: Iterable[ActivityTotals], period: str, by_sport: bool = False
) -> list[dict[str, Any]]:
    """Totals per ISO week ('2025-W07') or month ('2025-02'), oldest first."""
    buckets: dict[tuple[str, str], dict[str, Any]] = {}
    for a in activities:
        key = (_period_key(a.day, period), a.sport if by_sport else "all")
        b = buckets.setdefault(
            key,
            {
                "period": key[0],
                "sport": key[1],
                "count": 0,
                "distance_m": 0.0,
                "moving_s": 0.0,
                "elapsed_s": 0.0,
                "ascent_m": 0.0,
                "calories_kcal": 0.0,
                "load": 0.0,
            },
        )
        b["count"] += 1
        for name in ("distance_m", "moving_s", "elapsed_s", "ascent_m", "calories_kcal", "load"):
            value = getattr(a, name)
            if value is not None and np.isfinite(value):
                b[name] += value
    return [buckets[k] for k in sorted(buckets)]


@dataclass(frozen=True, slots=True)
class Effort:
    day: dt.date
    activity_id: str
    name: str  # "5km", "1mile", ...
    time_s: float


def records_over_time(efforts: Sequence[Effort]) -> dict[str, list[Effort]]:
    """For each effort name, the chronological list of efforts that set a new best."""
    out: dict[str, list[Effort]] = {}
    for e in sorted(efforts, key=lambda x: (x.day, x.time_s)):
        if not (np.isfinite(e.time_s) and e.time_s > 0):
            continue
        history = out.setdefault(e.name, [])
        if not history or e.time_s < history[-1].time_s:
            history.append(e)
    return out


def efforts_of(day: dt.date, activity_id: str, summary: dict[str, Any]) -> list[Effort]:
    """The best efforts of one analysed activity (its as_dict()), as Effort values."""
    found = summary.get("best_efforts") or {}
    return [Effort(day, activity_id, name, float(v["time_s"])) for name, v in found.items()]
