"""Activities: one summary row each, one compressed streams blob each, and durable import jobs.

Writes go through `imas.activities.services`, reads through `imas.activities.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imas.accounts.models import ActivityType

# The sport families that IMAS groups activities by (the file's own sport is kept too): the
# list a person's main activity is chosen from, which files activities whose file names no sport.
Sport = ActivityType


class Visibility(models.TextChoices):
    """Who may see an activity. Private is the default (DESIGN.md §8)."""

    PRIVATE = "private", _("Only me")
    FOLLOWERS = "followers", _("Followers")
    PUBLIC = "public", _("Everyone")


class Source(models.TextChoices):
    """How an activity came into IMAS."""

    UPLOAD = "upload", _("Upload")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    MANUAL = "manual", _("Manual entry")
    STRAVA = "strava", _("Strava")
    GARMIN = "garmin", _("Garmin")


class Activity(models.Model):
    """One activity of one person: the summary that lists, feeds and totals read.

    Detailed results (splits, laps, zones, best efforts, power curve) live in `analysis`;
    the per-point data lives in ActivityStreams. `route_polyline` is a small simplified route
    (Google encoded polyline, at most ~100 points) so lists draw previews without streams.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    name = models.CharField(_("name"), max_length=200)
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices)
    file_sport = models.CharField(max_length=40, blank=True, help_text="sport as the file said")
    file_sub_sport = models.CharField(max_length=40, blank=True)

    start_time = models.DateTimeField(_("start time"), help_text="UTC")
    start_utc_offset_s = models.IntegerField(
        null=True, blank=True, help_text="local offset from UTC at the start, when known"
    )
    start_timezone = models.CharField(max_length=64, blank=True, help_text="IANA zone, when known")

    elapsed_s = models.FloatField(null=True, blank=True)
    moving_s = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    ascent_m = models.FloatField(null=True, blank=True)
    descent_m = models.FloatField(null=True, blank=True)
    avg_speed_mps = models.FloatField(null=True, blank=True)
    max_speed_mps = models.FloatField(null=True, blank=True)
    avg_hr = models.FloatField(null=True, blank=True)
    max_hr = models.FloatField(null=True, blank=True)
    avg_cadence = models.FloatField(null=True, blank=True)
    avg_power_w = models.FloatField(null=True, blank=True)
    normalized_power_w = models.FloatField(null=True, blank=True)
    calories_kcal = models.FloatField(null=True, blank=True)
    calories_method = models.CharField(max_length=40, blank=True)
    steps = models.IntegerField(null=True, blank=True)
    trimp = models.FloatField(null=True, blank=True)
    tss = models.FloatField(null=True, blank=True)
    points = models.IntegerField(default=0)
    device = models.CharField(max_length=200, blank=True)

    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.UPLOAD)

    # The original file, content-addressed in the storage backend (see storage.py). A file that
    # holds several activities (multisport, chained FIT) gives several rows, told apart by
    # file_index. Empty for manual entries.
    original_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    original_name = models.CharField(max_length=255, blank=True)
    original_size = models.BigIntegerField(null=True, blank=True)
    original_format = models.CharField(max_length=8, blank=True)
    file_index = models.PositiveSmallIntegerField(default=0)

    analysis = models.JSONField(default=dict, blank=True)
    route_polyline = models.TextField(blank=True)
    description = models.TextField(_("description"), blank=True)

    # Set when another activity of the same person starts within 60 s with the same sport
    # family (the same activity from two sources): the person chooses which to keep.
    near_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_time", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "original_sha256", "file_index"],
                condition=~Q(original_sha256=""),
                name="activity_one_per_owner_file_index",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "-start_time", "-id"], name="activity_owner_start_id"),
            models.Index(fields=["owner", "sport", "-start_time"], name="activity_owner_sport"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sport}, {self.start_time:%Y-%m-%d})"


class ActivityStreams(models.Model):
    """The per-point data of one activity: one zstd-compressed columnar blob (see streams.py)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="streams"
    )
    data = models.BinaryField()
    names = models.CharField(max_length=200, help_text="comma-separated stream names in the blob")
    points = models.IntegerField()

    def __str__(self) -> str:
        return f"streams of activity {self.activity_id} ({self.points} points)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A durable bulk import (an archive or a set of files) that a worker carries out.

    The row, not the broker message, is the truth: a worker holds a lease while it works,
    and the sweeper re-queues jobs whose lease ran out (a killed worker), so every job
    finishes with every file imported exactly once.
    """

    class Kind(models.TextChoices):
        ARCHIVE = "archive", _("Archive")
        FILES = "files", _("Files")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.IMPORT)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    archive_sha256 = models.CharField(max_length=64, blank=True)
    archive_name = models.CharField(max_length=255, blank=True)
    sport = models.CharField(max_length=16, choices=Sport.choices, blank=True)
    total = models.IntegerField(null=True, blank=True, help_text="files found, once listed")
    error = models.TextField(blank=True)
    attempts = models.IntegerField(default=0)
    lease_token = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "lease_until"], name="importjob_status_lease")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.kind}, {self.status})"


class ImportItemStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CREATED = "created", _("Imported")
    DUPLICATE = "duplicate", _("Already there")
    FAILED = "failed", _("Failed")


class ImportItem(models.Model):
    """One file of an import job and its outcome."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.IntegerField()
    name = models.CharField(max_length=1024, help_text="archive member name or file path")
    status = models.CharField(
        max_length=16, choices=ImportItemStatus.choices, default=ImportItemStatus.PENDING
    )
    reason = models.TextField(blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activities_created = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="importitem_job_position")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"
