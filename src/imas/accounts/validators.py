"""Validation rules for the body and profile fields, shared by forms, the API and the CLI.

Each rule raises a translated ValidationError that names what is wrong, so every interface
gives the same message for the same mistake.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_AGE_YEARS = 16  # the youngest age the privacy policy lets a person sign up alone
MAX_AGE_YEARS = 120
HEIGHT_CM_RANGE = (50.0, 250.0)
WEIGHT_KG_RANGE = (20.0, 350.0)
RESTING_HR_RANGE = (25, 120)
MAX_HR_RANGE = (100, 240)


def age_on(birthday: dt.date, day: dt.date) -> int:
    """Whole years between birthday and day (a 29 February birthday counts on 1 March)."""
    years = day.year - birthday.year
    if (day.month, day.day) < (birthday.month, birthday.day):
        years -= 1
    return years


def validate_birthday(value: dt.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The birthday cannot be in the future."), code="future")
    age = age_on(value, today)
    if age < MIN_AGE_YEARS:
        raise ValidationError(
            _("You must be at least %(age)d years old to use IMAS."),
            code="too_young",
            params={"age": MIN_AGE_YEARS},
        )
    if age > MAX_AGE_YEARS:
        raise ValidationError(_("Please check the year of the birthday."), code="too_old")


def _check_range(value: float | None, low: float, high: float, message: Any, code: str) -> None:
    if value is None:
        return
    # `not (low <= v <= high)` is also true for NaN, which must never pass; no float() here, so
    # a 400-digit integer is simply out of range instead of overflowing.
    if not (low <= value <= high):
        raise ValidationError(message, code=code, params={"low": low, "high": high})


def validate_height_cm(value: float | None) -> None:
    _check_range(
        value, *HEIGHT_CM_RANGE, _("Height must be between %(low)g and %(high)g cm."), "range"
    )


def validate_weight_kg(value: float | None) -> None:
    _check_range(
        value, *WEIGHT_KG_RANGE, _("Weight must be between %(low)g and %(high)g kg."), "range"
    )


def validate_resting_hr(value: float | None) -> None:
    _check_range(
        value,
        *RESTING_HR_RANGE,
        _("Resting heart rate must be between %(low)g and %(high)g beats per minute."),
        "range",
    )


def validate_max_hr(value: float | None) -> None:
    _check_range(
        value,
        *MAX_HR_RANGE,
        _("Maximum heart rate must be between %(low)g and %(high)g beats per minute."),
        "range",
    )


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("Unknown time zone %(value)s; use a name such as Europe/Berlin."),
            code="time_zone",
            params={"value": value},
        )
