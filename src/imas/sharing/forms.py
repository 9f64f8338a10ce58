"""Forms of the sharing pages (labels translated; the services check the values again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from imas.sharing.models import ProfileVisibility
from imas.sharing.services import (
    HIDE_ENDS_MAX_M,
    ZONE_MAX_RADIUS_M,
    ZONE_MIN_RADIUS_M,
)


class SharingSettingsForm(forms.Form):
    profile_visibility = forms.ChoiceField(
        label=_("Who sees your profile page"), choices=ProfileVisibility.choices
    )
    profile_shows_activities = forms.BooleanField(
        label=_("List on it the activities the visitor may see"), required=False
    )
    profile_shows_totals = forms.BooleanField(
        label=_("Show how many activities you have"), required=False
    )
    profile_shows_follow_counts = forms.BooleanField(
        label=_("Show how many followers you have"), required=False
    )
    hide_ends_m = forms.IntegerField(
        label=_("Hide the first and last metres of every activity"),
        min_value=0,
        max_value=HIDE_ENDS_MAX_M,
        help_text=_("Others do not see where your activities start and end. 0 hides nothing."),
    )


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Name (only you see it)"), max_length=80, required=False)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    radius_m = forms.FloatField(
        label=_("Radius in metres"),
        min_value=ZONE_MIN_RADIUS_M,
        max_value=ZONE_MAX_RADIUS_M,
        initial=200,
    )


class ActivitySharingForm(forms.Form):
    hide_map = forms.BooleanField(label=_("Hide the map and positions from others"), required=False)
    show_heartrate = forms.BooleanField(
        label=_("Show heart rate to others who may see the activity"), required=False
    )
