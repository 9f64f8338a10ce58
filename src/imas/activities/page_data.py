"""Reads shaped for the activity pages: route previews, the calendar, analysis tables, totals.

These build on imas.activities.selectors (access checks stay there) and never load streams:
previews come from the stored simplified polyline (at most ~100 points per activity).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.activities import selectors
from imas.activities.models import Activity
from imas.activities.streams import polyline_decode

# --- the person's zone -----------------------------------------------------------------------


def user_zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


# --- route previews ---------------------------------------------------------------------------


def route_svg_path(encoded: str, width: float = 100, height: float = 60, pad: float = 4) -> str:
    """The SVG path data of a route preview that fits width x height, keeping its shape.

    The projection is equirectangular around the route's mean latitude: at preview size the
    difference from Web Mercator is invisible, and it needs no trigonometry per point.
    """
    if not encoded:
        return ""
    try:
        points = polyline_decode(encoded)
    except (IndexError, ValueError):
        return ""  # a damaged polyline loses its preview, never the page
    if len(points) < 2:
        return ""
    mean_lat = sum(p[0] for p in points) / len(points)
    squeeze = math.cos(math.radians(mean_lat))
    xs = [p[1] * squeeze for p in points]
    ys = [-p[0] for p in points]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    span = max(span_x / (width - 2 * pad), span_y / (height - 2 * pad), 1e-9)
    off_x = pad + ((width - 2 * pad) - span_x / span) / 2
    off_y = pad + ((height - 2 * pad) - span_y / span) / 2
    x0, y0 = min(xs), min(ys)
    coords = [
        f"{off_x + (x - x0) / span:.1f} {off_y + (y - y0) / span:.1f}"
        for x, y in zip(xs, ys, strict=True)
    ]
    return "M" + " L".join(coords)


@dataclass
class ActivityCard:
    """An activity as lists and the feed show it: the row plus its route preview."""

    activity: Activity
    route_path: str


def cards(
    activities: Iterable[Activity], width: float = 100, height: float = 60
) -> list[ActivityCard]:
    return [ActivityCard(a, route_svg_path(a.route_polyline, width, height)) for a in activities]


# --- totals --------------------------------------------------------------------------------


@dataclass
class Totals:
    count: int = 0
    distance_m: float = 0.0
    moving_s: float = 0.0
    ascent_m: float = 0.0

    def add(self, activity: Activity) -> None:
        self.count += 1
        self.distance_m += activity.distance_m or 0.0
        self.moving_s += activity.moving_s or activity.elapsed_s or 0.0
        self.ascent_m += activity.ascent_m or 0.0


def totals_of(qs: QuerySet[Activity]) -> Totals:
    row = qs.order_by().aggregate(
        n=Count("id"), d=Sum("distance_m"), t=Sum("moving_s"), a=Sum("ascent_m")
    )
    return Totals(row["n"] or 0, row["d"] or 0.0, row["t"] or 0.0, row["a"] or 0.0)


# --- calendar --------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


@dataclass
class CalendarWeek:
    days: list[CalendarDay]
    totals: Totals


@dataclass
class CalendarMonth:
    year: int
    month: int
    first: dt.date
    weeks: list[CalendarWeek]
    totals: Totals
    previous: dt.date
    next: dt.date
    sports: dict[str, Totals]


def calendar_month(user: Any, year: int, month: int) -> CalendarMonth:
    """The month as weeks Monday-Sunday in the person's zone, with activities by day.

    Week totals cover the whole week, including days of the neighbouring months shown.
    """
    zone = user_zone(user)
    first = dt.date(year, month, 1)
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    grid_start, grid_end = weeks_dates[0][0], weeks_dates[-1][-1] + dt.timedelta(days=1)
    activities = selectors.activity_list(
        owner=user,
        start_from=local_midnight(grid_start, zone),
        start_to=local_midnight(grid_end, zone),
    ).order_by("start_time", "id")
    by_day: dict[dt.date, list[Activity]] = {}
    for activity in activities:
        by_day.setdefault(activity.start_time.astimezone(zone).date(), []).append(activity)
    today = timezone.now().astimezone(zone).date()
    weeks: list[CalendarWeek] = []
    month_totals = Totals()
    sports: dict[str, Totals] = {}
    for dates in weeks_dates:
        week_totals = Totals()
        days = []
        for day in dates:
            day_activities = by_day.get(day, [])
            for activity in day_activities:
                week_totals.add(activity)
                if day.month == month:
                    month_totals.add(activity)
                    sports.setdefault(activity.sport, Totals()).add(activity)
            days.append(CalendarDay(day, day.month == month, day == today, day_activities))
        weeks.append(CalendarWeek(days, week_totals))
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return CalendarMonth(year, month, first, weeks, month_totals, previous, following, sports)


# --- the activity page's analysis tables -------------------------------------------------------


def _num(value: Any) -> float | None:
    """A finite number from stored JSON, or None for anything else (strings, NaN, lists)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _with_speed(lap: Mapping[str, Any]) -> dict[str, Any]:
    """A lap with its average speed; from distance over timer time when the file gave none."""
    out = dict(lap)
    if _num(out.get("avg_speed_mps")) is None:
        distance = _num(out.get("distance_m"))
        seconds = _num(out.get("timer_s")) or _num(out.get("elapsed_s"))
        if distance and seconds:
            out["avg_speed_mps"] = distance / seconds
    return out


