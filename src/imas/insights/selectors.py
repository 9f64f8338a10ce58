"""Trends across one person's activities, summed by the database in the person's time zone.

Every selector asks the database for sums grouped by local period over an indexed range, so a
page never loads a person's activities into Python. Periods are local (weeks start on Monday,
ISO 8601). Two sources give the same figures (tests compare them with the core's functions):
- live, from the activities: the database finds each start's local day, week, month or year
  itself (a CASE over the periods' UTC edges for a few periods, else localtime.local_period:
  AT TIME ZONE on PostgreSQL, SQLite's date functions with the zone's offsets on SQLite),
  exact across daylight saving changes;
- cached, from DailyTotal rows (per person, local day and sport), kept in step by the activity
  events; used whenever the person's cache is complete and cut in their current zone.

The training-load arithmetic (daily load, CTL/ATL/TSB) is imas.track.metrics.load's; this module
only feeds it daily sums from the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek, TruncYear

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.activities.selectors import activity_list
from imas.goals import periods
from imas.insights.localtime import local_date, local_period
from imas.insights.models import DailyTotal, TotalsState
from imas.track.metrics import load as load_metrics

PERIODS = ("week", "month", "year")
# Bounds that keep any request's work small whatever it asks for.
MAX_BUCKETS = 520
MAX_LOAD_DAYS = 3 * 366
# CTL's time constant is 42 days: a year of history before the first shown day brings the
# start-up error of the recurrence below exp(-365/42) = 0.02 % of the true value.
LOAD_WARMUP_DAYS = 365
MAX_EFFORTS = 300
# Up to this many periods a query sorts rows into them by a CASE over their edges.
FEW_BUCKETS = 40

# Training load of one activity, in the order of imas.track.metrics.load.activity_load: power
# TSS, else hrTSS (both kept in the tss column), else TRIMP.
LOAD_EXPRESSION = Coalesce("tss", "trimp")
TIME_EXPRESSION = Coalesce("moving_s", "elapsed_s")


def _zone(owner: User) -> dt.tzinfo:
    return periods.zone_of(owner.time_zone)


def _activities(owner: User, sport: str | None = None) -> QuerySet[Activity]:
    # order_by() drops the list's ordering, which would otherwise join the GROUP BY.
    return activity_list(owner=owner, sport=sport or None).order_by()


def local_today(owner: User, now: dt.datetime) -> dt.date:
    return periods.local_today(now, _zone(owner))


MEASURES = ("count", "distance_m", "moving_s", "ascent_m", "calories_kcal", "load")


def _totals_annotations() -> dict[str, Any]:
    """Sums over activities (the live source)."""
    return {
        "count": Count("id"),
        "distance_m": Coalesce(Sum("distance_m"), 0.0, output_field=FloatField()),
        "moving_s": Coalesce(Sum(TIME_EXPRESSION), 0.0, output_field=FloatField()),
        "ascent_m": Coalesce(Sum("ascent_m"), 0.0, output_field=FloatField()),
        "calories_kcal": Coalesce(Sum("calories_kcal"), 0.0, output_field=FloatField()),
        "load": Coalesce(Sum(LOAD_EXPRESSION), 0.0, output_field=FloatField()),
        "load_count": Count(LOAD_EXPRESSION),
    }


def _cached_annotations() -> dict[str, Any]:
    """Sums over DailyTotal rows (the cached source): the same figures, summed once more."""
    out: dict[str, Any] = {
        m: Coalesce(Sum(m), 0.0, output_field=FloatField()) for m in MEASURES if m != "count"
    }
    out["count"] = Coalesce(Sum("count"), 0)
    out["load_count"] = Coalesce(Sum("load_count"), 0)
    return out


def period_start(period: str, day: dt.date) -> dt.date:
    """The first local day of the day, week (Monday), month or year that holds `day`."""
    if period == "day":
        return day
    return periods.calendar_period(period, day).first


def period_step(period: str, first: dt.date, steps: int) -> dt.date:
    """The first day of the period `steps` periods after the one starting on `first`."""
    if period == "day":
        return first + dt.timedelta(days=steps)
    if period == "week":
        return first + dt.timedelta(weeks=steps)
    if period == "month":
        index = first.year * 12 + first.month - 1 + steps
        return dt.date(index // 12, index % 12 + 1, 1)
    return dt.date(first.year + steps, 1, 1)


def daily_totals_ready(owner: User) -> bool:
    """Whether the person's DailyTotal cache is complete and cut in their current zone."""
    return TotalsState.objects.filter(owner_id=owner.pk, time_zone=owner.time_zone).exists()


