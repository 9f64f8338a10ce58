"""Shapes for the segment pages: the elevation profile and the efforts-over-time chart, drawn
as small SVGs on the server (no chart script needed, nothing to load)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from imas.activities.streams import downsample_indices
from imas.track.metrics.distance import geodesic_steps

PROFILE_POINTS = 400


def elevation_profile(points: Sequence[Sequence[Any]]) -> list[list[float]]:
    """[[distance along the segment (m), altitude (m)], ...] where the altitude is known."""
    if len(points) < 2:
        return []
    lat = np.array([p[0] for p in points], dtype=np.float64)
    lon = np.array([p[1] for p in points], dtype=np.float64)
    alt = np.array([np.nan if p[2] is None else p[2] for p in points], dtype=np.float64)
    dist = np.concatenate(([0.0], np.cumsum(geodesic_steps(lat, lon))))
    ok = np.isfinite(alt)
    if np.count_nonzero(ok) < 2:
        return []
    dist, alt = dist[ok], alt[ok]
    idx = downsample_indices(int(dist.size), PROFILE_POINTS)
    return [
        [round(float(d), 1), round(float(a), 1)] for d, a in zip(dist[idx], alt[idx], strict=True)
    ]


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


def profile_svg(
    profile: list[list[float]], width: int = 640, height: int = 160
) -> dict[str, Any] | None:
    """Path data for an area chart of the elevation profile, with a few altitude ticks."""
    if len(profile) < 2:
        return None
    d = np.array([p[0] for p in profile])
    a = np.array([p[1] for p in profile])
    left, bottom, top = 44, height - 18, 8
    lo, hi = float(a.min()), float(a.max())
    if hi - lo < 10:
        mid = (hi + lo) / 2
        lo, hi = mid - 5, mid + 5
    span_d = float(d[-1] - d[0]) or 1.0
    x = left + (d - d[0]) / span_d * (width - left - 4)
    y = bottom - (a - lo) / (hi - lo) * (bottom - top)
    line = "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in zip(x, y, strict=True))
    area = f"{line} L{x[-1]:.1f},{bottom} L{x[0]:.1f},{bottom} Z"
    step = _nice_step(hi - lo)
    ticks = []
    value = math.ceil(lo / step) * step
    while value <= hi:
        ticks.append(
            {
                "y": round(bottom - (value - lo) / (hi - lo) * (bottom - top), 1),
                "text": f"{value:g}",
            }
        )
        value += step
    return {
        "width": width,
        "height": height,
        "left": left,
        "base": bottom,
        "line": line,
        "area": area,
        "ticks": ticks,
    }


def efforts_svg(
    efforts: Sequence[Any], width: int = 640, height: int = 180
) -> dict[str, Any] | None:
    """Dots of elapsed time (faster = higher) against the date of each effort."""
    if not efforts:
        return None
    t = np.array([e.start_time.timestamp() for e in efforts])
    s = np.array([e.elapsed_s for e in efforts])
    left, bottom, top, right = 52, height - 22, 10, 10
    t0, t1 = float(t.min()), float(t.max())
    if t1 - t0 < 86_400:
        t0, t1 = t0 - 43_200, t1 + 43_200
    lo, hi = float(s.min()), float(s.max())
    pad = max((hi - lo) * 0.1, 5.0)
    lo, hi = max(lo - pad, 0.0), hi + pad
    x = left + (t - t0) / (t1 - t0) * (width - left - right)
    # Faster efforts sit higher: the y axis runs from slow (bottom) to fast (top).
    y = top + (s - lo) / (hi - lo) * (bottom - top)
    best = int(np.argmin(s))
    dots = [
        {
            "x": round(float(px), 1),
            "y": round(float(py), 1),
            "best": i == best,
            "seconds": float(s[i]),
            "when": efforts[i].start_time,
            "activity_id": efforts[i].activity_id,
        }
        for i, (px, py) in enumerate(zip(x, y, strict=True))
    ]
    order = np.argsort(t)
    line = "M" + " L".join(f"{x[i]:.1f},{y[i]:.1f}" for i in order)
    step = _nice_step(hi - lo)
    ticks = []
    value = math.ceil(lo / step) * step
    while value <= hi:
        ticks.append(
            {"y": round(top + (value - lo) / (hi - lo) * (bottom - top), 1), "seconds": value}
        )
        value += step
    first, last = int(np.argmin(t)), int(np.argmax(t))
    dates = [{"x": dots[first]["x"], "when": efforts[first].start_time, "anchor": "start"}]
    if last != first:
        dates.append({"x": dots[last]["x"], "when": efforts[last].start_time, "anchor": "end"})
    return {
        "width": width,
        "height": height,
        "left": left,
        "base": bottom,
        "dates": dates,
        "dots": dots,
        "line": line,
        "ticks": ticks,
    }
