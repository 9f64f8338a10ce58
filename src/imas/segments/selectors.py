"""Reads of segments, efforts, leaderboards and personal records.

Access: a segment is seen by its owner, and by everyone when shared (`segment_get_for_viewer`
raises Segment.DoesNotExist alike for a missing id and one the viewer may not see). An effort
is seen only where its activity is (imas.activities.selectors.activity_visible_q): a
leaderboard never lists a private activity of someone else, and leaves out people whose privacy
zone the segment runs through (see privacy_hooks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from imas.activities.models import Activity
from imas.activities.selectors import Viewer, activity_visible_q
from imas.activities.streams import polyline_decode
from imas.segments.models import (
    PersonalRecord,
    RecordKind,
    Segment,
    SegmentEffort,
    SegmentVisibility,
)
from imas.segments.privacy_hooks import points_hidden
from imas.sharing.zones import effort_in_hidden_ends

LEADERBOARD_SIZE = 20
# Efforts read to build a leaderboard: the fastest ones, enough for 20 distinct people.
LEADERBOARD_SCAN = 5000
# Columns of an activity that lists next to efforts and records never need (the analysis can be
# tens of kilobytes each).
_ACTIVITY_HEAVY = ("activity__analysis", "activity__description", "activity__route_polyline")


def _viewer_id(viewer: Viewer) -> int | None:
    if viewer is None or not viewer.is_authenticated:
        return None
    pk: Any = viewer.pk
    return int(pk)


def segment_visible_q(viewer: Viewer) -> Q:
    viewer_id = _viewer_id(viewer)
    visible = Q(visibility=SegmentVisibility.SHARED)
    if viewer_id is not None:
        visible |= Q(owner_id=viewer_id)
    return visible


def segment_get_for_viewer(viewer: Viewer, segment_id: int) -> Segment:
    """The segment if the viewer may see it; DoesNotExist otherwise (missing alike). A shared
    segment that now runs through its owner's privacy zone is hidden from everyone else."""
    segment = Segment.objects.select_related("owner").get(segment_visible_q(viewer), pk=segment_id)
    if segment.owner_id != _viewer_id(viewer) and _in_owners_zone(segment):
        raise Segment.DoesNotExist
    return segment


def _in_owners_zone(segment: Segment) -> bool:
    """Whether the segment's ends or route preview fall in its owner's privacy zones."""
    return _preview_hidden(int(segment.owner_id), segment)


def _preview_hidden(person_id: int, segment: Segment) -> bool:
    """Whether the segment's ends or route preview fall in this person's privacy zones (read
    from the preview of at most ~100 points, so lists need not load every path)."""
    route = polyline_decode(segment.route_polyline) if segment.route_polyline else []
    points = [(segment.start_lat, segment.start_lon), (segment.end_lat, segment.end_lon), *route]
    lat = np.array([p[0] for p in points], dtype=np.float64)
    lon = np.array([p[1] for p in points], dtype=np.float64)
    return bool(np.any(points_hidden(person_id, lat, lon)))


def segment_get_for_owner(viewer: Viewer, segment_id: int) -> Segment:
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        raise Segment.DoesNotExist
    return Segment.objects.get(pk=segment_id, owner_id=viewer_id)


def segment_list(
    *, viewer: Viewer, mine: bool = False, sport: str | None = None, search: str | None = None
) -> QuerySet[Segment]:
    """Segments the viewer may see (only their own with mine), by name; points deferred."""
    viewer_id = _viewer_id(viewer)
    qs = Segment.objects.filter(segment_visible_q(viewer))
    if mine:
        qs = qs.filter(owner_id=viewer_id) if viewer_id is not None else qs.none()
    if sport:
        qs = qs.filter(sport=sport)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.defer("points").select_related("owner").order_by("name", "pk")


def segments_shown(segments: list[Segment], viewer: Viewer) -> list[Segment]:
    """A page of segment_list without other people's segments that now run through their
    privacy zones."""
    viewer_id = _viewer_id(viewer)
    return [s for s in segments if s.owner_id == viewer_id or not _in_owners_zone(s)]


