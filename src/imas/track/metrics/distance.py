"""Distance along the path: the device's own distance stream, or geodesic from positions.

Position-based distance is where naive sums go wrong: GPS jitter adds a little sideways
wander to every step, and a standing athlete's position keeps wandering. So, in order:
1. invalid fixes (outside the globe, the 0,0 'null island' fix) and single-sample teleport
   spikes are dropped;
2. positions are projected to local metres with the WGS84 radii of curvature at each step's
   mid-latitude, which for steps up to kilometres agrees with Karney's geodesic to better than
   1e-5 (haversine on a sphere is off by up to 0.3 %: R differs from the local radii);
3. the path is smoothed with a short triangular kernel (weights 1,2,3,2,1), which cuts the
   jitter's added length about 27-fold while moving a curve of radius 50 m by under 0.3 %;
4. only intervals in which the athlete moved are summed (see moving.py), so jitter at rest
   adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imas.track.metrics.timeline import IntArray
from imas.track.track import FloatArray

# WGS84 ellipsoid (NIMA TR8350.2).
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)

# Faster than any human-powered sport and most transport between two fixes: a fix implying
# this speed to both neighbours, while they are close to each other, is a glitch.
SPIKE_SPEED_MPS = 120.0


@dataclass(frozen=True, slots=True)
class Path:
    """Positions in local metres (east x, north y) on the timeline's samples; NaN where none."""

    x: FloatArray
    y: FloatArray
    valid: FloatArray  # 1.0 where the sample has a usable fix (kept as float for arithmetic)
    step: FloatArray  # per interval: length in metres of the smoothed path; NaN without fixes

    @property
    def has_positions(self) -> bool:
        return bool(np.count_nonzero(self.valid) >= 2)


