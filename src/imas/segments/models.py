"""Segments, the efforts made on them, the cell index that finds them, and personal records.

Writes go through `imas.segments.services`, reads through `imas.segments.selectors`.
Matching itself is pure (imas.track.segments); the cells (imas.track.geoindex) live in two
indexed tables so that "which segments may this activity follow" and "which activities may
follow this segment" are database queries, not scans.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from imas.activities.models import Sport


class SegmentVisibility(models.TextChoices):
    """Who sees a segment and whose activities are matched against it."""

    PRIVATE = "private", _("Only me")
    SHARED = "shared", _("Everyone")


class SegmentSource(models.TextChoices):
    ACTIVITY = "activity", _("Part of an activity")
    GPX = "gpx", _("GPX route")


class Segment(models.Model):
    """A stretch of road or trail that activities are timed on.

    `points` is the path as [[lat, lon, alt or null], ...]; `cell_count` is the number of its
    SegmentCell rows (the candidate query compares against it).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=200)
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=SegmentVisibility.choices,
        default=SegmentVisibility.PRIVATE,
    )
    source = models.CharField(max_length=16, choices=SegmentSource.choices)
    source_activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.JSONField(default=list)
    length_m = models.FloatField()
    ascent_m = models.FloatField(null=True, blank=True)
    descent_m = models.FloatField(null=True, blank=True)
    min_alt_m = models.FloatField(null=True, blank=True)
    max_alt_m = models.FloatField(null=True, blank=True)
    start_lat = models.FloatField()
    start_lon = models.FloatField()
    end_lat = models.FloatField()
    end_lon = models.FloatField()
    route_polyline = models.TextField(blank=True)
    cell_count = models.IntegerField(default=0)
    backfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "name"], name="segment_owner_name"),
            models.Index(fields=["visibility", "sport"], name="segment_visibility_sport"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sport}, {self.length_m / 1000:.2f} km)"


class SegmentCell(models.Model):
    """One cell (imas.track.geoindex) that a segment passes through."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="cells")
    cell = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["segment", "cell"], name="segmentcell_unique")
        ]
        indexes = [models.Index(fields=["cell", "segment"], name="segmentcell_cell")]

    def __str__(self) -> str:
        return f"segment {self.segment_id} cell {self.cell}"


class ActivityCell(models.Model):
    """One cell within reach of an activity's track (the activities app keeps none, so this
    app keeps them, filled when an activity is matched)."""

    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="segment_cells"
    )
    cell = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "cell"], name="activitycell_unique")
        ]
        indexes = [models.Index(fields=["cell", "activity"], name="activitycell_cell")]

    def __str__(self) -> str:
        return f"activity {self.activity_id} cell {self.cell}"


class ActivityMatchState(models.Model):
    """That an activity's cells are stored and it was matched against every segment then.

    Activities without a row (uploaded before this app existed, or whose task was lost) are
    what `imas segments_backfill` picks up.
    """

    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="segment_match_state",
    )
    cells = models.IntegerField(default=0)
    efforts = models.IntegerField(default=0)
    matched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"activity {self.activity_id} matched at {self.matched_at:%Y-%m-%d %H:%M}"


class SegmentEffort(models.Model):
    """One pass of an activity over a segment. `owner` repeats the activity's owner so that
    leaderboards group by person without a join; `start_index`/`end_index` are sample
    positions in the activity's streams (the page highlights that stretch)."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="efforts")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="segment_efforts"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="segment_efforts"
    )
    start_index = models.IntegerField()
    end_index = models.IntegerField()
    start_time = models.DateTimeField()
    elapsed_s = models.FloatField()
    moving_s = models.FloatField()
    distance_m = models.FloatField()
    avg_hr = models.FloatField(null=True, blank=True)
    avg_power_w = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "activity", "start_index"], name="effort_one_per_pass"
            )
        ]
        indexes = [
            models.Index(fields=["segment", "elapsed_s"], name="effort_segment_time"),
            models.Index(fields=["owner", "segment", "elapsed_s"], name="effort_owner_segment"),
            models.Index(fields=["activity"], name="effort_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.segment_id} in {self.activity_id}: {self.elapsed_s:.0f} s"


class RecordKind(models.TextChoices):
    """What a personal record measures. Higher is better except for best efforts (times)."""

    LONGEST_DISTANCE = "longest_distance", _("Longest distance")
    LONGEST_TIME = "longest_time", _("Longest moving time")
    BIGGEST_CLIMB = "biggest_climb", _("Biggest climb")
    BEST_EFFORT = "best_effort", _("Fastest time")
    BEST_POWER = "best_power", _("Best power")


class PersonalRecord(models.Model):
    """A personal best at the moment it was set, with the activity that set it.

    The chronological chain for each (sport, kind, key) is kept: `previous_value` is the best
    it broke (None for the first value), `is_current` marks the standing record. `key` names
    the distance ("5km") of a best effort or the duration in seconds ("300") of best power.
    Rebuilt from the activities whenever one is added, edited or deleted.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_records"
    )
    sport = models.CharField(max_length=16, choices=Sport.choices)
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    key = models.CharField(max_length=32, blank=True)
    value = models.FloatField(help_text="metres, seconds or watts")
    previous_value = models.FloatField(null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="personal_records"
    )
    achieved_at = models.DateTimeField()
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-achieved_at", "id"]
        indexes = [
            models.Index(fields=["owner", "is_current", "sport"], name="record_owner_current"),
            models.Index(fields=["owner", "-achieved_at"], name="record_owner_recent"),
            models.Index(fields=["activity"], name="record_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.value:g} ({self.sport})"


class RecordsState(models.Model):
    """Whether a rebuild of a person's records is already on its way.

    An import of thousands of activities sends thousands of events; each rebuild reads all of
    the person's activities, so they are coalesced: an event asks for a rebuild only when none
    is pending (or the pending one is older than a few minutes: its task was lost), and the
    rebuild clears the flag before it reads, so no event after that is missed.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="records_state",
    )
    pending = models.BooleanField(default=False)
    pending_since = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"records of {self.owner_id}: {'pending' if self.pending else 'done'}"