def _visible_efforts(viewer: Viewer) -> QuerySet[SegmentEffort]:
    visible = Activity.objects.filter(activity_visible_q(viewer)).values("pk")
    return SegmentEffort.objects.filter(activity_id__in=visible)


def segment_efforts_of(segment: Segment, viewer: Viewer) -> list[SegmentEffort]:
    """The viewer's own efforts on the segment, oldest first, each with `personal_rank`."""
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return []
    efforts = list(
        SegmentEffort.objects.filter(segment=segment, owner_id=viewer_id)
        .select_related("activity")
        .only(
            "id",
            "segment_id",
            "activity_id",
            "owner_id",
            "start_index",
            "end_index",
            "start_time",
            "elapsed_s",
            "moving_s",
            "distance_m",
            "avg_hr",
            "avg_power_w",
            "activity__name",
            "activity__start_time",
        )
        .order_by("start_time", "pk")
    )
    _rank_in_place(efforts)
    return efforts


def _rank_in_place(efforts: list[SegmentEffort]) -> None:
    """personal_rank 1 = fastest (ties: the earlier effort ranks first)."""
    order = sorted(efforts, key=lambda e: (e.elapsed_s, e.start_time, e.pk))
    for rank, effort in enumerate(order, start=1):
        effort.personal_rank = rank  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    owner_id: int
    owner_name: str
    effort: SegmentEffort
    is_viewer: bool


def _hides_segment(owner_id: int, segment: Segment) -> bool:
    points = segment.points or []
    if not points:
        return False
    lat = np.array([p[0] for p in points], dtype=np.float64)
    lon = np.array([p[1] for p in points], dtype=np.float64)
    return bool(np.any(points_hidden(owner_id, lat, lon)))


def segment_leaderboard(
    segment: Segment, viewer: Viewer, limit: int = LEADERBOARD_SIZE
) -> tuple[list[LeaderRow], LeaderRow | None]:
    """Each person's fastest effort among the efforts the viewer may see, fastest first;
    and the viewer's own row when it falls outside the first `limit`."""
    viewer_id = _viewer_id(viewer)
    efforts = (
        _visible_efforts(viewer)
        .filter(segment=segment)
        .select_related("owner")
        .order_by("elapsed_s", "start_time", "pk")[:LEADERBOARD_SCAN]
    )
    rows: list[LeaderRow] = []
    mine: LeaderRow | None = None
    seen: set[int] = set()
    hidden: dict[int, bool] = {}
    for effort in efforts:
        owner_id = int(effort.owner_id)
        if owner_id in seen:
            continue
        if owner_id != viewer_id:
            if owner_id not in hidden:
                hidden[owner_id] = _hides_segment(owner_id, segment)
            if hidden[owner_id] or effort_in_hidden_ends(effort):
                continue
        seen.add(owner_id)
        row = LeaderRow(
            rank=len(seen),
            owner_id=owner_id,
            owner_name=_display_name(effort.owner),
            effort=effort,
            is_viewer=owner_id == viewer_id,
        )
        if len(rows) < limit:
            rows.append(row)
        elif row.is_viewer:
            mine = row
            break
    return rows, mine


def _display_name(user: Any) -> str:
    for attr in ("name", "display_name", "first_name"):
        value = getattr(user, attr, "")
        if value:
            return str(value)
    return str(getattr(user, "email", "")).split("@", 1)[0]


def segment_best_of(segment: Segment, viewer: Viewer) -> SegmentEffort | None:
    """The viewer's record on the segment."""
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return None
    return (
        SegmentEffort.objects.filter(segment=segment, owner_id=viewer_id)
        .select_related("activity")
        .defer(*_ACTIVITY_HEAVY)
        .order_by("elapsed_s", "start_time", "pk")
        .first()
    )


def segment_effort_counts(segment: Segment, viewer: Viewer) -> dict[str, int]:
    """How many efforts and people the viewer can see on the segment."""
    agg = (
        _visible_efforts(viewer)
        .filter(segment=segment)
        .aggregate(efforts=Count("pk"), people=Count("owner_id", distinct=True))
    )
    return {"efforts": int(agg["efforts"] or 0), "people": int(agg["people"] or 0)}


