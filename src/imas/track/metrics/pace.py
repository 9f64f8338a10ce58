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


# Minetti AE, Moia C, Roi GS, Susta D, Ferretti G (2002) Energy cost of walking and running
# at extreme uphill and downhill slopes. J Appl Physiol 93:1039-1046. Fifth-order fits of the
# cost (J per kg per m) against the gradient i (rise/run), measured for -0.45 <= i <= 0.45:
#   running  Cr = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6
#   walking  Cw = 280.5 i^5 - 58.7 i^4 - 76.8 i^3 + 51.9 i^2 + 19.6 i + 2.5
_MINETTI = {
    "run": (155.4, -30.4, -43.3, 46.3, 19.5, 3.6),
    "walk": (280.5, -58.7, -76.8, 51.9, 19.6, 2.5),
}


def minetti_cost(grade: FloatArray, gait: str = "run") -> FloatArray:
    """Energy cost (J/(kg m)) of running or walking at a gradient, clipped to +-45 %."""
    i = np.clip(grade, -0.45, 0.45)
    out: FloatArray = np.polyval(_MINETTI[gait], i).astype(np.float64)
    return out


def grade_adjusted_speed(
    step_m: FloatArray,
    grade_per_sample: FloatArray,
    moving: BoolArray,
    moving_s: float | None,
    gait: str = "run",
) -> float | None:
    """Flat-ground speed with the same energy cost (Minetti 2002), m/s, over moving time."""
    if not moving_s or moving_s <= 0 or step_m.size == 0:
        return None
    g = (grade_per_sample[:-1] + grade_per_sample[1:]) / 2.0
    ok = moving & np.isfinite(step_m)
    if not ok.any():
        return None
    g = np.where(np.isfinite(g), g, 0.0)
    flat = _MINETTI[gait][-1]
    ratio = minetti_cost(g[ok], gait) / flat
    return float(np.sum(step_m[ok] * ratio) / moving_s)
