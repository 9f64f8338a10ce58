"""Power: average, normalized power, intensity factor, training stress, the power curve.

Normalized power (Coggan; Allen & Coggan, Training and Racing with a Power Meter, 2010):
the 30 s rolling mean of 1 Hz power, raised to the 4th power, averaged, 4th root. The series
is taken over the seconds in which the timer ran only; paused spans (and seconds without a
valid reading) are skipped, not filled with zeros (the corpus note: zero-filling a paused ride
gives 253.6 W where the device says 264).
IF = NP / FTP; TSS = hours x IF^2 x 100.
"""

from __future__ import annotations

import numpy as np

from imas.track.metrics.timeline import BoolArray
from imas.track.track import FloatArray

NP_WINDOW_S = 30
# A recording gap longer than this (timer running, no samples) is left out, not held.
MAX_HOLD_S = 10.0
# Resampling to 1 Hz is bounded: a file claiming days between two samples is not expanded.
MAX_SECONDS = 7 * 24 * 3600
POWER_CURVE_S = (5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)


def per_second(t: FloatArray, values: FloatArray, running: BoolArray) -> FloatArray:
    """The stream on a 1 s grid over the spans in which the timer ran (sample-and-hold)."""
    if t.size < 2:
        return values[np.isfinite(values)]
    span = float(t[-1] - t[0])
    if not np.isfinite(span) or span > MAX_SECONDS:
        return values[:-1][running]
    grid = np.arange(t[0], t[-1], 1.0)
    k = np.minimum(np.searchsorted(t, grid, side="right") - 1, t.size - 2)
    keep = running[k] & (grid - t[k] <= MAX_HOLD_S)
    out: FloatArray = values[k[keep]]
    return out


def rolling_mean(v: FloatArray, width: int, csum: FloatArray | None = None) -> FloatArray:
    """Means of every `width` consecutive values (csum: v's cumulative sum with a leading 0)."""
    if v.size < width:
        return np.zeros(0)
    c = np.concatenate(([0.0], np.cumsum(v))) if csum is None else csum
    out: FloatArray = (c[width:] - c[:-width]) / width
    return out


def normalized_power(watts_1hz: FloatArray) -> float | None:
    rolled = rolling_mean(watts_1hz, NP_WINDOW_S)
    if rolled.size == 0:
        return None
    return float(np.mean(rolled**4) ** 0.25)


def power_curve(watts_1hz: FloatArray) -> dict[str, float]:
    """Best average power for each duration (key: seconds) the activity is long enough for."""
    out: dict[str, float] = {}
    csum = np.concatenate(([0.0], np.cumsum(watts_1hz)))
    for seconds in POWER_CURVE_S:
        rolled = rolling_mean(watts_1hz, seconds, csum)
        if rolled.size == 0:
            break
        out[str(seconds)] = round(float(rolled.max()), 1)
    return out


def intensity_and_tss(np_w: float, seconds: float, ftp_w: float) -> tuple[float, float]:
    intensity = np_w / ftp_w
    return intensity, seconds / 3600.0 * intensity * intensity * 100.0