@dataclass(frozen=True)
class ActivityEffort:
    """An effort on the activity page: the segment, the figures, and where it ranks among
    the activity owner's own efforts on that segment."""

    effort: SegmentEffort
    segment: Segment
    personal_rank: int
    attempts: int

    @property
    def is_record(self) -> bool:
        return self.personal_rank == 1 and self.attempts > 1


def activity_efforts(activity: Activity, viewer: Viewer) -> list[ActivityEffort]:
    """The segments the activity crossed (that the viewer may see), in the order crossed.
    The caller has checked that the viewer may see the activity."""
    efforts = list(
        SegmentEffort.objects.filter(activity=activity)
        .filter(segment__in=Segment.objects.filter(segment_visible_q(viewer)).values("pk"))
        .select_related("segment")
        .defer("segment__points")
        .order_by("start_time", "pk")
    )
    if _viewer_id(viewer) != activity.owner_id:
        # Someone else's activity: a segment through the owner's privacy zone would tell
        # that they were there.
        owner_id = int(activity.owner_id)
        efforts = [e for e in efforts if not _preview_hidden(owner_id, e.segment)]
    if not efforts:
        return []
    if _viewer_id(viewer) != activity.owner_id:
        # Others never see an effort on a segment through the owner's privacy zones.
        owner_id = int(activity.owner_id)
        efforts = [
            e
            for e in efforts
            if not _hides_segment(owner_id, e.segment) and not effort_in_hidden_ends(e)
        ]
        if not efforts:
            return []
    segment_ids = {e.segment_id for e in efforts}
    others: dict[int, list[tuple[float, dt.datetime, int]]] = {}
    for sid, elapsed, start, pk in SegmentEffort.objects.filter(
        owner_id=activity.owner_id, segment_id__in=segment_ids
    ).values_list("segment_id", "elapsed_s", "start_time", "pk"):
        others.setdefault(sid, []).append((elapsed, start, pk))
    out = []
    for effort in efforts:
        times = sorted(others.get(effort.segment_id, []))
        rank = 1 + times.index((effort.elapsed_s, effort.start_time, effort.pk))
        out.append(ActivityEffort(effort, effort.segment, rank, len(times)))
    return out


# --- personal records -------------------------------------------------------------------------


def records_current(user: Viewer, sport: str | None = None) -> QuerySet[PersonalRecord]:
    """The person's standing records, with the activity each came from."""
    user_id = _viewer_id(user)
    if user_id is None:
        return PersonalRecord.objects.none()
    qs = PersonalRecord.objects.filter(owner_id=user_id, is_current=True)
    if sport:
        qs = qs.filter(sport=sport)
    return qs.select_related("activity").defer(*_ACTIVITY_HEAVY).order_by("sport", "kind", "key")


def records_recent(
    user: Viewer, *, days: int = 30, limit: int = 10, now: dt.datetime | None = None
) -> list[PersonalRecord]:
    """Records broken in the last `days` (newest first), for the dashboard. A first value
    (nothing to break yet) is not a broken record and is left out."""
    user_id = _viewer_id(user)
    if user_id is None:
        return []
    since = (now or timezone.now()) - dt.timedelta(days=days)
    return list(
        PersonalRecord.objects.filter(
            owner_id=user_id, previous_value__isnull=False, achieved_at__gte=since
        )
        .select_related("activity")
        .defer(*_ACTIVITY_HEAVY)
        .order_by("-achieved_at", "kind", "key")[:limit]
    )


def records_for_activity(activity: Activity) -> list[PersonalRecord]:
    """Records this activity set that beat an earlier best (for marks on its page)."""
    return list(
        PersonalRecord.objects.filter(activity=activity, previous_value__isnull=False).order_by(
            "kind", "key"
        )
    )


def record_label(record: PersonalRecord) -> str:
    """A short name: "5km", "Best power 5 min", "Longest distance"."""
    kind = RecordKind(record.kind)
    if kind == RecordKind.BEST_EFFORT:
        return str(record.key).replace("_", " ")
    if kind == RecordKind.BEST_POWER:
        seconds = int(record.key) if record.key.isdigit() else 0
        span = f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"
        return f"{kind.label} {span}"
    return str(kind.label)
