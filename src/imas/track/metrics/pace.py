"""Speed and pace: average while moving, an outlier-resistant maximum, grade-adjusted pace."""

from __future__ import annotations

import numpy as np

from imas.track.metrics.moving import rolling_median, window_speed
from imas.track.metrics.timeline import BoolArray
from imas.track.track import FloatArray

# Positions are differentiated over 5 s (fix-to-fix speed of a 1 Hz GPS is dominated by
# jitter), and a 5-sample rolling median then removes single-sample spikes.
MAX_SPEED_WINDOW_S = 5.0
MAX_SPEED_MEDIAN = 5


def max_speed(
    t: FloatArray,
    moving: BoolArray,
    device_speed: FloatArray | None,
    cum_dist: FloatArray | None,
) -> tuple[float | None, str | None]:
    """Highest sustained speed while moving, m/s, and where it came from."""
    if t.size < 2 or not moving.any():
        return None, None
    if device_speed is not None:
        per_sample = rolling_median(device_speed, MAX_SPEED_MEDIAN)
        per_interval = np.fmin(per_sample[:-1], per_sample[1:])
        method = "device_speed_median5"
    elif cum_dist is not None:
        per_interval = rolling_median(
            window_speed(t, cum_dist, MAX_SPEED_WINDOW_S), MAX_SPEED_MEDIAN
        )
        method = "distance_5s_median5"
    else:
        return None, None
    values = per_interval[moving]
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None, None
    return float(values.max()), method


def minetti_cost(grade: FloatArray) -> FloatArray:
    """Energy cost of running, J/(kg m), at a gradient (rise/run).

    Minetti AE et al. (2002) J Appl Physiol 93:1039-1046, eq. for Cr:
    Cr = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6, measured for -0.45 <= i <= 0.45
    (the gradient is clipped to that range).
    """
    i = np.clip(grade, -0.45, 0.45)
    out: FloatArray = ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
    return out


def grade_adjusted_speed(
    step_m: FloatArray, grade_per_sample: FloatArray, moving: BoolArray, moving_s: float | None
) -> float | None:
    """Flat-ground speed with the same energy cost (Minetti 2002), m/s, over moving time."""
    if not moving_s or moving_s <= 0 or step_m.size == 0:
        return None
    g = (grade_per_sample[:-1] + grade_per_sample[1:]) / 2.0
    ok = moving & np.isfinite(step_m)
    if not ok.any():
        return None
    g = np.where(np.isfinite(g), g, 0.0)
    ratio = minetti_cost(g[ok]) / 3.6
    return float(np.sum(step_m[ok] * ratio) / moving_s)
