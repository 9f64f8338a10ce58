"""A cache of daily totals per person, day and sport, kept up to date from activity events.

The activities stay the truth: every row here can be rebuilt from them at any time
(services.daily_totals_rebuild). The cache exists so that totals over years (the dashboard's
yearly chart, fitness over a year and more) read a few thousand narrow rows instead of every
wide activity row of a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DailyTotal(models.Model):
    """The sums of one person's activities of one sport that began on one local day (the day
    as the person's time zone had it when the row was computed; see TotalsState)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sport = models.CharField(max_length=16)
    count = models.IntegerField(default=0)
    distance_m = models.FloatField(default=0.0)
    moving_s = models.FloatField(default=0.0)
    ascent_m = models.FloatField(default=0.0)
    calories_kcal = models.FloatField(default=0.0)
    load = models.FloatField(default=0.0)
    load_count = models.IntegerField(default=0, help_text="activities that had a load")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "day", "sport"], name="dailytotal_one_per_owner_day_sport"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.day} {self.sport}: {self.count}"


class TotalsState(models.Model):
    """Whether a person's DailyTotal rows are complete, and in which time zone they were cut.

    No row, or a zone other than the person's current one, means: not usable; pages then sum
    the activities directly and a rebuild is queued."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    time_zone = models.CharField(max_length=64)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"daily totals of {self.owner_id} in {self.time_zone}"