def totals_by_period(
    *,
    owner: User,
    period: str,
    first: dt.date,
    last: dt.date,
    sport: str | None = None,
    source: str = "auto",
) -> list[dict[str, Any]]:
    """Totals per local day/week/month/year and sport, for the periods holding first..last.

    Rows: {"period": first day, "sport", "count", "distance_m", "moving_s", "ascent_m",
    "calories_kcal", "load", "load_count"}, oldest first; periods without activity are absent.
    `source`: "live" sums the activities, "cached" the DailyTotal rows, "auto" the cache when
    it is ready (the two agree; tests prove it).
    """
    if period not in (*PERIODS, "day"):
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    begin = period_start(period, first)
    end = period_step(period, period_start(period, last), 1)
    if source == "auto":
        source = "cached" if daily_totals_ready(owner) else "live"
    qs: Any  # an annotated queryset of either model; the plugin cannot follow `bucket`
    if source == "cached":
        cached = DailyTotal.objects.filter(owner_id=owner.pk, day__gte=begin, day__lt=end)
        if sport:
            cached = cached.filter(sport=sport)
        qs, day_of = _bucketed_days(cached, begin, end, period)
        annotations = _cached_annotations()
    else:
        qs, day_of = _in_local_days(_activities(owner, sport), begin, end, _zone(owner), period)
        annotations = _totals_annotations()
    rows = qs.values("bucket", "sport").annotate(**annotations).order_by("bucket", "sport")
    return [
        {
            "period": day_of(row["bucket"]),
            "sport": row["sport"],
            **{m: row[m] for m in MEASURES},
            "load_count": row["load_count"],
        }
        for row in rows
    ]


def _period_firsts(period: str, first: dt.date, end: dt.date) -> list[dt.date] | None:
    """The first days of the periods from `first` up to `end`, or None when there are more
    than FEW_BUCKETS of them."""
    firsts = [first]
    while True:
        following = period_step(period, firsts[-1], 1)
        if following >= end:
            return firsts
        if len(firsts) >= FEW_BUCKETS:
            return None
        firsts.append(following)


def _edge_case(field: str, edges: list[Any]) -> Case:
    """The index of the interval between consecutive edges that `field` falls in."""
    return Case(
        *(When(**{f"{field}__lt": edge}, then=Value(i)) for i, edge in enumerate(edges)),
        default=Value(len(edges)),
        output_field=IntegerField(),
    )


def _in_local_days(
    qs: QuerySet[Activity], first: dt.date, end: dt.date, zone: dt.tzinfo, period: str
) -> tuple[QuerySet[Activity], Callable[[Any], dt.date]]:
    """Activities from local midnight of `first` to that of `end`, each annotated with
    `bucket`, and the function that turns a bucket into the first local day of its period.

    Few periods (a dashboard's 26 weeks, 12 months, 10 years): the bucket is the index of the
    period whose UTC edges hold the start, by a short CASE, the cheapest on either database.
    Many periods (days for training load): the database computes the local date itself
    (localtime.local_period), which costs the same however many periods there are.
    """
    starts = periods.local_midnight(first, zone)
    ends = periods.local_midnight(end, zone)
    qs = qs.filter(start_time__gte=starts, start_time__lt=ends)
    firsts = _period_firsts(period, first, end)
    if firsts is None:
        return qs.annotate(bucket=local_period(period, zone, starts, ends)), local_date
    edges = [periods.local_midnight(d, zone) for d in firsts[1:]]
    return qs.annotate(bucket=_edge_case("start_time", edges)), firsts.__getitem__


def _bucketed_days(
    qs: QuerySet[DailyTotal], first: dt.date, end: dt.date, period: str
) -> tuple[QuerySet[DailyTotal], Callable[[Any], dt.date]]:
    """DailyTotal rows annotated with the bucket of their day's period (as _in_local_days)."""
    if period == "day":
        return qs.annotate(bucket=F("day")), local_date
    firsts = _period_firsts(period, first, end)
    if firsts is None:
        trunc = {"week": TruncWeek, "month": TruncMonth, "year": TruncYear}[period]
        return qs.annotate(bucket=trunc("day", output_field=DateField())), local_date
    return qs.annotate(bucket=_edge_case("day", firsts[1:])), firsts.__getitem__


def period_series(
    rows: list[dict[str, Any]], period: str, first: dt.date, last: dt.date
) -> dict[str, Any]:
    """Totals rows reshaped for a chart: every period from first to last (empty ones as 0),
    and per sport one list of values per measure."""
    start = period_start(period, first)
    labels: list[dt.date] = []
    day = start
    while day <= last and len(labels) < MAX_BUCKETS:
        labels.append(day)
        day = period_step(period, day, 1)
    index = {d: i for i, d in enumerate(labels)}
    measures = ("count", "distance_m", "moving_s", "ascent_m", "calories_kcal", "load")
    sports: dict[str, dict[str, list[float]]] = {}
    for row in rows:
        i = index.get(row["period"])
        if i is None:
            continue
        series = sports.setdefault(row["sport"], {m: [0.0] * len(labels) for m in measures})
        for m in measures:
            series[m][i] += float(row[m] or 0.0)
    return {"period": period, "labels": [d.isoformat() for d in labels], "sports": sports}