def radii_of_curvature(lat_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Meridional (M) and prime-vertical (N) radii of the WGS84 ellipsoid at these latitudes."""
    s = np.sin(np.radians(lat_deg))
    w = np.sqrt(1.0 - WGS84_E2 * s * s)
    m = WGS84_A * (1.0 - WGS84_E2) / (w * w * w)
    n = WGS84_A / w
    return m, n


def geodesic_steps(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Length of each step between consecutive fixes, metres (local ellipsoidal approximation)."""
    return geodesic_pairs(lat[:-1], lon[:-1], lat[1:], lon[1:])


def build_path(lat: FloatArray, lon: FloatArray, t: FloatArray) -> Path:
    """Project, clean and smooth the fixes of a timeline (lat/lon already in time order)."""
    n = lat.size
    ok = (
        np.isfinite(lat)
        & np.isfinite(lon)
        & (np.abs(lat) <= 90.0)
        & (np.abs(lon) <= 180.0)
        & ~((lat == 0.0) & (lon == 0.0))
    )
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if np.count_nonzero(ok) < 2:
        return Path(x, y, ok.astype(np.float64), np.full(max(n - 1, 0), np.nan))
    idx = np.flatnonzero(ok)
    lat0 = float(np.median(lat[idx]))
    lon0 = float(np.median(lon[idx]))
    # Cumulative local coordinates: each step uses the radii at its own mid-latitude, so the
    # projection stays exact for long tracks far from the reference point.
    lat_mid = (lat[idx][:-1] + lat[idx][1:]) / 2.0
    m, nn = radii_of_curvature(lat_mid)
    dy = m * np.radians(np.diff(lat[idx]))
    dx = nn * np.cos(np.radians(lat_mid)) * np.radians((np.diff(lon[idx]) + 180.0) % 360.0 - 180.0)
    m0, n0 = radii_of_curvature(np.array([lat0]))
    y0 = float(m0[0] * np.radians(lat[idx][0] - lat0))
    x0 = float(n0[0] * np.cos(np.radians(lat0)) * np.radians(lon[idx][0] - lon0))
    xs = np.concatenate(([x0], x0 + np.cumsum(dx)))
    ys = np.concatenate(([y0], y0 + np.cumsum(dy)))
    # The coordinates are positions, so dropping a glitch leaves the others where they are.
    glitch = _spikes(xs, ys, t[idx])
    if glitch.size:
        keep = np.ones(idx.size, dtype=np.bool_)
        keep[glitch] = False
        ok[idx[glitch]] = False
        idx, xs, ys = idx[keep], xs[keep], ys[keep]
    xs, ys = _smooth(xs, t[idx]), _smooth(ys, t[idx])
    x[idx] = xs
    y[idx] = ys
    # Each interval lies between the fixes on either side of it; an interval inside a run of
    # missing fixes gets its share (by time, else evenly) of the straight line across the run.
    seg = np.hypot(np.diff(xs), np.diff(ys))
    j = np.arange(n - 1)
    k = np.searchsorted(idx, j, side="right") - 1
    inside = (k >= 0) & (k < idx.size - 1)
    kk = np.clip(k, 0, idx.size - 2)
    a, b = idx[kk], idx[kk + 1]
    total = t[b] - t[a]
    share_time = np.diff(t) / np.where(total > 0, total, np.nan)
    share = np.where(np.isfinite(share_time), share_time, 1.0 / (b - a))
    step = np.where(inside, seg[kk] * share, np.nan)
    return Path(x, y, ok.astype(np.float64), step)


def _smooth(v: FloatArray, t: FloatArray) -> FloatArray:
    """Triangular 5-point smoothing of fixes recorded about every second.

    A neighbour takes part only if it lies within 1.5 s per step of the fix (jitter matters
    at 1 Hz; sparse 'smart' recording has long steps that smoothing would cut corners of).
    The first and last fix keep their place.
    """
    n = v.size
    if n < 3:
        return v
    total = np.full(n, 3.0) * v
    weight = np.full(n, 3.0)
    for offset, w in ((1, 2.0), (2, 1.0)):
        if n <= offset:
            break
        close = np.abs(t[offset:] - t[:-offset]) <= 1.5 * offset  # NaN times: never close
        # neighbour after: sample i takes v[i + offset]; neighbour before: v[i - offset]
        total[:-offset] += np.where(close, w * v[offset:], 0.0)
        weight[:-offset] += np.where(close, w, 0.0)
        total[offset:] += np.where(close, w * v[:-offset], 0.0)
        weight[offset:] += np.where(close, w, 0.0)
    out: FloatArray = total / weight
    out[0], out[-1] = v[0], v[-1]
    return out


def _spikes(x: FloatArray, y: FloatArray, t: FloatArray) -> IntArray:
    """Indices of single-fix glitches: implausibly far from both neighbours, which are close."""
    if x.size < 3:
        return np.zeros(0, dtype=np.intp)
    dt = np.diff(t)
    dt = np.where(np.isfinite(dt) & (dt > 0), dt, 1.0)
    fast = np.hypot(np.diff(x), np.diff(y)) / dt > SPIKE_SPEED_MPS
    if not fast.any():
        return np.zeros(0, dtype=np.intp)
    jump = np.hypot(x[2:] - x[:-2], y[2:] - y[:-2])
    span = t[2:] - t[:-2]
    span = np.where(np.isfinite(span) & (span > 0), span, 2.0)
    glitch = fast[:-1] & fast[1:] & (jump / span <= SPIKE_SPEED_MPS)
    out: IntArray = np.flatnonzero(glitch) + 1
    return out


def geodesic_pairs(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Distance between paired fixes, metres (local ellipsoidal approximation)."""
    lat_mid = (lat1 + lat2) / 2.0
    m, n = radii_of_curvature(lat_mid)
    dy = m * np.radians(lat2 - lat1)
    dx = n * np.cos(np.radians(lat_mid)) * np.radians((lon2 - lon1 + 180.0) % 360.0 - 180.0)
    out: FloatArray = np.hypot(dx, dy)
    return out
