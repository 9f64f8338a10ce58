"""A small TCX writer for tests: builds Training Center documents from plain lists.

Values are written with repr() (shortest round-tripping text), so a decoder reading the file
back must give exactly the floats that went in. None leaves an element out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import numpy as np

from tests.support.gpx_writer import iso_time

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


@dataclass
class TcxPoint:
    time: float | None  # UTC epoch seconds
    lat: float | None = None
    lon: float | None = None
    alt: float | None = None
    dist: float | None = None
    hr: float | None = None
    cad: float | None = None
    speed: float | None = None
    watts: float | None = None
    run_cadence: float | None = None


@dataclass
class TcxLap:
    start: float
    points: list[TcxPoint] = field(default_factory=list)
    total_time_s: float | None = None
    distance_m: float | None = None
    max_speed: float | None = None
    calories: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    cadence: float | None = None
    trigger: str = "Manual"
    avg_watts: float | None = None
    max_watts: float | None = None
    steps: int | None = None


@dataclass
class TcxActivity:
    sport: str = "Biking"
    laps: list[TcxLap] = field(default_factory=list)
    creator: str | None = "Edge 530"


def _num(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _el(tag: str, value: float | None) -> str:
    return "" if value is None else f"<{tag}>{_num(value)}</{tag}>"


def _point(p: TcxPoint) -> str:
    out = ["<Trackpoint>"]
    if p.time is not None:
        out.append(f"<Time>{iso_time(p.time)}</Time>")
    if p.lat is not None and p.lon is not None:
        out.append(
            f"<Position><LatitudeDegrees>{p.lat!r}</LatitudeDegrees>"
            f"<LongitudeDegrees>{p.lon!r}</LongitudeDegrees></Position>"
        )
    out.append(_el("AltitudeMeters", p.alt))
    out.append(_el("DistanceMeters", p.dist))
    if p.hr is not None:
        out.append(f"<HeartRateBpm><Value>{_num(p.hr)}</Value></HeartRateBpm>")
    out.append(_el("Cadence", p.cad))
    tpx = _el("Speed", p.speed) + _el("Watts", p.watts) + _el("RunCadence", p.run_cadence)
    if tpx:
        out.append(f'<Extensions><TPX xmlns="{AX_NS}">{tpx}</TPX></Extensions>')
    out.append("</Trackpoint>")
    return "".join(out)


def _lap(lap: TcxLap) -> str:
    out = [f'<Lap StartTime="{iso_time(lap.start)}">']
    out.append(_el("TotalTimeSeconds", lap.total_time_s))
    out.append(_el("DistanceMeters", lap.distance_m))
    out.append(_el("MaximumSpeed", lap.max_speed))
    out.append(_el("Calories", lap.calories))
    if lap.avg_hr is not None:
        out.append(f"<AverageHeartRateBpm><Value>{_num(lap.avg_hr)}</Value></AverageHeartRateBpm>")
    if lap.max_hr is not None:
        out.append(f"<MaximumHeartRateBpm><Value>{_num(lap.max_hr)}</Value></MaximumHeartRateBpm>")
    out.append("<Intensity>Active</Intensity>")
    out.append(_el("Cadence", lap.cadence))
    out.append(f"<TriggerMethod>{lap.trigger}</TriggerMethod>")
    if lap.points:
        out.append("<Track>")
        out.extend(_point(p) for p in lap.points)
        out.append("</Track>")
    lx = _el("AvgWatts", lap.avg_watts) + _el("MaxWatts", lap.max_watts) + _el("Steps", lap.steps)
    if lx:
        out.append(f'<Extensions><LX xmlns="{AX_NS}">{lx}</LX></Extensions>')
    out.append("</Lap>")
    return "\n".join(out)


def tcx_bytes(activities: list[TcxActivity], *, courses: int = 0, encoding: str = "UTF-8") -> bytes:
    lines = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        f'<TrainingCenterDatabase xmlns="{TCX_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "<Activities>",
    ]
    for act in activities:
        lines.append(f'<Activity Sport="{act.sport}">')
        if act.laps:
            lines.append(f"<Id>{iso_time(act.laps[0].start)}</Id>")
        lines.extend(_lap(lap) for lap in act.laps)
        if act.creator is not None:
            lines.append(
                f'<Creator xsi:type="Device_t"><Name>{escape(act.creator)}</Name>'
                "<UnitId>1</UnitId><ProductID>2</ProductID></Creator>"
            )
        lines.append("</Activity>")
    lines.append("</Activities>")
    if courses:
        lines.append("<Courses>")
        for i in range(courses):
            lines.append(
                f"<Course><Name>c{i}</Name><Track>"
                + _point(TcxPoint(time=1_700_000_000.0 + i, lat=46.0, lon=14.0))
                + "</Track></Course>"
            )
        lines.append("</Courses>")
    lines.append("</TrainingCenterDatabase>")
    return "\n".join(lines).encode(encoding)


def synthetic_activity(
    seconds: int,
    *,
    laps: int = 3,
    start: float = 1_700_000_000.0,
    seed: int = 2,
    sport: str = "Biking",
) -> TcxActivity:
    """A plausible 1 Hz activity split in equal laps, with lap totals that match the points."""
    rng = np.random.default_rng(seed)
    n = seconds
    lat = 46.0 + np.cumsum(rng.normal(0.0, 0.00005, n))
    lon = 14.5 + np.cumsum(rng.normal(0.00005, 0.00005, n))
    alt = 300.0 + np.cumsum(rng.normal(0.0, 0.2, n))
    speed = np.abs(rng.normal(8.0, 1.0, n))
    dist = np.cumsum(speed)
    hr = np.clip(130 + np.cumsum(rng.integers(-1, 2, n)), 60, 200)
    cad = rng.integers(70, 100, n)
    watts = rng.integers(100, 350, n)
    bounds = np.linspace(0, n, laps + 1).astype(int)
    out = TcxActivity(sport=sport)
    for k in range(laps):
        a, b = int(bounds[k]), int(bounds[k + 1])
        pts = [
            TcxPoint(
                time=start + i,
                lat=round(float(lat[i]), 7),
                lon=round(float(lon[i]), 7),
                alt=round(float(alt[i]), 1),
                dist=round(float(dist[i]), 2),
                hr=float(hr[i]),
                cad=float(cad[i]) if sport == "Biking" else None,
                run_cadence=float(cad[i]) if sport != "Biking" else None,
                speed=round(float(speed[i]), 3),
                watts=float(watts[i]),
            )
            for i in range(a, b)
        ]
        out.laps.append(
            TcxLap(
                start=start + a,
                points=pts,
                total_time_s=float(b - a),
                distance_m=round(float(dist[b - 1] - (dist[a - 1] if a else 0.0)), 2),
                max_speed=round(float(speed[a:b].max()), 3),
                calories=float(10 * (k + 1)),
                avg_hr=float(round(hr[a:b].mean())),
                max_hr=float(hr[a:b].max()),
                cadence=float(round(cad[a:b].mean())),
                avg_watts=float(round(watts[a:b].mean())),
                max_watts=float(watts[a:b].max()),
                steps=100 * (k + 1),
            )
        )
    return out
