"""Reads of activities and import jobs.

Access checks have one entry point per object kind (`activity_get_for_viewer`,
`import_job_get_for_viewer`). Each raises the model's DoesNotExist alike for an id that does
not exist and for one the viewer may not see, so nobody can probe for other people's ids.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from imas.activities.models import (
    Activity,
    ActivityStreams,
    ImportItem,
    ImportItemStatus,
    ImportJob,
)
from imas.activities.streams import FloatArray, streams_unpack

Viewer = AbstractBaseUser | AnonymousUser | None

# Columns that lists never need: the detailed analysis can be tens of kilobytes per activity.
LIST_DEFERRED = ("analysis", "description")


def _viewer_id(viewer: Viewer) -> int | None:
    if viewer is None or not viewer.is_authenticated:
        return None
    pk: Any = viewer.pk
    return int(pk)


def activity_visible_q(viewer: Viewer) -> Q:
    """Activities the viewer may see. The policy (owner; public for anyone not blocked;
    followers for approved followers not blocked) lives in imas.sharing.selectors."""
    from imas.sharing.selectors import activity_visible_q as sharing_visible_q

    return sharing_visible_q(viewer)


def activity_get_for_viewer(viewer: Viewer, activity_id: int) -> Activity:
    """The activity if the viewer may see it; Activity.DoesNotExist otherwise (missing alike)."""
    return Activity.objects.select_related("owner").get(activity_visible_q(viewer), pk=activity_id)


def activity_get_for_owner(owner: Viewer, activity_id: int) -> Activity:
    """The activity if the viewer owns it (edit, delete, original file); DoesNotExist otherwise."""
    viewer_id = _viewer_id(owner)
    if viewer_id is None:
        raise Activity.DoesNotExist
    return Activity.objects.select_related("owner").get(pk=activity_id, owner_id=viewer_id)


def activity_list(
    *,
    owner: Viewer,
    sport: str | None = None,
    start_from: dt.datetime | None = None,
    start_to: dt.datetime | None = None,
    search: str | None = None,
) -> QuerySet[Activity]:
    """A person's activities, newest first, filtered; the heavy columns are deferred."""
    viewer_id = _viewer_id(owner)
    if viewer_id is None:
        return Activity.objects.none()
    qs = Activity.objects.filter(owner_id=viewer_id)
    if sport:
        qs = qs.filter(sport=sport)
    if start_from is not None:
        qs = qs.filter(start_time__gte=start_from)
    if start_to is not None:
        qs = qs.filter(start_time__lt=start_to)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return qs.defer(*LIST_DEFERRED).order_by("-start_time", "-id")


def activity_streams(activity: Activity) -> dict[str, FloatArray]:
    """The per-point arrays of an activity (empty for a manual entry)."""
    try:
        row = ActivityStreams.objects.get(activity_id=activity.pk)
    except ActivityStreams.DoesNotExist:
        return {}
    return streams_unpack(bytes(row.data))


def activity_near_duplicates(activity: Activity) -> QuerySet[Activity]:
    """The owner's other activities flagged as the same one as this (either direction)."""
    return (
        Activity.objects.filter(owner_id=activity.owner_id)
        .filter(Q(near_duplicate_of_id=activity.pk) | Q(pk=activity.near_duplicate_of_id or 0))
        .exclude(pk=activity.pk)
        .defer(*LIST_DEFERRED)
    )


def import_job_get_for_viewer(viewer: Viewer, job_id: int) -> ImportJob:
    """The import job if the viewer started it; ImportJob.DoesNotExist otherwise."""
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        raise ImportJob.DoesNotExist
    return ImportJob.objects.get(pk=job_id, owner_id=viewer_id)


def import_jobs_of(viewer: Viewer) -> QuerySet[ImportJob]:
    """The viewer's import jobs, newest first."""
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(owner_id=viewer_id).order_by("-created_at", "-id")


def import_job_counts(job: ImportJob) -> dict[str, int]:
    """How many files are waiting, created, duplicate and failed."""
    rows = ImportItem.objects.filter(job=job).values("status").annotate(n=Count("id"))
    counts = {status.value: 0 for status in ImportItemStatus}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def import_job_items(job: ImportJob) -> QuerySet[ImportItem]:
    return ImportItem.objects.filter(job=job).order_by("position")
