"""Swimming: pool lengths, strokes, SWOLF and pace per 100 m; open water uses the GPS path."""

from __future__ import annotations

import math
from typing import Any

from imas.track.track import PoolLength, SessionTotals

# Pools run from short hotel pools to 50 m; anything outside this is not a pool length.
POOL_LENGTH_M = (10.0, 100.0)
# A single length takes seconds to minutes; strokes per length stay well below this.
MAX_LENGTH_S = 3600.0
MAX_STROKES = 1000


def _seconds(length: PoolLength) -> float | None:
    value = length.timer_s if length.timer_s is not None else length.elapsed_s
    if value is None or not (math.isfinite(value) and 0.0 <= value <= MAX_LENGTH_S):
        return None
    return value


def _strokes(length: PoolLength) -> int | None:
    s = length.strokes
    return s if s is not None and 0 <= s <= MAX_STROKES else None


def pool_summary(lengths: list[PoolLength], session: SessionTotals | None) -> dict[str, Any] | None:
    """Figures of a pool swim from its lengths; None when the file has no lengths.

    Distance is the active lengths times the pool length the device was set to; rest
    ('idle') lengths count neither distance nor swimming time. Values a length cannot have
    (negative or huge times and stroke counts) are left out.
    """
    if not lengths:
        return None
    active = [x for x in lengths if x.active]
    pool_m = session.pool_length_m if session is not None else None
    if pool_m is not None and not (
        math.isfinite(pool_m) and POOL_LENGTH_M[0] <= pool_m <= POOL_LENGTH_M[1]
    ):
        pool_m = None
    distance = len(active) * pool_m if pool_m and active else None
    times = [_seconds(x) for x in active]
    known_times = [t for t in times if t is not None]
    swim_s = sum(known_times) if known_times else None
    strokes = [_strokes(x) for x in active]
    known_strokes = [s for s in strokes if s is not None]
    # SWOLF of a length: its time in seconds plus its stroke count.
    swolfs = [t + s for t, s in zip(times, strokes, strict=True) if t is not None and s]
    by_stroke: dict[str, int] = {}
    for x in active:
        by_stroke[x.stroke or "unknown"] = by_stroke.get(x.stroke or "unknown", 0) + 1
    return {
        "pool_length_m": pool_m,
        "lengths": len(active),
        "rest_lengths": len(lengths) - len(active),
        "distance_m": distance,
        "swim_time_s": round(swim_s, 3) if swim_s is not None else None,
        "strokes": sum(known_strokes) if known_strokes else None,
        "avg_swolf": round(sum(swolfs) / len(swolfs), 1) if swolfs else None,
        "pace_s_per_100m": (round(swim_s / distance * 100.0, 1) if distance and swim_s else None),
        "lengths_by_stroke": by_stroke,
    }


def pace_per_100m(distance_m: float | None, moving_s: float | None) -> float | None:
    if not distance_m or not moving_s:
        return None
    return round(moving_s / distance_m * 100.0, 1)
