"""Numbers of activities as people read them: metric or imperial, pace or speed, h:mm:ss.

Every filter takes SI values as stored (metres, seconds, metres per second, kilograms) and the
person's units ("metric" or "imperial"); an unknown value (None, NaN) shows as an en dash,
never as 0. Conversion factors are the exact international definitions (NIST SP 811):
1 mile = 1609.344 m, 1 foot = 0.3048 m, 1 yard = 0.9144 m, 1 pound = 0.45359237 kg.
"""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

METRES_PER_MILE = 1609.344
METRES_PER_FOOT = 0.3048
METRES_PER_YARD = 0.9144
KG_PER_POUND = 0.45359237
UNKNOWN = "\u2013"  # an en dash: unknown, never 0
MINUS = "\u2212"

# Sports whose people think in pace (time per distance) rather than speed.
PACE_SPORTS = frozenset({"running", "walking", "hiking"})


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _imperial(units: Any) -> bool:
    return str(units) == "imperial"


def number(value: float, decimals: int) -> str:
    """A number in the current language's format, with thousands grouped."""
    return formats.number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


# --- distance -------------------------------------------------------------------------------


def distance_parts(metres: Any, units: Any, sport: str = "") -> tuple[str, str]:
    """(number, unit) of a distance: km or mi; m or yd for swims."""
    m = _number(metres)
    if m is None:
        return UNKNOWN, ""
    if sport == "swimming":
        if _imperial(units):
            return number(m / METRES_PER_YARD, 0), _("yd")
        return number(m, 0), _("m")
    if _imperial(units):
        value, unit = m / METRES_PER_MILE, _("mi")
    else:
        value, unit = m / 1000.0, _("km")
    return number(value, 2 if value < 100 else 1), unit


@register.filter
def distance(metres: Any, units: Any = "metric") -> str:
    value, unit = distance_parts(metres, units)
    return f"{value} {unit}".strip()


@register.filter
def swim_distance(metres: Any, units: Any = "metric") -> str:
    value, unit = distance_parts(metres, units, "swimming")
    return f"{value} {unit}".strip()


@register.filter
def distance_number(metres: Any, units: Any = "metric") -> str:
    return distance_parts(metres, units)[0]


@register.filter
def distance_unit(metres: Any, units: Any = "metric") -> str:
    return distance_parts(0.0, units)[1]


@register.filter
def short_distance(metres: Any, units: Any = "metric") -> str:
    """A distance such as a best-effort length: 400 m, 1 km, 1 mi, 5 km, half marathon."""
    m = _number(metres)
    if m is None:
        return UNKNOWN
    if abs(m - METRES_PER_MILE) < 1:
        return _("1 mile")
    if abs(m - 21097.5) < 1:
        return _("Half marathon")
    if abs(m - 42195) < 1:
        return _("Marathon")
    if m < 1000:
        return f"{number(m, 0)} {_('m')}"
    return f"{number(m / 1000, 0 if m % 1000 == 0 else 1)} {_('km')}"


# --- elevation and weight -------------------------------------------------------------------


@register.filter
def elevation(metres: Any, units: Any = "metric") -> str:
    m = _number(metres)
    if m is None:
        return UNKNOWN
    if _imperial(units):
        return f"{number(m / METRES_PER_FOOT, 0)} {_('ft')}"
    return f"{number(m, 0)} {_('m')}"


@register.filter
def weight(kg: Any, units: Any = "metric") -> str:
    value = _number(kg)
    if value is None:
        return UNKNOWN
    if _imperial(units):
        return f"{number(value / KG_PER_POUND, 1)} {_('lb')}"
    return f"{number(value, 1)} {_('kg')}"


# --- time -----------------------------------------------------------------------------------


