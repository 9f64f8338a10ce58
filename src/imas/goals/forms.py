"""The goal form: the target is typed in the person's units (km or mi, hours, m or ft)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imas.activities.models import Sport
from imas.goals.formatting import from_display, to_display
from imas.goals.models import Goal, Metric, Period


class GoalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    metric = forms.ChoiceField(label=_("Measure"), choices=Metric.choices)
    target = forms.FloatField(
        label=_("Target"),
        min_value=0.001,
        max_value=10_000_000,
        help_text=_("Distance in km (mi), time in hours, elevation in m (ft), energy in kcal."),
    )
    sport = forms.ChoiceField(
        label=_("Sport"), choices=[("", _("All sports")), *Sport.choices], required=False
    )
    period = forms.ChoiceField(
        label=_("Period"),
        choices=Period.choices,
        help_text=_("Weeks run Monday to Sunday, in your time zone."),
    )
    start_date = forms.DateField(
        label=_("Start"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the current period."),
    )
    end_date = forms.DateField(
        label=_("End (custom span)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recurring = forms.BooleanField(label=_("Repeat every period"), required=False)
    notify_email = forms.BooleanField(label=_("Email me when I reach it"), required=False)

    def __init__(self, *args: Any, units: str, goal: Goal | None = None, **kwargs: Any) -> None:
        if goal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": goal.name,
                "metric": goal.metric,
                "target": round(to_display(goal.metric, goal.target, units), 3),
                "sport": goal.sport,
                "period": goal.period,
                "start_date": goal.start_date,
                "end_date": goal.end_date,
                "recurring": goal.recurring,
                "notify_email": goal.notify_email,
            }
        super().__init__(*args, **kwargs)
        self.units = units

    def goal_fields(self, today: dt.date) -> dict[str, Any]:
        """The cleaned values as the services take them (target in SI units)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "metric": data["metric"],
            "target": from_display(data["metric"], data["target"], self.units),
            "sport": data["sport"] or "",
            "period": data["period"],
            "start_date": data["start_date"] or today,
            "end_date": data["end_date"] if data["period"] == Period.CUSTOM else None,
            "recurring": data["recurring"],
            "notify_email": data["notify_email"],
        }
