"""Writes of segments: create (from part of an activity, from a GPX route), edit, delete, and
matching (a new activity against the segments, a new segment against the activities).

Matching is indexed both ways (imas.track.geoindex): SegmentCell rows answer "which segments
lie wholly inside this activity's cells", ActivityCell rows "which activities' cells hold all of
this segment's cells"; exact geometry (imas.track.segments) runs on those candidates only.
Which segments an activity is matched against: those of its sport that are shared, and the
activity owner's own private ones.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import imas.track
from imas.activities.models import Activity, Sport
from imas.activities.selectors import activity_get_for_owner, activity_streams
from imas.activities.streams import (
    FloatArray,
    downsample_indices,
    polyline_encode,
    route_simplify,
)
from imas.segments.models import (
    ActivityCell,
    ActivityMatchState,
    Segment,
    SegmentCell,
    SegmentEffort,
    SegmentSource,
    SegmentVisibility,
)
from imas.segments.privacy_hooks import points_hidden
from imas.track.geoindex import IntArray
from imas.track.metrics.distance import build_path, geodesic_steps
from imas.track.metrics.elevation import elevation
from imas.track.metrics.moving import detect_moving
from imas.track.metrics.timeline import build_timeline
from imas.track.segments import (
    Effort,
    SegmentGeometry,
    SegmentGeometryError,
    TrackGeometry,
    match_segments,
    segment_geometry,
    track_geometry,
)

logger = logging.getLogger(__name__)

MAX_GPX_BYTES = 5 * 1024 * 1024
MAX_STORED_POINTS = 5000  # a segment's path is kept to this many points (shape kept)
MIN_POINT_SPACING_M = 1.0  # points closer than this to the previous one add nothing
# cell__in lists are sent in chunks: SQLite allows 32,766 variables per statement.
CELL_CHUNK = 5000
SEGMENT_SPORTS = tuple(s for s in Sport.values if s not in (Sport.GYM, Sport.SWIMMING))


class SegmentInvalid(Exception):
    """A segment IMAS refuses; `field` names the input at fault, `message` what to do."""

    def __init__(self, field: str, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


# --- preparing activities and segments for the matcher -----------------------------------------


@dataclass
class PreparedActivity:
    """An activity's track in matcher form; `index` maps its samples to stream positions."""

    geometry: TrackGeometry
    index: IntArray
    start: float  # epoch seconds of the first sample


def activity_prepare(activity: Activity, arrays: dict[str, FloatArray]) -> PreparedActivity | None:
    """The activity's samples in time order with the analysis's own moving flags, or None
    when it has no timed positions (a manual entry, a pool swim, a treadmill run)."""
    if "time" not in arrays or "lat" not in arrays or "lon" not in arrays:
        return None
    n = int(arrays["time"].shape[0])
    if n < 2:
        return None
    streams = {k: v for k, v in arrays.items() if k in imas.track.track.STREAMS}
    track = imas.track.Track.from_streams("fit", n, **streams)
    track.sport = activity.file_sport or activity.sport
    timeline = build_timeline(track)
    if not timeline.timed or not np.isfinite(timeline.t).all():
        return None
    lat, lon = timeline.take(track.lat), timeline.take(track.lon)
    path = build_path(lat, lon, timeline.t)
    if not path.has_positions:
        return None
    moving = detect_moving(timeline, path, None, None, track.sport).moving
    # Fixes the analysis threw out as glitches (a lone jump of hundreds of metres) are left
    # out here too: one such spike would otherwise fail an effort for leaving the corridor.
    glitch = path.valid <= 0
    lat, lon = np.where(glitch, np.nan, lat), np.where(glitch, np.nan, lon)
    try:
        geometry = track_geometry(
            timeline.t,
            lat,
            lon,
            hr=timeline.take(track.hr),
            power=timeline.take(track.power),
            moving=moving,
        )
    except ValueError as exc:  # a path too long to index (a corrupt file's wild jumps)
        logger.warning("activity %s cannot be matched: %s", activity.pk, exc)
        return None
    return PreparedActivity(geometry, timeline.index.astype(np.int64), float(timeline.t[0]))


