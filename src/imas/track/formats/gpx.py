"""GPX 1.0 / 1.1 to Tracks.

Decisions:
- One Track per <trk> that holds points, in file order. Points are the <trkpt> children of
  its <trkseg> (the <rtept> children of an <rte>), as gpxpy reads them; the <trkseg> of a track
  are concatenated (a segment break is a pause in recording, not a new activity). The GPX has no
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

Speed and memory: libxml2 parses the document a chunk at a time; the points finished in each
chunk are read with C-level walks, converted to numbers at once and freed (see
xml.parse_streamed and xml.PointColumns).
"""

from __future__ import annotations

import numpy as np
from lxml import etree

from imas.track.errors import NoActivity
from imas.track.formats.xml import (
    MAX_SEGMENTS_PER_FILE,
    MAX_TRACKS_PER_FILE,
    PointColumns,
    check_count,
    local_name,
    parse_streamed,
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

# Stream -> local names of its elements anywhere inside a point (lat and lon are attributes).
_POINT_STREAMS: dict[str, tuple[str, ...]] = {"alt": ("ele",), "time": ("time",)}
for _local, _stream in _EXTENSION_STREAMS.items():
    _POINT_STREAMS[_stream] = (*_POINT_STREAMS.get(_stream, ()), _local)
_STREAM_NAMES = ("lat", "lon", *_POINT_STREAMS)
# All streams in one walk (PointColumns): libxml2 walks a tree of points that carry two
# attributes about three times slower than one without, so in GPX one walk that asks each
# element its tag beats a walk per stream (bench/bench_gpx_tcx.py: 46 ms against 119 ms).


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


def _label(columns: PointColumns, wanted: str) -> str | None:
    text = columns.labels.get(wanted)
    return text.strip() if text else None


def decode_gpx(data: bytes) -> list[Track]:
    """Every recorded track of a GPX document (see the module notes for the choices made)."""
    document, read = parse_streamed(
        data,
        root="gpx",
        what="GPX",
        segments={"trkseg": "trkpt", "rte": "rtept"},
        new_columns=lambda: PointColumns(
            _POINT_STREAMS, ("lat", "lon"), one_walk=True, labels=("name", "type")
        ),
        keep=frozenset(("trk", "rte")),
    )
    creator = (document.get("creator") or "").strip() or None
    tracks: list[Track] = []
    segments = 0
    for met, trk in enumerate(document.iter("{*}trk"), start=1):
        check_count(met, MAX_TRACKS_PER_FILE, "tracks")
        columns = PointColumns(_POINT_STREAMS, ("lat", "lon"), one_walk=True)
        for segment in trk.iterchildren("{*}trkseg"):
            segments += 1
            check_count(segments, MAX_SEGMENTS_PER_FILE, "track segments")
            if segment in read:
                columns.extend(read[segment])
        if columns.count:
            name, kind = _child_text(trk, "name"), _child_text(trk, "type")
            tracks.append(_track(columns, name=name, kind=kind, creator=creator))
    if tracks:
        return tracks
    routes: list[Track] = []
    for met, rte in enumerate(document.iter("{*}rte"), start=1):
        check_count(met, MAX_TRACKS_PER_FILE, "routes")
        points = read.get(rte)
        if points is not None and points.count:
            name = _child_text(rte, "name") or _label(points, "name")  # removed while reading?
            kind = _child_text(rte, "type") or _label(points, "type")
            routes.append(_track(points, name=name, kind=kind, creator=creator))
    if routes:
        return routes
    raise NoActivity("the GPX holds no track or route with points")
