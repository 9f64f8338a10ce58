"""Strength training: sets, repetitions and weights from the device's set messages."""

from __future__ import annotations

from typing import Any

from imas.track.track import StrengthSet

# A hostile file could hold millions of sets; the detailed list stops here (totals don't).
MAX_LISTED_SETS = 500


def strength_summary(sets: list[StrengthSet]) -> dict[str, Any] | None:
    if not sets:
        return None
    active = [s for s in sets if s.active]
    reps = [s.repetitions for s in active if s.repetitions is not None]
    volume = sum(
        s.repetitions * s.weight_kg
        for s in active
        if s.repetitions is not None and s.weight_kg is not None
    )
    has_weights = any(s.weight_kg is not None for s in active)
    return {
        "sets": len(active),
        "rest_sets": len(sets) - len(active),
        "repetitions": sum(reps) if reps else None,
        "volume_kg": round(volume, 1) if has_weights else None,
        "set_time_s": round(sum(s.duration_s for s in active if s.duration_s is not None), 1),
        "details": [
            {
                "category": s.category,
                "repetitions": s.repetitions,
                "weight_kg": s.weight_kg,
                "duration_s": s.duration_s,
            }
            for s in active[:MAX_LISTED_SETS]
        ],
    }