def _segment_geometry(segment: Segment) -> SegmentGeometry | None:
    points = segment.points or []
    lat = np.array([p[0] for p in points], dtype=np.float64)
    lon = np.array([p[1] for p in points], dtype=np.float64)
    try:
        return segment_geometry(lat, lon)
    except SegmentGeometryError:
        logger.warning("segment %s has unusable geometry; skipped", segment.pk)
        return None


def _effort_rows(
    segment: Segment, activity: Activity, prepared: PreparedActivity, found: list[Effort]
) -> list[SegmentEffort]:
    return [
        SegmentEffort(
            segment=segment,
            activity=activity,
            owner_id=activity.owner_id,
            start_index=int(prepared.index[e.start_index]),
            end_index=int(prepared.index[e.end_index]),
            start_time=dt.datetime.fromtimestamp(e.start_time, tz=dt.UTC),
            elapsed_s=round(e.elapsed_s, 2),
            moving_s=round(e.moving_s, 2),
            distance_m=round(e.distance_m, 1),
            avg_hr=None if e.avg_hr is None else round(e.avg_hr, 1),
            avg_power_w=None if e.avg_power_w is None else round(e.avg_power_w, 1),
        )
        for e in found
    ]


def _match(
    activity: Activity, prepared: PreparedActivity, segments: Sequence[Segment]
) -> list[SegmentEffort]:
    """Efforts of the activity on these segments (all their ends located in one sweep)."""
    pairs = [(s, g) for s in segments if (g := _segment_geometry(s)) is not None]
    found = match_segments(prepared.geometry, [g for _s, g in pairs])
    rows: list[SegmentEffort] = []
    for (segment, _g), efforts in zip(pairs, found, strict=True):
        rows.extend(_effort_rows(segment, activity, prepared, efforts))
    return rows


def _chunks(values: Sequence[int], size: int = CELL_CHUNK) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --- a new (or edited) activity against the segments -------------------------------------------


def candidate_segments(*, cells: Sequence[int], sport: str, owner_id: int) -> list[Segment]:
    """Segments of this sport, shared or the owner's own, all of whose cells are in `cells`."""
    eligible = Q(segment__sport=sport) & (
        Q(segment__visibility=SegmentVisibility.SHARED) | Q(segment__owner_id=owner_id)
    )
    hits: Counter[int] = Counter()
    needed: dict[int, int] = {}
    for chunk in _chunks(list(cells)):
        rows = SegmentCell.objects.filter(eligible, cell__in=chunk).values_list(
            "segment_id", "segment__cell_count"
        )
        for segment_id, count in rows:
            hits[segment_id] += 1
            needed[segment_id] = count
    ids = [sid for sid, n in hits.items() if n == needed[sid]]
    return list(Segment.objects.filter(pk__in=ids).order_by("pk"))


def activity_match_segments(*, activity_id: int) -> int:
    """Store the activity's cells and (re)match it against every eligible segment; returns
    the number of efforts. Idempotent: the activity's cells and efforts are replaced."""
    activity = Activity.objects.filter(pk=activity_id).defer("analysis").first()
    if activity is None:
        return 0  # deleted meanwhile
    prepared = activity_prepare(activity, activity_streams(activity))
    cells: list[int] = [] if prepared is None else prepared.geometry.cells.tolist()
    efforts: list[SegmentEffort] = []
    if prepared is not None:
        candidates = candidate_segments(
            cells=cells, sport=activity.sport, owner_id=activity.owner_id
        )
        efforts = _match(activity, prepared, candidates)
    with transaction.atomic():
        # The activity row, locked, serialises two matchings of one activity (the event's task
        # and the periodic sweep) on PostgreSQL; SQLite serialises every write anyway.
        if not _lock_activity(activity_id):
            return 0
        ActivityCell.objects.filter(activity_id=activity_id).delete()
        SegmentEffort.objects.filter(activity_id=activity_id).delete()
        ActivityCell.objects.bulk_create(
            [ActivityCell(activity_id=activity_id, cell=c) for c in cells], batch_size=2000
        )
        SegmentEffort.objects.bulk_create(efforts, batch_size=500)
        ActivityMatchState.objects.update_or_create(
            activity_id=activity_id,
            defaults={"cells": len(cells), "efforts": len(efforts), "matched_at": timezone.now()},
        )
    return len(efforts)