def _rows(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, Mapping)]  # type: ignore[misc]


@dataclass
class ZoneRow:
    zone: int
    min_bpm: float | None
    max_bpm: float | None
    seconds: float
    share: float  # 0..100, for the bar


@dataclass
class CurvePoint:
    seconds: int
    watts: float


@dataclass
class Analysis:
    """The parts of an activity's stored analysis that the page shows, checked and shaped."""

    splits: list[dict[str, Any]]
    split_unit_m: float
    laps: list[dict[str, Any]]
    zones: list[ZoneRow]
    zones_method: str
    best_efforts: list[dict[str, Any]]
    power_curve: list[CurvePoint]
    swim: dict[str, Any]
    strength: dict[str, Any]
    manual_sets: list[dict[str, Any]]
    methods: dict[str, Any]
    extra: dict[str, Any]
    warnings: list[str]


def analysis_for_page(activity: Activity, units: str, *, with_health: bool) -> Analysis:
    """Shape `activity.analysis` for the page; heart-rate parts only for the owner."""
    data: Mapping[str, Any] = activity.analysis if isinstance(activity.analysis, Mapping) else {}
    imperial = units == "imperial"
    splits = _rows(data.get("splits_mile" if imperial else "splits_km"))
    laps = [_with_speed(lap) for lap in _rows(data.get("lap_details"))]
    zones: list[ZoneRow] = []
    if with_health:
        raw = _rows(data.get("hr_zones"))
        total = sum(_num(z.get("seconds")) or 0.0 for z in raw) or 1.0
        for z in raw:
            seconds = _num(z.get("seconds")) or 0.0
            zones.append(
                ZoneRow(
                    int(_num(z.get("zone")) or 0),
                    _num(z.get("min_bpm")),
                    _num(z.get("max_bpm")),
                    seconds,
                    round(100.0 * seconds / total, 1),
                )
            )
    else:
        splits = [{k: v for k, v in s.items() if k != "avg_hr"} for s in splits]
        laps = [{k: v for k, v in lap.items() if k not in ("avg_hr", "max_hr")} for lap in laps]
    efforts_raw = data.get("best_efforts")
    best_efforts: list[dict[str, Any]] = []
    if isinstance(efforts_raw, Mapping):
        best_efforts = [dict(v) for v in efforts_raw.values() if isinstance(v, Mapping)]
        best_efforts.sort(key=lambda e: _num(e.get("distance_m")) or 0.0)
    curve_raw = data.get("power_curve")
    curve: list[CurvePoint] = []
    if isinstance(curve_raw, Mapping):
        for key, watts in curve_raw.items():
            duration_s, value = _num(key), _num(watts)
            if duration_s is not None and value is not None and duration_s >= 1:
                curve.append(CurvePoint(int(duration_s), value))
        curve.sort(key=lambda p: p.seconds)
    methods = data.get("methods")
    extra = {
        key: data.get(key)
        for key in (
            "gap_speed_mps",
            "max_power_w",
            "vdot",
            "intensity_factor",
            "min_altitude_m",
            "max_altitude_m",
            "timer_s",
        )
        if isinstance(data.get(key), int | float)
    }
    warnings = [str(w) for w in data.get("warnings") or [] if isinstance(w, str)][:20]
    swim = data.get("swim")
    strength = data.get("strength")
    return Analysis(
        splits=splits,
        split_unit_m=1609.344 if imperial else 1000.0,
        laps=laps,
        zones=zones,
        zones_method=zones_method_text(str((methods or {}).get("hr_zones") or ""))
        if isinstance(methods, Mapping)
        else "",
        best_efforts=best_efforts,
        power_curve=curve,
        swim=dict(swim) if isinstance(swim, Mapping) else {},
        strength=dict(strength) if isinstance(strength, Mapping) else {},
        manual_sets=_rows(data.get("sets")),
        methods=dict(methods) if isinstance(methods, Mapping) else {},
        extra=extra,
        warnings=warnings,
    )