def clock(seconds: float) -> str:
    """h:mm:ss, or m:ss below an hour."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@register.filter
def duration(seconds: Any) -> str:
    s = _number(seconds)
    if s is None or s < 0:
        return UNKNOWN
    return clock(s)


@register.filter
def duration_words(seconds: Any) -> str:
    """A long total in words: 3h 25m, 42m."""
    s = _number(seconds)
    if s is None or s < 0:
        return UNKNOWN
    minutes = round(s / 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)dh %(m)02dm") % {"h": hours, "m": minutes}
    return _("%(m)dm") % {"m": minutes}


# --- pace and speed -------------------------------------------------------------------------


def pace_parts(speed_mps: Any, units: Any, sport: str = "running") -> tuple[str, str]:
    """(m:ss, unit) of a pace: per km or mile; per 100 m or 100 yd for swims."""
    v = _number(speed_mps)
    if v is None or v <= 0.05:  # slower than 0.18 km/h is standing, not a pace
        return UNKNOWN, ""
    if sport == "swimming":
        per = 100 * (METRES_PER_YARD if _imperial(units) else 1.0)
        unit = _("/100 yd") if _imperial(units) else _("/100 m")
    else:
        per = METRES_PER_MILE if _imperial(units) else 1000.0
        unit = _("/mi") if _imperial(units) else _("/km")
    return clock(per / v), unit


def speed_parts(speed_mps: Any, units: Any) -> tuple[str, str]:
    v = _number(speed_mps)
    if v is None:
        return UNKNOWN, ""
    if _imperial(units):
        return number(v * 3600 / METRES_PER_MILE, 1), _("mph")
    return number(v * 3.6, 1), _("km/h")


def uses_pace(sport: str) -> bool:
    return sport in PACE_SPORTS or sport == "swimming"


def pace_or_speed_parts(speed_mps: Any, units: Any, sport: str) -> tuple[str, str]:
    if uses_pace(sport):
        return pace_parts(speed_mps, units, sport)
    return speed_parts(speed_mps, units)


@register.filter
def pace(speed_mps: Any, units: Any = "metric") -> str:
    value, unit = pace_parts(speed_mps, units)
    return f"{value} {unit}".strip()


@register.filter
def speed(speed_mps: Any, units: Any = "metric") -> str:
    value, unit = speed_parts(speed_mps, units)
    return f"{value} {unit}".strip()


@register.simple_tag
def pace_or_speed(speed_mps: Any, units: Any, sport: str) -> str:
    value, unit = pace_or_speed_parts(speed_mps, units, sport)
    return f"{value} {unit}".strip()


@register.simple_tag
def pace_or_speed_label(sport: str) -> str:
    return _("Pace") if uses_pace(sport) else _("Speed")


@register.filter
def pace_per_km(seconds_per_km: Any, units: Any = "metric") -> str:
    """A pace stored as seconds per km (best efforts), in the person's units."""
    s = _number(seconds_per_km)
    if s is None or s <= 0:
        return UNKNOWN
    return pace(1000.0 / s, units)


# --- other numbers --------------------------------------------------------------------------


@register.filter
def whole(value: Any, unit: str = "") -> str:
    """A measured number without decimals (bpm, W, rpm, kcal), with its unit."""
    v = _number(value)
    if v is None:
        return UNKNOWN
    return f"{number(v, 0)} {unit}".strip()


@register.filter
def percent(part: Any, total: Any) -> str:
    p, t = _number(part), _number(total)
    if p is None or not t:
        return UNKNOWN
    return f"{number(100.0 * p / t, 0)} %"


@register.filter
def sport_label(value: Any) -> str:
    """The translated name of a sport family ("running" -> "Running")."""
    from imas.activities.models import Sport

    try:
        return str(Sport(str(value)).label)
    except ValueError:
        return str(value)


@register.filter
def elevation_change(metres: Any, units: Any = "metric") -> str:
    """A climb or a drop with its sign: +16 m, -4 m, and 0 m (never "-0 m")."""
    m = _number(metres)
    if m is None:
        return UNKNOWN
    value = m / METRES_PER_FOOT if _imperial(units) else m
    rounded = round(value)
    unit = _("ft") if _imperial(units) else _("m")
    if rounded == 0:
        return f"0 {unit}"
    sign = "+" if rounded > 0 else MINUS
    return f"{sign}{number(abs(rounded), 0)} {unit}"


# FIT, TCX and Garmin GPX count a runner's cadence in cycles of one foot (75-100 a minute);
# runners read steps per minute, twice that. A value above 120 is already steps (the rule of
# imas.track.metrics.energy.steps_from_cadence).
ON_FOOT = frozenset({"running", "walking", "hiking"})
ONE_FOOT_MAX = 120.0


def cadence_parts(value: Any, sport: str) -> tuple[str, str]:
    v = _number(value)
    if v is None:
        return UNKNOWN, ""
    if sport in ON_FOOT:
        return number(v * 2 if v < ONE_FOOT_MAX else v, 0), _("spm")
    return number(v, 0), _("rpm")


@register.simple_tag
def cadence(value: Any, sport: str) -> str:
    number_text, unit = cadence_parts(value, sport)
    return f"{number_text} {unit}".strip()