def daily_loads(
    *, owner: User, first: dt.date, last: dt.date, source: str = "auto"
) -> list[load_metrics.DayLoad]:
    """Training load summed per local day (days without any load are absent)."""
    per_day: dict[dt.date, float] = {}
    for row in totals_by_period(owner=owner, period="day", first=first, last=last, source=source):
        if row["load_count"]:
            per_day[row["period"]] = per_day.get(row["period"], 0.0) + row["load"]
    return [load_metrics.DayLoad(day, load) for day, load in sorted(per_day.items())]


def load_series(
    *, owner: User, first: dt.date, last: dt.date, source: str = "auto"
) -> dict[str, Any]:
    """Fitness (CTL), fatigue (ATL) and form (TSB) for each local day first..last.

    The recurrence starts LOAD_WARMUP_DAYS before `first` from zero, so the shown values are
    those of the whole history to within 0.02 % (see LOAD_WARMUP_DAYS).
    """
    if last < first:
        raise ValueError("the last day is before the first")
    if (last - first).days + 1 > MAX_LOAD_DAYS:
        raise ValueError(f"a load series can cover at most {MAX_LOAD_DAYS} days")
    warm = first - dt.timedelta(days=LOAD_WARMUP_DAYS)
    days, load = load_metrics.daily_load(
        daily_loads(owner=owner, first=warm, last=last, source=source), warm, last
    )
    series = load_metrics.fitness_fatigue_form(days, load)
    skip = (first - warm).days
    return {
        "days": [d.isoformat() for d in days[skip:]],
        "load": _rounded(series.load[skip:]),
        "ctl": _rounded(series.ctl[skip:]),
        "atl": _rounded(series.atl[skip:]),
        "tsb": _rounded(series.tsb[skip:]),
    }


def _rounded(values: np.ndarray[Any, Any]) -> list[float]:
    return [round(float(v), 2) for v in values]


@dataclass(frozen=True, slots=True)
class EffortBand:
    sport: str
    distance_m: float
    tolerance: float

    @property
    def low(self) -> float:
        return self.distance_m * (1 - self.tolerance)

    @property
    def high(self) -> float:
        return self.distance_m * (1 + self.tolerance)


def effort_band_default(*, owner: User) -> EffortBand | None:
    """What to compare when the person has not said: efforts like their latest activity with
    a distance (same sport, distance within 20 %)."""
    latest: Any = (
        _activities(owner)
        .filter(distance_m__gt=0, avg_speed_mps__gt=0)
        .order_by("-start_time")
        .values("sport", "distance_m")
        .first()
    )
    if latest is None:
        return None
    return EffortBand(latest["sport"], float(latest["distance_m"]), 0.2)


def comparable_efforts(
    *, owner: User, band: EffortBand, limit: int = MAX_EFFORTS
) -> dict[str, Any]:
    """Heart rate and pace over time for efforts alike (same sport, similar distance).

    Returns the points (newest `limit`, oldest first) and a least-squares line through each of
    pace and heart rate against time, with its change per 30 days; a falling pace (faster) at
    the same heart rate, or a falling heart rate at the same pace, is fitness gained.
    """
    limit = max(2, min(limit, MAX_EFFORTS))
    zone = _zone(owner)
    rows: list[Any] = list(
        _activities(owner, band.sport)
        .filter(distance_m__gte=band.low, distance_m__lte=band.high, avg_speed_mps__gt=0)
        .order_by("-start_time")
        .values("id", "start_time", "distance_m", "moving_s", "avg_speed_mps", "avg_hr")[:limit]
    )
    rows.reverse()
    points = [
        {
            "id": r["id"],
            "day": r["start_time"].astimezone(zone).date().isoformat(),
            "t": r["start_time"].timestamp(),
            "distance_m": r["distance_m"],
            "pace_s_per_km": 1000.0 / r["avg_speed_mps"],
            "speed_mps": r["avg_speed_mps"],
            "avg_hr": r["avg_hr"],
        }
        for r in rows
    ]
    return {
        "sport": band.sport,
        "distance_m": band.distance_m,
        "low_m": band.low,
        "high_m": band.high,
        "points": points,
        "pace_trend": _trend([p["t"] for p in points], [p["pace_s_per_km"] for p in points]),
        "hr_trend": _trend(
            [p["t"] for p in points if p["avg_hr"]], [p["avg_hr"] for p in points if p["avg_hr"]]
        ),
    }


