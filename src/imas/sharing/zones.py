"""What others see of an activity's positions: privacy zones and hidden ends applied.

Every read of positions for someone other than the owner passes through here: the streams API,
the GPX export, route previews, and the segments app (leaderboards leave out people whose zone
a segment runs through). The owner always sees everything. The computing is imas.track.privacy;
this module only fetches the person's hidden circles and settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from imas.activities.streams import FloatArray, polyline_decode, polyline_encode
from imas.sharing.models import ActivitySharing, PrivacyZone, SharingSettings
from imas.track.privacy import BoolArray, Circle, arrays_without, hidden_samples, inside_circles


def hidden_circles(owner_id: int) -> list[Circle]:
    """The circles that hide a person's points (never the circles they asked for)."""
    rows = PrivacyZone.objects.filter(owner_id=owner_id).values_list(
        "hidden_lat", "hidden_lon", "hidden_radius_m"
    )
    return [Circle(float(a), float(b), float(r)) for a, b, r in rows]


def hide_ends_m(owner_id: int) -> float:
    value = (
        SharingSettings.objects.filter(user_id=owner_id)
        .values_list("hide_ends_m", flat=True)
        .first()
    )
    return float(value or 0)


def points_hidden(owner_id: int, lat: FloatArray, lon: FloatArray) -> BoolArray:
    """Which of these points lie inside one of the person's zones (used for segments, which
    have no ends of their own)."""
    return inside_circles(lat, lon, hidden_circles(owner_id))


def activity_sharing(activity: Any) -> ActivitySharing:
    """The activity's sharing options (the defaults when none were saved)."""
    try:
        row = ActivitySharing.objects.get(activity_id=activity.pk)
    except ActivitySharing.DoesNotExist:
        row = ActivitySharing(activity_id=activity.pk)
    return row


def _viewer_id(viewer: Any) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def is_owner(viewer: Any, activity: Any) -> bool:
    return _viewer_id(viewer) == int(activity.owner_id)


def _heartrate_shared(activity: Any, options: ActivitySharing) -> bool:
    if not options.show_heartrate:
        return False
    from imas.privacy.selectors import health_data_allowed

    return bool(health_data_allowed(activity.owner))


def arrays_for_viewer(
    activity: Any, viewer: Any, arrays: dict[str, FloatArray]
) -> dict[str, FloatArray]:
    """The activity's per-point arrays as this viewer may see them.

    Others get: no sample inside the owner's zones or within the hidden ends (every column of
    such a sample is dropped, and distance counts again from the first sample left), no
    positions at all when the map is hidden, no heart rate unless the owner shows it.
    """
    if is_owner(viewer, activity):
        return arrays
    options = activity_sharing(activity)
    out = dict(arrays)
    if not _heartrate_shared(activity, options):
        out.pop("hr", None)
    lat, lon = out.get("lat"), out.get("lon")
    if options.hide_map:
        out.pop("lat", None)
        out.pop("lon", None)
        return out
    if lat is None or lon is None:
        return out
    hidden = hidden_samples(
        lat,
        lon,
        hidden_circles(int(activity.owner_id)),
        hide_ends_m=hide_ends_m(int(activity.owner_id)),
        along_m=out.get("dist"),
    )
    if not hidden.any():
        return out
    return arrays_without(out, hidden)


def route_polyline_for_viewer(activity: Any, viewer: Any) -> str:
    """The activity's simplified route (encoded polyline) as this viewer may see it: empty
    when the map is hidden, without the vertices in zones or in the hidden ends.

    The hidden ends are measured along the simplified route, which is never longer than the
    track, so at least the asked-for metres are hidden."""
    encoded = activity.route_polyline or ""
    if not encoded or is_owner(viewer, activity):
        return str(encoded)
    if activity_sharing(activity).hide_map:
        return ""
    try:
        points = polyline_decode(encoded)
    except (IndexError, ValueError):
        return ""
    if not points:
        return ""
    lat = np.array([p[0] for p in points], dtype=np.float64)
    lon = np.array([p[1] for p in points], dtype=np.float64)
    hidden = hidden_samples(
        lat,
        lon,
        hidden_circles(int(activity.owner_id)),
        hide_ends_m=hide_ends_m(int(activity.owner_id)),
    )
    kept = [p for p, h in zip(points, hidden, strict=True) if not h]
    if len(kept) < 2:
        return ""
    return polyline_encode(kept)


def effort_in_hidden_ends(effort: Any) -> bool:
    """Whether a segment effort lies partly in the hidden first or last metres of its activity
    (then others do not see it: it would tell where the activity started or ended). Efforts on
    segments through a zone are left out by the segments app through points_hidden."""
    owner_id = int(effort.owner_id)
    hide = hide_ends_m(owner_id)
    if hide <= 0:
        return False
    from imas.activities.models import ActivityStreams
    from imas.activities.streams import StreamsBlobError, streams_unpack

    row = ActivityStreams.objects.filter(activity_id=effort.activity_id).first()
    if row is None:
        return False
    try:
        arrays = streams_unpack(bytes(row.data))
    except StreamsBlobError:
        return True  # unreadable: show nothing rather than too much
    lat, lon = arrays.get("lat"), arrays.get("lon")
    if lat is None or lon is None:
        return False
    hidden = hidden_samples(lat, lon, [], hide_ends_m=hide, along_m=arrays.get("dist"))
    first = max(int(effort.start_index), 0)
    last = min(int(effort.end_index), hidden.shape[0] - 1)
    return bool(hidden[first : last + 1].any()) if first <= last else False
