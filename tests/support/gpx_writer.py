"""A small GPX writer for tests: builds GPX 1.0/1.1 documents from plain point lists.

Values are written with repr() (shortest round-tripping text), so a decoder that reads the file
back must give exactly the floats that went in. None leaves an element out.
"""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import numpy as np

GPX10 = "http://www.topografix.com/GPX/1/0"
GPX11 = "http://www.topografix.com/GPX/1/1"
TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
TPX2 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"
PWR = "http://www.garmin.com/xmlschemas/PowerExtension/v1"
GPXDATA = "http://www.cluetrust.com/XML/GPXDATA/1/0"

ExtensionStyle = Literal["tpx1", "tpx2", "gpxdata", "plain"]


@dataclass
class GpxPoint:
    lat: float
    lon: float
    time: float | None = None  # UTC epoch seconds
    ele: float | None = None
    hr: float | None = None
    cad: float | None = None
    power: float | None = None
    atemp: float | None = None
    wtemp: float | None = None
    speed: float | None = None  # GPX 1.0 <speed>, or TrackPointExtension v2 speed


@dataclass
class GpxTrack:
    segments: list[list[GpxPoint]]
    name: str | None = None
    type: str | None = None


@dataclass
class GpxDocument:
    tracks: list[GpxTrack] = field(default_factory=list)
    routes: list[list[GpxPoint]] = field(default_factory=list)
    waypoints: list[GpxPoint] = field(default_factory=list)
    version: Literal["1.0", "1.1"] = "1.1"
    creator: str = "imas tests"
    extension_style: ExtensionStyle = "tpx1"
    time_format: Literal["Z", "offset", "millis"] = "Z"


def iso_time(epoch: float, style: Literal["Z", "offset", "millis"] = "Z") -> str:
    """An ISO 8601 time. 'offset' writes the same instant as local time at +02:00."""
    whole = math.floor(epoch)
    frac = epoch - whole
    if style == "offset":
        local = _time.gmtime(whole + 7200)
        text = _time.strftime("%Y-%m-%dT%H:%M:%S", local)
        return text + (f".{round(frac * 1000):03d}" if frac else "") + "+02:00"
    text = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(whole))
    if style == "millis" or frac:
        text += f".{round(frac * 1000):03d}"
    return text + "Z"


def _num(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _extensions(p: GpxPoint, style: ExtensionStyle, version: str) -> str:
    if version == "1.0":
        return ""
    parts: list[str] = []
    if style in ("tpx1", "tpx2"):
        inner = ""
        for tag, value in (("atemp", p.atemp), ("wtemp", p.wtemp), ("hr", p.hr), ("cad", p.cad)):
            if value is not None:
                inner += f"<gpxtpx:{tag}>{_num(value)}</gpxtpx:{tag}>"
        if style == "tpx2" and p.speed is not None:
            inner += f"<gpxtpx:speed>{_num(p.speed)}</gpxtpx:speed>"
        if inner:
            parts.append(f"<gpxtpx:TrackPointExtension>{inner}</gpxtpx:TrackPointExtension>")
        if p.power is not None:
            parts.append(f"<gpxpx:PowerInWatts>{_num(p.power)}</gpxpx:PowerInWatts>")
    elif style == "gpxdata":
        for tag, value in (("hr", p.hr), ("cadence", p.cad), ("temp", p.atemp)):
            if value is not None:
                parts.append(f"<gpxdata:{tag}>{_num(value)}</gpxdata:{tag}>")
        if p.power is not None:
            parts.append(f"<power>{_num(p.power)}</power>")
    else:  # "plain": extension elements without namespaces, as some apps write them
        for tag, value in (("heartrate", p.hr), ("cadence", p.cad), ("power", p.power)):
            if value is not None:
                parts.append(f"<{tag}>{_num(value)}</{tag}>")
    return f"<extensions>{''.join(parts)}</extensions>" if parts else ""


def _point(tag: str, p: GpxPoint, doc: GpxDocument) -> str:
    out = [f'<{tag} lat="{p.lat!r}" lon="{p.lon!r}">']
    if p.ele is not None:
        out.append(f"<ele>{_num(p.ele)}</ele>")
    if p.time is not None:
        out.append(f"<time>{iso_time(p.time, doc.time_format)}</time>")
    if doc.version == "1.0" and p.speed is not None:
        out.append(f"<speed>{_num(p.speed)}</speed>")
    out.append(_extensions(p, doc.extension_style, doc.version))
    out.append(f"</{tag}>")
    return "".join(out)


def gpx_bytes(doc: GpxDocument, encoding: str = "UTF-8") -> bytes:
    ns = GPX10 if doc.version == "1.0" else GPX11
    lines = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        f'<gpx version="{doc.version}" creator={quoteattr(doc.creator)} xmlns="{ns}" '
        f'xmlns:gpxtpx="{TPX2 if doc.extension_style == "tpx2" else TPX1}" '
        f'xmlns:gpxpx="{PWR}" xmlns:gpxdata="{GPXDATA}">',
    ]
    for w in doc.waypoints:
        lines.append(_point("wpt", w, doc))
    for route in doc.routes:
        lines.append("<rte>")
        lines.extend(_point("rtept", p, doc) for p in route)
        lines.append("</rte>")
    for trk in doc.tracks:
        lines.append("<trk>")
        if trk.name is not None:
            lines.append(f"<name>{escape(trk.name)}</name>")
        if trk.type is not None:
            lines.append(f"<type>{escape(trk.type)}</type>")
        for seg in trk.segments:
            lines.append("<trkseg>")
            lines.extend(_point("trkpt", p, doc) for p in seg)
            lines.append("</trkseg>")
        lines.append("</trk>")
    lines.append("</gpx>")
    return "\n".join(lines).encode(encoding)


def synthetic_points(
    seconds: int,
    *,
    start: float = 1_700_000_000.0,
    seed: int = 1,
    with_sensors: bool = True,
) -> list[GpxPoint]:
    """A plausible 1 Hz ride: a random walk on the map with heart rate, cadence and power."""
    rng = np.random.default_rng(seed)
    n = seconds
    lat = 46.0 + np.cumsum(rng.normal(0.0, 0.00005, n))
    lon = 14.5 + np.cumsum(rng.normal(0.00005, 0.00005, n))
    ele = 300.0 + np.cumsum(rng.normal(0.0, 0.2, n))
    hr = np.clip(130 + np.cumsum(rng.integers(-1, 2, n)), 60, 200)
    cad = rng.integers(70, 100, n)
    power = rng.integers(100, 350, n)
    temp = np.round(20 + rng.normal(0, 1, n), 1)
    points = []
    for i in range(n):
        points.append(
            GpxPoint(
                lat=round(float(lat[i]), 7),
                lon=round(float(lon[i]), 7),
                time=start + i,
                ele=round(float(ele[i]), 1),
                hr=float(hr[i]) if with_sensors else None,
                cad=float(cad[i]) if with_sensors else None,
                power=float(power[i]) if with_sensors else None,
                atemp=float(temp[i]) if with_sensors else None,
            )
        )
    return points