def _trend(ts: list[float], values: list[float]) -> dict[str, float] | None:
    """Ordinary least squares value = a + b*t; None for fewer than 3 points or one instant."""
    if len(ts) < 3:
        return None
    t = np.asarray(ts, dtype=float)
    v = np.asarray(values, dtype=float)
    if float(np.ptp(t)) <= 0:
        return None
    slope, intercept = np.polyfit(t - t[0], v, 1)
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        return None
    return {
        "t0": float(t[0]),
        "t1": float(t[-1]),
        "v0": float(intercept),
        "v1": float(intercept + slope * (t[-1] - t[0])),
        "per_30_days": float(slope * 30 * 86400),
    }


def route_polylines(
    *, owner: User, year: int | None = None, sport: str | None = None, limit: int = 2000
) -> dict[str, Any]:
    """The simplified routes (encoded polylines) of a person's newest `limit` activities, for
    the heat map; the activities keep at most ~100 points each, so this stays small."""
    qs = _activities(owner, sport).exclude(route_polyline="")
    if year is not None:
        zone = _zone(owner)
        qs = qs.filter(
            start_time__gte=periods.local_midnight(dt.date(year, 1, 1), zone),
            start_time__lt=periods.local_midnight(dt.date(year + 1, 1, 1), zone),
        )
    total = qs.count()
    routes = list(qs.order_by("-start_time").values_list("route_polyline", flat=True)[:limit])
    return {"routes": routes, "total": total, "shown": len(routes)}


def year_review(*, owner: User, year: int) -> dict[str, Any]:
    """A year of a person's activities: totals, by sport, by month, highlights, streaks."""
    zone = _zone(owner)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    starts = periods.local_midnight(first, zone)
    ends = periods.local_midnight(dt.date(year + 1, 1, 1), zone)
    qs: Any = _activities(owner).filter(start_time__gte=starts, start_time__lt=ends)
    totals = qs.aggregate(**_totals_annotations())
    by_sport = list(
        qs.values("sport").annotate(**_totals_annotations()).order_by("-count", "sport")
    )
    months = totals_by_period(owner=owner, period="month", first=first, last=last)
    days = sorted(
        {r["period"] for r in totals_by_period(owner=owner, period="day", first=first, last=last)}
    )
    weeks = totals_by_period(owner=owner, period="week", first=first, last=last)
    week_sums: dict[dt.date, dict[str, float]] = {}
    for r in weeks:
        w = week_sums.setdefault(r["period"], {"moving_s": 0.0, "distance_m": 0.0, "count": 0})
        for k in ("moving_s", "distance_m", "count"):
            w[k] += r[k]
    best_week_day = max(week_sums, key=lambda d: week_sums[d]["moving_s"], default=None)

    def top(field: str) -> dict[str, Any] | None:
        row = (
            qs.filter(**{f"{field}__isnull": False})
            .order_by(F(field).desc(), "start_time")
            .values("id", "name", "sport", "start_time", field)
            .first()
        )
        if row is None:
            return None
        return {**row, "day": row["start_time"].astimezone(zone).date()}

    span = qs.aggregate(first=Min("start_time"), last=Max("start_time"))
    return {
        "year": year,
        "totals": {**totals, "active_days": len(days)},
        "by_sport": by_sport,
        "months": period_series(months, "month", first, last),
        "longest_streak": _longest_streak(days),
        "best_week": (
            {"first": best_week_day, **week_sums[best_week_day]} if best_week_day else None
        ),
        "longest": top("distance_m"),
        "longest_time": top("moving_s"),
        "biggest_climb": top("ascent_m"),
        "first_activity": span["first"],
        "last_activity": span["last"],
    }


def _longest_streak(days: list[dt.date]) -> dict[str, Any] | None:
    """The longest run of consecutive local days with at least one activity."""
    if not days:
        return None
    best = (1, days[0])
    run, run_start = 1, days[0]
    for prev, day in itertools.pairwise(days):
        if (day - prev).days == 1:
            run += 1
        else:
            run, run_start = 1, day
        if run > best[0]:
            best = (run, run_start)
    return {"days": best[0], "first": best[1], "last": best[1] + dt.timedelta(days=best[0] - 1)}


def years_with_activities(*, owner: User) -> list[int]:
    """The local calendar years in which the person has activities, newest first."""
    zone = _zone(owner)
    span = _activities(owner).aggregate(first=Min("start_time"), last=Max("start_time"))
    if span["first"] is None:
        return []
    years = range(span["last"].astimezone(zone).year, span["first"].astimezone(zone).year - 1, -1)
    return [
        y
        for y in years
        if _activities(owner)
        .filter(
            Q(start_time__gte=periods.local_midnight(dt.date(y, 1, 1), zone))
            & Q(start_time__lt=periods.local_midnight(dt.date(y + 1, 1, 1), zone))
        )
        .exists()
    ]
