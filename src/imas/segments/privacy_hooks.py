"""Where segments meet privacy (DESIGN.md §8): privacy zones, and this app's part of a person's
data export and erasure (imas.privacy.registry).

Zones live in the sharing app: `imas.sharing.zones` offers
`points_hidden(owner_id, lat, lon) -> bool array` (True for a point inside one of the owner's
zones), and this app uses it to
- refuse to share a segment that runs through its creator's zone;
- leave out of a leaderboard anyone whose zone the segment runs through (their effort would
  tell that they were there), except for that person themself.

Export: the person's segments (with their paths), their efforts, their personal records.
Erasure: their segments (with everyone's efforts on them: the segment was theirs), their
efforts on other people's segments and their records. Cells are derived from activities and
go with them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PARTS = ("segments",)


def points_hidden(owner_id: int, lat: FloatArray, lon: FloatArray) -> BoolArray:
    """Which of these points lie inside the owner's privacy zones."""
    try:
        from imas.sharing.zones import points_hidden as zones_points_hidden
    except ImportError:
        return np.zeros(np.asarray(lat).shape, dtype=np.bool_)
    hidden: BoolArray = np.asarray(zones_points_hidden(owner_id, lat, lon), dtype=np.bool_)
    return hidden


def segments_export(user: Any, writer: Any) -> None:
    from imas.privacy.registry import model_rows
    from imas.segments.models import PersonalRecord, Segment, SegmentEffort

    if not writer.wants("segments"):
        return
    writer.json(
        "segments/segments.json",
        model_rows(Segment.objects.filter(owner=user).order_by("id"), exclude=("owner",)),
    )
    writer.json(
        "segments/efforts.json",
        model_rows(
            SegmentEffort.objects.filter(owner=user).order_by("start_time", "id"),
            exclude=("owner",),
        ),
    )
    writer.json(
        "segments/records.json",
        model_rows(
            PersonalRecord.objects.filter(owner=user).order_by("achieved_at", "id"),
            exclude=("owner",),
        ),
    )


def segments_erase(user: Any) -> None:
    from imas.segments.models import PersonalRecord, RecordsState, Segment, SegmentEffort

    RecordsState.objects.filter(owner=user).delete()
    PersonalRecord.objects.filter(owner=user).delete()
    SegmentEffort.objects.filter(owner=user).delete()
    Segment.objects.filter(owner=user).delete()


def _register() -> None:
    try:
        from imas.privacy.registry import register
    except ImportError:  # a platform without the privacy app
        return
    register("segments", parts=PARTS, exporter=segments_export, eraser=segments_erase)


_register()
