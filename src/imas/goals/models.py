"""Goals: a target on a sum of a person's activities over a week, month, year or custom span.

Writes go through `imas.goals.services`, reads through `imas.goals.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from imas.activities.models import Sport


class Period(models.TextChoices):
    """How long one period of a goal is. Weeks run Monday to Sunday in the person's zone."""

    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom span")


class Metric(models.TextChoices):
    """What a goal adds up. Targets are stored in SI units: metres, seconds, kcal."""

    DISTANCE = "distance", _("Distance")
    TIME = "time", _("Time")
    COUNT = "count", _("Number of activities")
    ELEVATION = "elevation", _("Elevation gain")
    ENERGY = "energy", _("Energy")


class Goal(models.Model):
    """One person's goal, e.g. "run 100 km a month" or "10 hours of anything this spring".

    `sport` empty means every sport. For week/month/year goals `start_date` is the first day of
    the first period; a custom span runs from `start_date` to `end_date` inclusive. A recurring
    goal repeats its period back to back from there on.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices, blank=True)
    metric = models.CharField(_("measure"), max_length=10, choices=Metric.choices)
    target = models.FloatField(_("target"), help_text="metres, seconds, activities or kcal")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    recurring = models.BooleanField(_("repeat every period"), default=False)
    notify_email = models.BooleanField(_("email me when I reach it"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="goal_owner_created")]

    def __str__(self) -> str:
        return self.name or f"{self.metric} {self.target:g} per {self.period}"


class GoalAchievement(models.Model):
    """A goal reached in one of its periods. One row per goal and period at most (the
    constraint is what makes the note and the email happen once, however often we recompute)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="achievements")
    period_first = models.DateField()
    period_last = models.DateField()
    value = models.FloatField(help_text="the total when the goal was found reached")
    reached_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reached_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "period_first"], name="goalachievement_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"goal {self.goal_id} reached for {self.period_first}..{self.period_last}"
