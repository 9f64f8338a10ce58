"""Strength training: sets, repetitions and weights from the device's set messages."""

from __future__ import annotations

import math
from typing import Any

from imas.track.track import StrengthSet

# A hostile file could hold millions of sets; the detailed list stops here (totals don't).
MAX_LISTED_SETS = 500


# Beyond these a set message is broken, not heavy: such values are left out.
MAX_REPETITIONS = 10_000
MAX_WEIGHT_KG = 1_000.0
MAX_SET_S = 24 * 3600.0


def _reps(s: StrengthSet) -> int | None:
    r = s.repetitions
    return r if r is not None and 0 <= r <= MAX_REPETITIONS else None


def _weight(s: StrengthSet) -> float | None:
    w = s.weight_kg
    return w if w is not None and math.isfinite(w) and 0.0 <= w <= MAX_WEIGHT_KG else None


def _duration(s: StrengthSet) -> float | None:
    d = s.duration_s
    return d if d is not None and math.isfinite(d) and 0.0 <= d <= MAX_SET_S else None


def strength_summary(sets: list[StrengthSet]) -> dict[str, Any] | None:
    """Sets, repetitions, volume (sum of repetitions x weight) and time under load."""
    if not sets:
        return None
    active = [s for s in sets if s.active]
    reps = [r for s in active if (r := _reps(s)) is not None]
    weighted = [
        (r, w) for s in active if (r := _reps(s)) is not None and (w := _weight(s)) is not None
    ]
    volume = sum(r * w for r, w in weighted)
    has_weights = any(_weight(s) is not None for s in active)
    return {
        "sets": len(active),
        "rest_sets": len(sets) - len(active),
        "repetitions": sum(reps) if reps else None,
        "volume_kg": round(volume, 1) if has_weights else None,
        "set_time_s": round(sum(d for s in active if (d := _duration(s)) is not None), 1),
        "details": [
            {
                "category": s.category,
                "repetitions": _reps(s),
                "weight_kg": _weight(s),
                "duration_s": _duration(s),
            }
            for s in active[:MAX_LISTED_SETS]
        ],
    }