def activities_unmatched_match(*, limit: int | None = None) -> int:
    """Match the activities that have never been matched (uploaded before this app, or whose
    task was lost): `imas segments_backfill` and a periodic task call this. Returns how many."""
    qs = (
        Activity.objects.filter(segment_match_state__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = list(qs[:limit] if limit else qs)
    for activity_id in ids:
        activity_match_segments(activity_id=activity_id)
    return len(ids)


# --- a new segment against the activities -------------------------------------------------------


def candidate_activities(*, segment: Segment, cells: Sequence[int]) -> list[int]:
    """Ids of the activities the segment may be on: of its sport (the owner's own only for a
    private segment), whose stored cells include all of the segment's cells."""
    if not cells:
        return []
    qs = ActivityCell.objects.filter(cell__in=list(cells), activity__sport=segment.sport)
    if segment.visibility != SegmentVisibility.SHARED:
        qs = qs.filter(activity__owner_id=segment.owner_id)
    hits: Counter[int] = Counter(qs.values_list("activity_id", flat=True))
    return sorted(aid for aid, n in hits.items() if n == len(cells))


def segment_backfill(*, segment_id: int) -> int:
    """Match the segment against every existing activity that may follow it; returns the
    number of efforts. Idempotent: the segment's efforts are replaced activity by activity."""
    segment = Segment.objects.filter(pk=segment_id).first()
    if segment is None:
        return 0
    cells = list(segment.cells.values_list("cell", flat=True))
    ids = set(candidate_activities(segment=segment, cells=cells))
    keep: set[int] = set()
    # The activity the segment came from may predate the cell index: always try it.
    if segment.source_activity_id and segment.source_activity_id not in ids:
        ids.add(segment.source_activity_id)
    total = 0
    for activity in Activity.objects.filter(pk__in=sorted(ids)).defer("analysis"):
        if activity.sport != segment.sport or not _may_match(segment, activity):
            continue
        prepared = activity_prepare(activity, activity_streams(activity))
        rows = [] if prepared is None else _match(activity, prepared, [segment])
        with transaction.atomic():
            if not _lock_activity(activity.pk):
                continue  # deleted meanwhile
            SegmentEffort.objects.filter(segment=segment, activity=activity).delete()
            SegmentEffort.objects.bulk_create(rows)
        keep.add(activity.pk)
        total += len(rows)
    # Efforts on activities that no longer qualify (the segment was made private) go.
    SegmentEffort.objects.filter(segment=segment).exclude(activity_id__in=keep).delete()
    Segment.objects.filter(pk=segment.pk).update(backfilled_at=timezone.now())
    return total


def _lock_activity(activity_id: int) -> bool:
    """Lock the activity's row until the transaction ends; False when it is gone."""
    return (
        Activity.objects.select_for_update().filter(pk=activity_id).values_list("pk").first()
        is not None
    )


def _may_match(segment: Segment, activity: Activity) -> bool:
    return segment.visibility == SegmentVisibility.SHARED or segment.owner_id == activity.owner_id


# --- creating, editing, deleting segments ------------------------------------------------------


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise SegmentInvalid("name", _("Give the segment a name of 1-200 characters."))
    if "\x00" in name:  # PostgreSQL cannot store it (a DataError, not a clear answer)
        raise SegmentInvalid("name", _("The name must not contain a NUL character."))
    return name


def _clean_choice(field: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise SegmentInvalid(field, _("Choose one of: %s.") % ", ".join(choices))
    return value


def _thin(lat: FloatArray, lon: FloatArray, alt: FloatArray) -> tuple[FloatArray, ...]:
    """Drop points that add nothing (closer than 1 m to the last kept) and keep at most
    MAX_STORED_POINTS evenly along the path."""
    keep = [0]
    steps = geodesic_steps(lat, lon)
    run = 0.0
    for i, step in enumerate(steps, start=1):
        run += float(step)
        if run >= MIN_POINT_SPACING_M or i == lat.size - 1:
            keep.append(i)
            run = 0.0
    idx = np.array(keep)
    idx = idx[downsample_indices(idx.size, MAX_STORED_POINTS)]
    return lat[idx], lon[idx], alt[idx]


def _segment_fields(
    lat: FloatArray, lon: FloatArray, alt: FloatArray
) -> tuple[SegmentGeometry, dict[str, Any]]:
    """Validate a path and work out what a Segment row stores about it."""
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon, alt = lat[ok], lon[ok], alt[ok]
    if lat.size >= 2:
        lat, lon, alt = _thin(lat, lon, alt)
    try:
        geometry = segment_geometry(lat, lon)
    except SegmentGeometryError as exc:
        raise SegmentInvalid("points", str(exc)) from exc
    elev = elevation(alt, np.arange(alt.size, dtype=np.float64), False)
    points = [
        [round(float(a), 6), round(float(b), 6), None if not np.isfinite(c) else round(float(c), 1)]
        for a, b, c in zip(lat, lon, alt, strict=True)
    ]
    fields = {
        "points": points,
        "length_m": round(geometry.length_m, 1),
        "ascent_m": None if elev.ascent_m is None else round(elev.ascent_m, 1),
        "descent_m": None if elev.descent_m is None else round(elev.descent_m, 1),
        "min_alt_m": elev.min_alt_m,
        "max_alt_m": elev.max_alt_m,
        "start_lat": float(lat[0]),
        "start_lon": float(lon[0]),
        "end_lat": float(lat[-1]),
        "end_lon": float(lon[-1]),
        "route_polyline": polyline_encode(route_simplify(lat, lon)),
        "cell_count": int(geometry.cells.size),
    }
    return geometry, fields


def _refuse_hidden_points(owner_id: int, lat: FloatArray, lon: FloatArray) -> None:
    if bool(np.any(points_hidden(owner_id, lat, lon))):
        raise SegmentInvalid(
            "visibility",
            _(
                "Part of this segment lies inside one of your privacy zones, so it cannot be "
                "shared. Keep it private or choose another stretch."
            ),
        )


def _segment_save(
    *,
    owner: Any,
    name: str,
    sport: str,
    visibility: str,
    source: str,
    source_activity: Activity | None,
    lat: FloatArray,
    lon: FloatArray,
    alt: FloatArray,
) -> Segment:
    name = _clean_name(name)
    sport = _clean_choice("sport", sport, SEGMENT_SPORTS)
    visibility = _clean_choice("visibility", visibility, SegmentVisibility.values)
    geometry, fields = _segment_fields(lat, lon, alt)
    if visibility == SegmentVisibility.SHARED:
        _refuse_hidden_points(int(owner.pk), geometry.lat, geometry.lon)
    with transaction.atomic():
        segment = Segment.objects.create(
            owner=owner,
            name=name,
            sport=sport,
            visibility=visibility,
            source=source,
            source_activity=source_activity,
            **fields,
        )
        SegmentCell.objects.bulk_create(
            [SegmentCell(segment=segment, cell=int(c)) for c in geometry.cells]
        )
        transaction.on_commit(lambda: _enqueue_backfill(segment.pk))
    return segment


def _enqueue_backfill(segment_id: int) -> None:
    from imas.segments.tasks import segment_backfill_task

    segment_backfill_task.delay(segment_id)


def segment_create_from_activity(
    *,
    owner: Any,
    activity_id: int,
    name: str,
    start_index: int | None = None,
    end_index: int | None = None,
    start_distance_m: float | None = None,
    end_distance_m: float | None = None,
    sport: str | None = None,
    visibility: str = SegmentVisibility.PRIVATE,
) -> Segment:
    """A segment from part of one of the owner's activities, chosen by sample positions in
    its streams or by distances along it (what a map or chart pick gives)."""
    try:
        activity = activity_get_for_owner(owner, activity_id)
    except Activity.DoesNotExist:
        raise SegmentInvalid("activity_id", _("No such activity."), status=404) from None
    arrays = activity_streams(activity)
    if "lat" not in arrays or "lon" not in arrays:
        raise SegmentInvalid("activity_id", _("This activity has no route to take a segment from."))
    n = int(arrays["lat"].shape[0])
    if start_index is not None or end_index is not None:
        if start_index is None or end_index is None:
            raise SegmentInvalid("end_index", _("Give both start_index and end_index."))
        first, last = int(start_index), int(end_index)
    elif start_distance_m is not None and end_distance_m is not None:
        first, last = _indices_at(arrays, float(start_distance_m), float(end_distance_m))
    else:
        raise SegmentInvalid(
            "start_index",
            _("Say where the segment starts and ends: sample indices or distances."),
        )
    if not 0 <= first < last < n:
        raise SegmentInvalid(
            "end_index",
            _("Start and end must lie within the activity (0-%(last)d), start before end.")
            % {"last": n - 1},
        )
    span = slice(first, last + 1)
    alt = arrays.get("alt")
    return _segment_save(
        owner=owner,
        name=name,
        sport=sport or activity.sport,
        visibility=visibility,
        source=SegmentSource.ACTIVITY,
        source_activity=activity,
        lat=arrays["lat"][span],
        lon=arrays["lon"][span],
        alt=alt[span] if alt is not None else np.full(last + 1 - first, np.nan),
    )


def _indices_at(arrays: dict[str, FloatArray], start_m: float, end_m: float) -> tuple[int, int]:
    dist = arrays.get("dist")
    if dist is None or not np.isfinite(dist).any():
        raise SegmentInvalid("start_distance_m", _("This activity has no distances; use indices."))
    if not (np.isfinite(start_m) and np.isfinite(end_m)) or start_m < 0 or end_m <= start_m:
        raise SegmentInvalid("end_distance_m", _("The end must lie further along than the start."))
    ok = np.isfinite(dist)
    filled = np.maximum.accumulate(np.where(ok, dist, -np.inf))
    filled = np.where(np.isfinite(filled), filled, 0.0)
    first = int(np.searchsorted(filled, start_m, side="left"))
    last = int(np.searchsorted(filled, end_m, side="left"))
    return first, min(last, filled.size - 1)


def segment_create_from_gpx(
    *,
    owner: Any,
    data: bytes,
    name: str | None,
    sport: str,
    visibility: str = SegmentVisibility.PRIVATE,
) -> Segment:
    """A segment from a GPX route or track (its first one with a path)."""
    if len(data) > MAX_GPX_BYTES:
        raise SegmentInvalid(
            "file", _("The file is larger than %d MB.") % (MAX_GPX_BYTES // 2**20), status=413
        )
    if not data:
        raise SegmentInvalid("file", _("The file is empty."), status=400)
    try:
        tracks = imas.track.read(data)
    except imas.track.TrackError as exc:
        raise SegmentInvalid("file", _("The file cannot be read: %s") % exc) from exc
    for track in tracks:
        if track.source_format != "gpx":
            raise SegmentInvalid("file", _("Upload a GPX file (a route or a track)."))
        if np.count_nonzero(np.isfinite(track.lat) & np.isfinite(track.lon)) >= 2:
            return _segment_save(
                owner=owner,
                name=name or track.name or _("Segment"),
                sport=sport,
                visibility=visibility,
                source=SegmentSource.GPX,
                source_activity=None,
                lat=track.lat,
                lon=track.lon,
                alt=track.alt,
            )
    raise SegmentInvalid("file", _("The GPX holds no route or track with positions."))


def segment_update(
    *, segment: Segment, name: str | None = None, visibility: str | None = None
) -> Segment:
    """Rename or change who sees the segment (which re-matches it: sharing brings in other
    people's activities, making it private drops them)."""
    changed: list[str] = []
    if name is not None:
        segment.name = _clean_name(name)
        changed.append("name")
    if visibility is not None and visibility != segment.visibility:
        visibility = _clean_choice("visibility", visibility, SegmentVisibility.values)
        if visibility == SegmentVisibility.SHARED:
            lat = np.array([p[0] for p in segment.points], dtype=np.float64)
            lon = np.array([p[1] for p in segment.points], dtype=np.float64)
            _refuse_hidden_points(int(segment.owner_id), lat, lon)
        segment.visibility = visibility
        changed.append("visibility")
    if changed:
        with transaction.atomic():
            segment.save(update_fields=[*changed, "updated_at"])
            if "visibility" in changed:
                segment_id = segment.pk
                transaction.on_commit(lambda: _enqueue_backfill(segment_id))
    return segment


def segment_delete(*, segment: Segment) -> None:
    """Delete the segment with its cells and efforts."""
    segment.delete()
