"""Best efforts over standard running distances, and the VDOT they imply.

Best effort for distance D: the shortest time between any sample and the moment the
cumulative distance first reaches D further on, found for all start samples at once with
np.searchsorted/np.interp over the cumulative distance (O(n log n) per distance). Time is
the timer clock: spans in which the device's timer was stopped do not count.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from imas.track.metrics.splits import strictly_increasing
from imas.track.track import FloatArray

RUNNING_DISTANCES: dict[str, float] = {
    "400m": 400.0,
    "1km": 1000.0,
    "1mile": 1609.344,
    "5km": 5000.0,
    "10km": 10000.0,
    "half_marathon": 21097.5,
    "marathon": 42195.0,
}


def best_effort(clock: FloatArray, d: FloatArray, distance_m: float) -> tuple[float, float] | None:
    """(seconds, clock at start) of the fastest span covering distance_m, or None.

    d is the cumulative distance made strictly increasing (splits.strictly_increasing).
    """
    if clock.size < 2 or d[-1] - d[0] < distance_m:
        return None
    last_start = np.searchsorted(d, d[-1] - distance_m, side="right")
    starts = d[:last_start]
    if starts.size == 0:
        return None
    end_clock = np.interp(starts + distance_m, d, clock)
    durations = end_clock - clock[:last_start]
    k = int(np.argmin(durations))
    return float(durations[k]), float(clock[k])


def best_efforts(clock: FloatArray, cum_dist: FloatArray) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    d = strictly_increasing(cum_dist)
    for name, distance in RUNNING_DISTANCES.items():
        found = best_effort(clock, d, distance)
        if found is None or found[0] <= 0:
            continue
        seconds, _ = found
        out[name] = {
            "distance_m": distance,
            "time_s": round(seconds, 1),
            "pace_s_per_km": round(seconds / distance * 1000.0, 1),
            "vdot": _rounded(vdot(distance, seconds)),
        }
    return out


def vdot(distance_m: float, seconds: float) -> float | None:
    """Daniels & Gilbert (1979, 'Oxygen Power') VDOT of a race performance.

    VO2 demand at velocity v (m/min): -4.60 + 0.182258 v + 0.000104 v^2
    fraction of VO2max sustainable for t minutes: 0.8 + 0.1894393 e^(-0.012778 t)
                                                  + 0.2989558 e^(-0.1932605 t)
    VDOT = demand / fraction. Valid for race durations of about 3.5 to 230 minutes.
    """
    minutes = seconds / 60.0
    if not 3.5 <= minutes <= 230.0:
        return None
    v = distance_m / minutes
    demand = -4.60 + 0.182258 * v + 0.000104 * v * v
    fraction = (
        0.8 + 0.1894393 * np.exp(-0.012778 * minutes) + 0.2989558 * np.exp(-0.1932605 * minutes)
    )
    return float(demand / fraction)


def best_vdot(efforts: dict[str, dict[str, Any]]) -> tuple[float | None, str | None]:
    """The highest VDOT among efforts of a mile or more (shorter ones overstate it)."""
    best: tuple[float | None, str | None] = (None, None)
    for name, effort in efforts.items():
        value = effort.get("vdot")
        if value is None or effort["distance_m"] < 1609.0:
            continue
        if best[0] is None or value > best[0]:
            best = (value, name)
    return best


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
