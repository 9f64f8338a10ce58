"""Garmin Training Center (TCX) to Tracks.

Decisions:
- One Track per <Activity> (a multisport <MultiSportSession> gives one per sport), in order.
- The structure is read as the schema lays it out, as tcxreader reads it too:
  Activities/Activity/Lap/Track/Trackpoint, a multisport activity inside
  MultiSportSession/FirstSport or NextSport. Points of all laps are concatenated; each <Lap>
  becomes a Lap with the device's own lap totals (TotalTimeSeconds is the lap's timer time).
  Track.session holds what the laps add up to: sums of time, distance, calories and steps,
  the time-weighted mean of the laps' average heart rate, cadence and power, and the maximum
  of their maxima.
- Cadence is <Cadence> (cycling, revolutions per minute) or else the TPX <RunCadence>
  (running, per foot, like FIT cadence).
- <Courses> hold planned routes, not recordings: a file with only courses is NoActivity.
- An Activity with laps but no trackpoints still gives a Track (zero samples, lap totals), the
  way a manually entered or summary-only export looks; one with neither is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from lxml import etree

from imas.track.errors import NoActivity
from imas.track.formats.xml import (
    MAX_LAPS_PER_FILE,
    MAX_SEGMENTS_PER_FILE,
    MAX_TRACKS_PER_FILE,
    PointColumns,
    check_count,
    local_name,
    parse_streamed,
    parse_times,
    to_float,
)
from imas.track.track import Lap, SessionTotals, Track

# Stream -> local names of its elements in a <Trackpoint>.
_POINT_STREAMS: dict[str, tuple[str, ...]] = {
    "time": ("Time",),
    "lat": ("LatitudeDegrees",),
    "lon": ("LongitudeDegrees",),
    "alt": ("AltitudeMeters",),
    "dist": ("DistanceMeters",),
    "hr": ("Value",),  # inside <HeartRateBpm>, the only element with a <Value> in a trackpoint
    "cad": ("Cadence",),
    "runcad": ("RunCadence",),
    "speed": ("Speed",),
    "power": ("Watts",),
}
# A walk per stream (PointColumns): a TCX tree walks fast, so walking it again costs less than
# asking every element its tag (bench/bench_gpx_tcx.py, 6-hour ride: 60 ms against 83 ms).

_SPORTS = {"running": "running", "biking": "cycling", "other": "generic"}
_TRIGGERS = {
    "manual": "manual",
    "distance": "distance",
    "time": "time",
    "location": "position_lap",
    "heartrate": "heart_rate",
}


def _children_text(element: etree._Element) -> dict[str, str]:
    """Local name -> text of the direct children that hold text ('A/Value' for nested values)."""
    out: dict[str, str] = {}
    for child in element:
        name = local_name(child)
        if not name or name == "Track":  # a lap's points are read as streams, not here
            continue
        text = (child.text or "").strip()
        if text:
            out.setdefault(name, text)
        for grandchild in child:  # <AverageHeartRateBpm><Value>, <Extensions><LX>...
            sub = local_name(grandchild)
            if sub == "Value":
                out.setdefault(f"{name}/Value", (grandchild.text or "").strip())
            elif sub == "LX":
                for value in grandchild:
                    out.setdefault(f"LX/{local_name(value)}", (value.text or "").strip())
    return out


def _number(values: dict[str, str], key: str) -> float | None:
    value = to_float(values.get(key))
    return None if np.isnan(value) else value


def _lap(element: etree._Element) -> tuple[Lap, dict[str, str]]:
    values = _children_text(element)
    start = parse_times([element.get("StartTime")])[0]
    trigger = values.get("TriggerMethod", "").lower()
    return Lap(
        start_time=float(start),
        timer_s=_number(values, "TotalTimeSeconds"),
        distance_m=_number(values, "DistanceMeters"),
        avg_hr=_number(values, "AverageHeartRateBpm/Value"),
        max_hr=_number(values, "MaximumHeartRateBpm/Value"),
        avg_power_w=_number(values, "LX/AvgWatts"),
        avg_speed_mps=_number(values, "LX/AvgSpeed"),
        calories_kcal=_number(values, "Calories"),
        trigger=_TRIGGERS.get(trigger, trigger or None),
    ), values


def _weighted_mean(values: Sequence[float | None], weights: Sequence[float | None]) -> float | None:
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None]
    if not pairs:
        return None
    if all(w is not None and w > 0 for _, w in pairs):
        total = sum(w for _, w in pairs if w is not None)
        return sum(v * w for v, w in pairs if w is not None) / total
    return sum(v for v, _ in pairs) / len(pairs)


def _sum(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(sum(present)) if present else None


def _max(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _session(laps: list[Lap], extras: list[dict[str, str]]) -> SessionTotals | None:
    if not laps:
        return None
    timer = [lap.timer_s for lap in laps]
    cadence = [
        _number(e, "Cadence") if "Cadence" in e else _number(e, "LX/AvgRunCadence") for e in extras
    ]
    steps = _sum([_number(e, "LX/Steps") for e in extras])
    timer_s = _sum(timer)
    distance_m = _sum([lap.distance_m for lap in laps])
    return SessionTotals(
        start_time=laps[0].start_time if np.isfinite(laps[0].start_time) else None,
        timer_s=timer_s,
        distance_m=distance_m,
        avg_speed_mps=distance_m / timer_s if distance_m is not None and timer_s else None,
        max_speed_mps=_max([_number(e, "MaximumSpeed") for e in extras]),
        avg_hr=_weighted_mean([lap.avg_hr for lap in laps], timer),
        max_hr=_max([lap.max_hr for lap in laps]),
        avg_cadence=_weighted_mean(cadence, timer),
        avg_power_w=_weighted_mean([lap.avg_power_w for lap in laps], timer),
        max_power_w=_max([_number(e, "LX/MaxWatts") for e in extras]),
        calories_kcal=_sum([lap.calories_kcal for lap in laps]),
        steps=int(steps) if steps is not None else None,
    )


def _device(activity: etree._Element) -> str | None:
    for child in activity:
        if local_name(child) == "Creator":
            for item in child:
                if local_name(item) == "Name" and item.text and item.text.strip():
                    return item.text.strip()
    return None


def _track(
    activity: etree._Element,
    columns: PointColumns,
    laps: list[Lap],
    extras: list[dict[str, str]],
) -> Track:
    warnings: list[str] = []
    values = {stream: columns.values(stream, warnings) for stream in _POINT_STREAMS}
    # Out-of-range positions are as good as absent.
    values["lat"] = np.where(np.abs(values["lat"]) <= 90.0, values["lat"], np.nan)
    values["lon"] = np.where(np.abs(values["lon"]) <= 180.0, values["lon"], np.nan)
    runcad = values.pop("runcad")
    values["cad"] = np.where(np.isnan(values["cad"]), runcad, values["cad"])
    sport = (activity.get("Sport") or "").strip().lower()
    return Track.from_streams(
        "tcx",
        columns.count,
        **values,
        sport=_SPORTS.get(sport, "generic"),
        device=_device(activity),
        laps=laps,
        session=_session(laps, extras),
        warnings=warnings,
    )


def decode_tcx(data: bytes) -> list[Track]:
    """Every activity of a TCX document (see the module notes for the choices made)."""
    document, read = parse_streamed(
        data,
        root="TrainingCenterDatabase",
        what="TCX",
        segments={"Track": "Trackpoint"},
        new_columns=lambda: PointColumns(_POINT_STREAMS, one_walk=False),
        keep=frozenset(("Activities", "Courses")),
    )
    tracks: list[Track] = []
    laps_met = segments = 0
    for met, activity in enumerate(_activities(document), start=1):
        check_count(met, MAX_TRACKS_PER_FILE, "activities")
        laps: list[Lap] = []
        extras: list[dict[str, str]] = []
        columns = PointColumns(_POINT_STREAMS, one_walk=False)
        for element in activity.iterchildren("{*}Lap"):
            laps_met += 1
            check_count(laps_met, MAX_LAPS_PER_FILE, "laps")
            lap, values = _lap(element)
            laps.append(lap)
            extras.append(values)
            for segment in element.iterchildren("{*}Track"):
                segments += 1
                check_count(segments, MAX_SEGMENTS_PER_FILE, "tracks in laps")
                if segment in read:
                    columns.extend(read[segment])
        if columns.count or laps:
            tracks.append(_track(activity, columns, laps, extras))
    if tracks:
        return tracks
    if next(document.iter("{*}Course"), None) is not None:
        raise NoActivity("the TCX holds only courses (planned routes), not a recorded activity")
    raise NoActivity("the TCX holds no activity with laps or trackpoints")


# Elements on the way from the root to an <Activity> (multisport sessions nest them deeper).
_ACTIVITY_CONTAINERS = frozenset(("Activities", "MultiSportSession", "FirstSport", "NextSport"))


def _activities(parent: etree._Element) -> Iterator[etree._Element]:
    """The <Activity> elements in document order, found without walking into any of them."""
    for child in parent:
        name = local_name(child)
        if name == "Activity":
            yield child
        elif name in _ACTIVITY_CONTAINERS:
            yield from _activities(child)
