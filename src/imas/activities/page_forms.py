"""Forms of the activity pages: manual entry (with gym sets), edit, and the list filters.

Values are typed in the person's units and zone and converted here to what the services take
(SI units, aware datetimes); the services still check every value themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imas.activities.models import Sport, Visibility
from imas.activities.templatetags.activity_format import (
    KG_PER_POUND,
    METRES_PER_MILE,
    METRES_PER_YARD,
)

_DURATION = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,4})(?::(\d{1,2}))?\s*$")

DISTANCE_UNITS = {
    "km": 1000.0,
    "m": 1.0,
    "mi": METRES_PER_MILE,
    "yd": METRES_PER_YARD,
}


def parse_duration(text: str) -> float | None:
    """Seconds from "1:05:30" (h:mm:ss), "45:10" (mm:ss) or "45" (minutes); None if unreadable."""
    match = _DURATION.match(text)
    if not match:
        return None
    first, second, third = match.groups()
    if first is not None and third is not None:
        hours, minutes, seconds = int(first), int(second), int(third)
    elif first is not None:
        hours, minutes, seconds = 0, int(first), int(second)
    elif third is not None:
        hours, minutes, seconds = 0, int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(second), 0
    if (first is not None or third is not None) and seconds >= 60:
        return None
    if first is not None and third is not None and minutes >= 60:
        return None
    return float(hours * 3600 + minutes * 60 + seconds)


class ManualEntryForm(forms.Form):
    """What no device recorded: a gym session, a swim, a walk."""

    sport = forms.ChoiceField(label=_("Sport"), choices=Sport.choices, initial=Sport.GYM)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.CharField(
        label=_("Duration"),
        max_length=12,
        help_text=_("h:mm:ss, mm:ss or minutes"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1:05:00"}),
    )
    distance = forms.FloatField(label=_("Distance"), required=False, min_value=0)
    distance_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[("km", _("km")), ("m", _("m")), ("mi", _("mi")), ("yd", _("yd"))],
    )
    description = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.PRIVATE
    )

    def clean_duration(self) -> float:
        seconds = parse_duration(self.cleaned_data["duration"])
        if seconds is None or seconds <= 0:
            raise forms.ValidationError(_("Write the duration as h:mm:ss, mm:ss or minutes."))
        return seconds

    def distance_m(self) -> float | None:
        value = self.cleaned_data.get("distance")
        if value is None:
            return None
        return float(value) * DISTANCE_UNITS[self.cleaned_data["distance_unit"]]

    def start_time(self, zone: dt.tzinfo) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["date"], self.cleaned_data["time"], tzinfo=zone
        )


class ExerciseForm(forms.Form):
    """One exercise of a gym session: done for `sets` sets of `repetitions` at `weight`."""

    exercise = forms.CharField(label=_("Exercise"), max_length=100, required=False)
    sets = forms.IntegerField(label=_("Sets"), min_value=1, max_value=50, required=False)
    repetitions = forms.IntegerField(label=_("Reps"), min_value=0, max_value=10_000, required=False)
    weight = forms.FloatField(label=_("Weight"), min_value=0, max_value=2000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rows sit in a table under column headings, without <label>s: screen readers
        # need each box named.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_numbers = any(data.get(k) is not None for k in ("sets", "repetitions", "weight"))
        if has_numbers and not data.get("exercise"):
            raise forms.ValidationError(_("Name the exercise."))
        return data


ExerciseFormSet = forms.formset_factory(ExerciseForm, extra=3, max_num=60, validate_max=True)


def sets_from_exercises(rows: list[dict[str, Any]], imperial: bool) -> list[dict[str, Any]]:
    """The service's list of single sets from the form's exercise rows (weights to kg)."""
    sets: list[dict[str, Any]] = []
    for row in rows:
        if not row or not row.get("exercise"):
            continue
        weight = row.get("weight")
        weight_kg = None if weight is None else round(weight * (KG_PER_POUND if imperial else 1), 2)
        for _n in range(row.get("sets") or 1):
            sets.append(
                {
                    "exercise": row["exercise"],
                    "repetitions": row.get("repetitions"),
                    "weight_kg": weight_kg,
                }
            )
    return sets


class ActivityEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sport = forms.ChoiceField(label=_("Sport"), choices=Sport.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Visibility.choices)


class ListFilterForm(forms.Form):
    """The list's filters; anything unreadable is ignored rather than answered with an error."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    sport = forms.ChoiceField(
        label=_("Sport"), choices=[("", _("All sports")), *Sport.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
