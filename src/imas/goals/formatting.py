"""Goal amounts for people: SI values shown in the person's units, and read back from forms.

1 mile = 1609.344 m and 1 foot = 0.3048 m exactly (international yard and pound, 1959).
"""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from imas.goals.models import Metric

METRES_PER_MILE = 1609.344
METRES_PER_FOOT = 0.3048


def display_unit(metric: str, units: str) -> str:
    """The unit a form asks for and a page shows, for a metric in metric/imperial units."""
    imperial = units == "imperial"
    if metric == Metric.DISTANCE:
        return "mi" if imperial else "km"
    if metric == Metric.ELEVATION:
        return "ft" if imperial else "m"
    if metric == Metric.TIME:
        return "h"
    if metric == Metric.ENERGY:
        return "kcal"
    return ""


def to_display(metric: str, value: float, units: str) -> float:
    """An SI value in the display unit."""
    imperial = units == "imperial"
    if metric == Metric.DISTANCE:
        return value / (METRES_PER_MILE if imperial else 1000.0)
    if metric == Metric.ELEVATION:
        return value / METRES_PER_FOOT if imperial else value
    if metric == Metric.TIME:
        return value / 3600.0
    return value


def from_display(metric: str, value: float, units: str) -> float:
    """A value typed in the display unit, in SI."""
    imperial = units == "imperial"
    if metric == Metric.DISTANCE:
        return value * (METRES_PER_MILE if imperial else 1000.0)
    if metric == Metric.ELEVATION:
        return value * METRES_PER_FOOT if imperial else value
    if metric == Metric.TIME:
        return value * 3600.0
    return value


def format_amount(metric: str, value: float | None, units: str) -> str:
    """'42.2 km', '3:25 h', '12 activities', '1,250 m', '3,400 kcal'."""
    if value is None or not math.isfinite(value):
        return "\u2013"  # an en dash: no value
    if metric == Metric.TIME:
        minutes = round(value / 60.0)
        return _("%(h)d:%(m)02d h") % {"h": minutes // 60, "m": minutes % 60}
    if metric == Metric.COUNT:
        n = round(value)
        return (_("%d activity") if n == 1 else _("%d activities")) % n
    shown = to_display(metric, value, units)
    digits = 1 if metric == Metric.DISTANCE and abs(shown) < 1000 else 0
    number = number_format(round(shown, digits), decimal_pos=digits, force_grouping=True)
    return f"{number} {display_unit(metric, units)}"
