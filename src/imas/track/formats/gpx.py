"""GPX 1.0 / 1.1 to Tracks.

Decisions:
- One Track per <trk> that holds points, in file order; the <trkseg> of a track are
  concatenated (a segment break is a pause in recording, not a new activity). The GPX has no
  timer events, so pauses show only as gaps in `time`.
- Routes (<rte>) are plans, not recordings: they become Tracks (usually without times) only
  when the file has no track with points. Waypoints are ignored.
- Sport comes from the track's <type> when it names a known sport, else "generic".
- Extensions are matched by local name, whatever their namespace (files in the wild use
  Garmin TrackPointExtension v1/v2, Garmin PowerExtension, cluetrust gpxdata, or bare names):
  hr/heartrate, cad/cadence, atemp/temp (wtemp when there is no air temperature),
  power/PowerInWatts/watts, speed, distance.
- Values that are absent, unreadable or impossible (latitude beyond 90, ...) are NaN; the
  Track's warnings count the unreadable ones.

Speed and memory: lxml streams the document ('end' events of points only); each point's texts
go into per-stream columns that become float arrays every few thousand points (vectorised time
parsing included), and points already read are cleared, so memory stays flat.
"""

from __future__ import annotations

import numpy as np
from lxml import etree

from imas.track.errors import NoActivity
from imas.track.formats.xml import (
    MAX_TRACKS_PER_FILE,
    PointColumns,
    StreamsByTag,
    check_count,
    iter_elements,
    local_name,
)
from imas.track.track import Track

# Extension element local name -> our stream.
_EXTENSION_STREAMS: dict[str, str] = {
    "hr": "hr",
    "heartrate": "hr",
    "HeartRate": "hr",
    "cad": "cad",
    "cadence": "cad",
    "Cadence": "cad",
    "atemp": "temp",
    "temp": "temp",
    "Temperature": "temp",
    "wtemp": "wtemp",
    "power": "power",
    "Power": "power",
    "PowerInWatts": "power",
    "watts": "power",
    "Watts": "power",
    "speed": "speed",
    "Speed": "speed",
    "distance": "dist",
    "Distance": "dist",
}

# <type> text (lower case, '_' for spaces and dashes) -> FIT sport name.
_SPORTS: dict[str, str] = {
    "running": "running",
    "run": "running",
    "trail_running": "running",
    "treadmill_running": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "road_biking": "cycling",
    "mountain_biking": "cycling",
    "gravel_cycling": "cycling",
    "indoor_cycling": "cycling",
    "e_bike_ride": "e_biking",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "hike": "hiking",
    "swimming": "swimming",
    "swim": "swimming",
    "open_water_swimming": "swimming",
    "rowing": "rowing",
    "kayaking": "kayaking",
    "cross_country_skiing": "cross_country_skiing",
    "alpine_skiing": "alpine_skiing",
    "inline_skating": "inline_skating",
}

_STREAM_NAMES = (
    "lat",
    "lon",
    "alt",
    "time",
    "speed",
    "hr",
    "cad",
    "power",
    "temp",
    "wtemp",
    "dist",
)
# Elements of a point by local name (anywhere inside the point).
_POINT_ELEMENTS: dict[str, str] = {"ele": "alt", "time": "time", "speed": "speed"}
_POINT_ELEMENTS.update(_EXTENSION_STREAMS)


def sport_from_type(text: str | None) -> str:
    if not text:
        return "generic"
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    return _SPORTS.get(key, "generic")


def _track(
    columns: PointColumns, *, name: str | None, kind: str | None, creator: str | None
) -> Track:
    warnings: list[str] = []
    values = {stream: columns.values(stream, warnings) for stream in _STREAM_NAMES}
    # Out-of-range positions are as good as absent.
    values["lat"] = np.where(np.abs(values["lat"]) <= 90.0, values["lat"], np.nan)
    values["lon"] = np.where(np.abs(values["lon"]) <= 180.0, values["lon"], np.nan)
    temp, wtemp = values.pop("temp"), values.pop("wtemp")
    values["temp"] = np.where(np.isnan(temp), wtemp, temp)
    return Track.from_streams(
        "gpx",
        columns.count,
        **values,
        sport=sport_from_type(kind),
        device=creator,
        name=name,
        warnings=warnings,
    )


def _child_text(element: etree._Element, wanted: str) -> str | None:
    for child in element:
        if local_name(child) == wanted:
            text = child.text
            return text.strip() if text else None
    return None


def decode_gpx(data: bytes) -> list[Track]:
    """Every recorded track of a GPX document (see the module notes for the choices made)."""
    tracks: list[Track] = []
    routes: list[Track] = []
    columns = PointColumns(_STREAM_NAMES)
    creator: str | None = None
    seen_root = False
    streams = StreamsByTag(_POINT_ELEMENTS)
    for name, element in iter_elements(
        data, ("{*}trkpt", "{*}rtept", "{*}trk", "{*}rte", "{*}wpt"), root="gpx", what="GPX"
    ):
        if not seen_root:
            creator = (element.getroottree().getroot().get("creator") or "").strip() or None
            seen_root = True
        if name in ("trkpt", "rtept"):
            columns.read(element, streams, ("lat", "lon"))
            element.clear(keep_tail=False)
            if columns.count % 512 == 0:  # drop the points read so far: memory stays flat
                parent = element.getparent()
                if parent is not None:
                    del parent[:-1]
        elif name in ("trk", "rte"):
            if columns.count:
                track = _track(
                    columns,
                    name=_child_text(element, "name"),
                    kind=_child_text(element, "type"),
                    creator=creator,
                )
                (tracks if name == "trk" else routes).append(track)
                check_count(len(tracks) + len(routes), MAX_TRACKS_PER_FILE, "tracks and routes")
            columns = PointColumns(_STREAM_NAMES)
            element.clear(keep_tail=False)
        else:  # a waypoint: not part of any activity, dropped to keep memory flat
            element.clear(keep_tail=False)
    if tracks:
        return tracks
    if routes:
        return routes
    raise NoActivity("the GPX holds no track or route with points")
