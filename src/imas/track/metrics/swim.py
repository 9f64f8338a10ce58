"""Swimming: pool lengths, strokes, SWOLF and pace per 100 m; open water uses the GPS path."""

from __future__ import annotations

from typing import Any

from imas.track.track import PoolLength, SessionTotals


def pool_summary(lengths: list[PoolLength], session: SessionTotals | None) -> dict[str, Any] | None:
    """Figures of a pool swim from its lengths; None when the file has no lengths."""
    if not lengths:
        return None
    active = [x for x in lengths if x.active]
    pool_m = session.pool_length_m if session and session.pool_length_m else None
    distance = len(active) * pool_m if pool_m else None
    times = [x.timer_s if x.timer_s is not None else x.elapsed_s for x in active]
    swim_s = sum(t for t in times if t is not None) if active else None
    strokes = [x.strokes for x in active if x.strokes is not None]
    # SWOLF of a length: its time in seconds plus its stroke count.
    swolfs = [
        t + x.strokes for x, t in zip(active, times, strict=True) if t is not None and x.strokes
    ]
    by_stroke: dict[str, int] = {}
    for x in active:
        by_stroke[x.stroke or "unknown"] = by_stroke.get(x.stroke or "unknown", 0) + 1
    return {
        "pool_length_m": pool_m,
        "lengths": len(active),
        "rest_lengths": len(lengths) - len(active),
        "distance_m": distance,
        "swim_time_s": round(swim_s, 3) if swim_s is not None else None,
        "strokes": sum(strokes) if strokes else None,
        "avg_swolf": round(sum(swolfs) / len(swolfs), 1) if swolfs else None,
        "pace_s_per_100m": (round(swim_s / distance * 100.0, 1) if distance and swim_s else None),
        "lengths_by_stroke": by_stroke,
    }


def pace_per_100m(distance_m: float | None, moving_s: float | None) -> float | None:
    if not distance_m or not moving_s:
        return None
    return round(moving_s / distance_m * 100.0, 1)