def power_curve_svg(
    curve: Sequence[CurvePoint], width: float = 320, height: float = 120
) -> dict[str, Any]:
    """A small line chart of the power curve on a logarithmic duration axis (static SVG)."""
    if len(curve) < 2:
        return {}
    pad_l, pad_b, pad_t, pad_r = 34.0, 18.0, 8.0, 8.0
    xs = [math.log(p.seconds) for p in curve]
    top = max(p.watts for p in curve) * 1.1 or 1.0
    x0, x1 = xs[0], xs[-1]
    span = (x1 - x0) or 1.0

    def px(x: float) -> float:
        return pad_l + (x - x0) / span * (width - pad_l - pad_r)

    def py(w: float) -> float:
        return pad_t + (1 - w / top) * (height - pad_t - pad_b)

    points = [(px(x), py(p.watts)) for x, p in zip(xs, curve, strict=True)]
    line = "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in points)
    area = (
        line
        + f" L{points[-1][0]:.1f} {height - pad_b:.1f} L{points[0][0]:.1f} {height - pad_b:.1f} Z"
    )
    labels = [
        {"x": round(x, 1), "text": _duration_label(p.seconds)}
        for (x, _y), p in zip(points, curve, strict=True)
        if p.seconds in (5, 60, 300, 1200, 3600)
    ]
    ticks = [{"y": round(py(w), 1), "text": f"{round(w)}"} for w in (top / 1.1 / 2, top / 1.1)]
    return {
        "width": width,
        "height": height,
        "line": line,
        "area": area,
        "labels": labels,
        "ticks": ticks,
        "base": height - pad_b,
        "left": pad_l,
    }


def _duration_label(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def zones_method_text(method: str) -> str:
    """The analysis's zone method name (imas.track.metrics.heart) as a person reads it."""
    if not method:
        return ""
    if method == "custom":
        return _("your own zones (Profile)")
    estimated = method.endswith("(tanaka_2001)")
    if method.startswith("karvonen"):
        if estimated:
            return _("share of heart-rate reserve; maximum estimated from age (Tanaka 2001)")
        return _("share of heart-rate reserve (resting and maximum from your profile)")
    if method.startswith("percent_max"):
        if estimated:
            return _("share of maximum heart rate, estimated from age (Tanaka 2001)")
        return _("share of your maximum heart rate (Profile)")
    return method
