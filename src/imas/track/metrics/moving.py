"""Moving time: when the timer ran AND the athlete was actually going somewhere.

A standing athlete's GPS fix wanders at 1-3 km/h, so point-to-point speed cannot tell a stop
from a slow walk (FitTrackee and gpxpy count such stops as moving). We judge each interval by
the *net displacement* over a window of several seconds around it: jitter moves the fix back
and forth, so over 10 s its net displacement stays a few metres, while even a slow walk covers
10+ m. Thresholds depend on the sport (a hiker on a steep climb makes 0.3 m/s over ground, a
cyclist below 1 m/s is balancing, not riding).

Sources, best first: the device's cumulative distance stream (already filtered by the device),
the positions (net displacement), the device's speed stream (median over 5 samples). With none
of them every second of running timer counts as moving.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from imas.track.metrics.distance import Path
from imas.track.metrics.timeline import BoolArray, Timeline
from imas.track.track import FloatArray


@dataclass(frozen=True, slots=True)
class StopRule:
    """Below `speed_mps` of net displacement over `window_s` seconds, the athlete is stopped."""

    speed_mps: float
    window_s: float


# Walking is ~1.2-1.5 m/s, a steep hike 0.3-0.6 m/s over ground, open-water swimming ~0.5-1 m/s;
# GPS jitter at rest gives 0.05-0.2 m/s of net displacement over these windows.
_RULES: dict[str, StopRule] = {
    "running": StopRule(0.5, 10.0),
    "walking": StopRule(0.4, 12.0),
    "hiking": StopRule(0.25, 20.0),
    "mountaineering": StopRule(0.2, 30.0),
    "cycling": StopRule(1.0, 10.0),
    "e_biking": StopRule(1.0, 10.0),
    "swimming": StopRule(0.2, 20.0),
    "cross_country_skiing": StopRule(0.5, 10.0),
    "alpine_skiing": StopRule(0.5, 10.0),
    "rowing": StopRule(0.4, 12.0),
    "paddling": StopRule(0.4, 12.0),
    "kayaking": StopRule(0.4, 12.0),
    "stand_up_paddleboarding": StopRule(0.3, 15.0),
    "inline_skating": StopRule(0.8, 10.0),
}
_DEFAULT_RULE = StopRule(0.4, 12.0)


def stop_rule(sport: str) -> StopRule:
    return _RULES.get(sport, _DEFAULT_RULE)


@dataclass(frozen=True, slots=True)
class Moving:
    moving: BoolArray  # per interval
    moving_s: float | None
    method: str


def window_speed(t: FloatArray, cum: FloatArray, window_s: float) -> FloatArray:
    """Per interval: increase of a cumulative quantity over a window centred on it, per second.

    The window is at least the interval itself (for sparse 'smart' recording).
    """
    mid = (t[:-1] + t[1:]) / 2.0
    a = np.minimum(t[:-1], mid - window_s / 2.0)
    b = np.maximum(t[1:], mid + window_s / 2.0)
    a = np.maximum(a, t[0])
    b = np.minimum(b, t[-1])
    gain = np.interp(b, t, cum) - np.interp(a, t, cum)
    out: FloatArray = gain / np.maximum(b - a, 1e-9)
    return out


def chord_speed(t: FloatArray, path: Path, window_s: float) -> FloatArray:
    """Per interval: net displacement over a window centred on it, per second (NaN: no fixes)."""
    ok = path.valid > 0
    tv, xv, yv = t[ok], path.x[ok], path.y[ok]
    mid = (t[:-1] + t[1:]) / 2.0
    a = np.maximum(np.minimum(t[:-1], mid - window_s / 2.0), tv[0])
    b = np.minimum(np.maximum(t[1:], mid + window_s / 2.0), tv[-1])
    dx = np.interp(b, tv, xv) - np.interp(a, tv, xv)
    dy = np.interp(b, tv, yv) - np.interp(a, tv, yv)
    out: FloatArray = np.hypot(dx, dy) / np.maximum(b - a, 1e-9)
    # Intervals far outside the span of fixes have no evidence either way.
    out[(mid < tv[0]) | (mid > tv[-1])] = np.nan
    return out


def rolling_median(v: FloatArray, width: int) -> FloatArray:
    """Centred rolling median over `width` (odd) samples; the ends repeat the edge value.

    NaN samples are ignored (a window of only NaN gives NaN).
    """
    if v.size == 0:
        return v
    half = width // 2
    padded = np.concatenate((v[:1].repeat(half), v, v[-1:].repeat(half)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    if not np.isnan(v).any():
        out: FloatArray = np.partition(windows, half, axis=1)[:, half]
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows give NaN
        out = np.nanmedian(windows, axis=1)
    return out


def detect_moving(
    timeline: Timeline,
    path: Path,
    device_dist: FloatArray | None,
    device_speed: FloatArray | None,
    sport: str,
) -> Moving:
    """Which intervals count as moving, and how that was decided."""
    running = timeline.running
    if not timeline.timed:
        return Moving(running.copy(), None, "untimed")
    rule = stop_rule(sport)
    t = timeline.t
    speed: FloatArray | None = None
    method = ""
    if device_dist is not None:
        speed = window_speed(t, device_dist, rule.window_s)
        method = "device_distance"
    elif path.has_positions:
        speed = chord_speed(t, path, rule.window_s)
        method = "positions"
    elif device_speed is not None:
        per_sample = rolling_median(device_speed, 5)
        speed = np.fmax(per_sample[:-1], per_sample[1:])
        method = "device_speed"
    if speed is None:
        moving = running.copy()
        method = "timer"
    else:
        # No evidence for an interval (a gap in the fixes): trust the running timer.
        moving = running & ((speed >= rule.speed_mps) | ~np.isfinite(speed))
        method = f"{method}>{rule.speed_mps:g}m/s/{rule.window_s:g}s"
    if timeline.timer_source == "events":
        method = "timer_events+" + method
    moving_s = float(np.sum(np.diff(t)[moving]))
    return Moving(moving, moving_s, method)
