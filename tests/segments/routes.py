"""Routes for the segments tests: paths drawn in metres near Vienna, recorded as GPX files."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np

LAT0, LON0 = 48.2, 16.37
M_LAT = 111_132.0
M_LON = 111_320.0 * math.cos(math.radians(LAT0))
START = 1_717_228_800.0  # 2024-06-01 08:00:00 UTC

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="imas tests" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
)


def path(*corners: tuple[float, float], step: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """Points every `step` metres through the corners (metres east, north)."""
    xs, ys = [], []
    for (x0, y0), (x1, y1) in itertools.pairwise(corners):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        f = np.arange(n) / n
        xs.append(x0 + f * (x1 - x0))
        ys.append(y0 + f * (y1 - y0))
    xs.append(np.array([corners[-1][0]]))
    ys.append(np.array([corners[-1][1]]))
    return np.concatenate(xs), np.concatenate(ys)


def to_deg(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return LAT0 + y / M_LAT, LON0 + x / M_LON


def recording(
    x: np.ndarray,
    y: np.ndarray,
    *,
    speed: float = 4.0,
    start: float = START,
    sport: str = "running",
    hr: float | None = 150.0,
    power: float | None = None,
    climb_per_m: float = 0.0,
    name: str | None = None,
) -> bytes:
    """A 1 Hz GPX recording along the path at a constant speed, with heart rate and power."""
    c = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
    n = int(c[-1] / speed) + 1
    along = np.minimum(np.arange(n) * speed, c[-1])
    lat, lon = to_deg(np.interp(along, c, x), np.interp(along, c, y))
    ele = 200.0 + climb_per_m * along
    rows = [GPX_HEAD, "<trk>"]
    if name:
        rows.append(f"<name>{name}</name>")
    rows.append(f"<type>{sport}</type><trkseg>\n")
    for i in range(n):
        ext = ""
        if hr is not None or power is not None:
            inner = f"<gpxtpx:hr>{int(hr)}</gpxtpx:hr>" if hr is not None else ""
            ext = f"<extensions><gpxtpx:TrackPointExtension>{inner}</gpxtpx:TrackPointExtension>"
            if power is not None:
                ext += f"<power>{int(power)}</power>"
            ext += "</extensions>"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + i))
        rows.append(
            f'<trkpt lat="{lat[i]:.7f}" lon="{lon[i]:.7f}"><ele>{ele[i]:.1f}</ele>'
            f"<time>{stamp}</time>{ext}</trkpt>\n"
        )
    rows.append("</trkseg></trk></gpx>\n")
    return "".join(rows).encode()


def route_gpx(x: np.ndarray, y: np.ndarray, name: str = "Planned") -> bytes:
    """A planned route (<rte>, no times), as route planners export."""
    lat, lon = to_deg(x, y)
    pts = "".join(
        f'<rtept lat="{a:.7f}" lon="{b:.7f}"><ele>210.0</ele></rtept>\n'
        for a, b in zip(lat, lon, strict=True)
    )
    return (GPX_HEAD + f"<rte><name>{name}</name>\n{pts}</rte></gpx>\n").encode()


# A street running 2 km east; the segment is its middle kilometre.
STREET = path((0, 0), (2000, 0))
STREET_BACK = path((2000, 0), (0, 0))
BLOCK = ((0, 0), (2000, 0), (2000, 300), (0, 300), (0, 0))
LOOP = ((0, 0), (400, 0), (400, 300), (0, 300), (0, 0))
