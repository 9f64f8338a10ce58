"""The activities app's part of a person's export and erasure (registered with imas.privacy)."""

from __future__ import annotations

from typing import Any

from imas.privacy.registry import ExportWriter, model_rows, register


def export(user: Any, writer: ExportWriter) -> None:
    from imas.activities import storage
    from imas.activities.export import activity_gpx
    from imas.activities.models import Activity, ImportJob
    from imas.activities.selectors import activity_streams

    if not writer.wants("activities"):
        return
    activities = Activity.objects.filter(owner=user).order_by("start_time", "id")
    writer.json(
        "activities/activities.json",
        model_rows(activities, exclude=("owner", "near_duplicate_of")),
    )
    for activity in activities.iterator():
        folder = f"activities/{activity.pk}"
        if activity.original_sha256:
            try:
                data = storage.blob_read(storage.ORIGINALS, activity.original_sha256)
            except FileNotFoundError:
                data = None
            if data is not None:
                writer.file(f"{folder}/original.{activity.original_format or 'bin'}", data)
        if activity.points:
            writer.file(
                f"{folder}/activity.gpx",
                activity_gpx(activity, activity_streams(activity), with_hr=True),
            )
    writer.json(
        "activities/imports.json",
        model_rows(
            ImportJob.objects.filter(owner=user),
            exclude=("owner", "lease_token", "lease_until", "archive_sha256"),
        ),
    )


def erase(user: Any) -> None:
    from imas.activities.models import Activity, ImportJob

    # Stored originals and archives follow their rows once the erasure commits
    # (activities' files_follow_rows, connected to post_delete).
    Activity.objects.filter(owner=user).delete()
    ImportJob.objects.filter(owner=user).delete()


register("activities", parts=("activities",), exporter=export, eraser=erase)
