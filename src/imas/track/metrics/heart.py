"""Heart rate: maximum estimate, zones, Banister TRIMP and hrTSS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from imas.track.track import FloatArray

# Zone lower bounds as fractions (of max HR, or of heart-rate reserve with Karvonen): the
# common five-zone model, zone 1 from 50 %.
ZONE_FRACTIONS = (0.5, 0.6, 0.7, 0.8, 0.9)

# Banister (1991) TRIMP weighting y = a * e^(b * HRr), by sex (Banister EW, "Modeling elite
# athletic performance", in Physiological Testing of Elite Athletes, 1991; Morton, Fitz-Clarke
# & Banister 1990, J Appl Physiol 69:1171).
BANISTER = {"male": (0.64, 1.92), "female": (0.86, 1.67)}

# Without the person's own lactate-threshold HR, hrTSS uses 85 % of heart-rate reserve
# (a common estimate of the threshold; the method says so).
LTHR_FRACTION_OF_RESERVE = 0.85


def age_years(birthday: dt.date, on: dt.date) -> int:
    """Completed years on a date (the activity's start date: the core has no clock)."""
    return on.year - birthday.year - ((on.month, on.day) < (birthday.month, birthday.day))


def tanaka_max_hr(age: float) -> float:
    """Tanaka H, Monahan KD, Seals DR (2001) J Am Coll Cardiol 37:153-156: HRmax = 208 - 0.7 age."""
    return 208.0 - 0.7 * age


@dataclass(frozen=True, slots=True)
class HeartBasis:
    """The max and resting HR used for zones and load, and where they came from."""

    max_hr: float | None
    max_hr_source: str  # "profile", "tanaka_2001", or why there is none
    resting_hr: float | None


def heart_basis(
    max_hr: float | None, resting_hr: float | None, birthday: dt.date | None, on: dt.date | None
) -> HeartBasis:
    if max_hr is not None and max_hr > 0:
        return HeartBasis(max_hr, "profile", resting_hr)
    if birthday is not None and on is not None:
        age = age_years(birthday, on)
        if 5 <= age <= 110:
            return HeartBasis(tanaka_max_hr(age), "tanaka_2001", resting_hr)
    return HeartBasis(None, "unknown: needs max_hr or birthday", resting_hr)


def zone_bounds(
    basis: HeartBasis, custom: tuple[float, ...] | None
) -> tuple[list[float] | None, str]:
    """Lower bounds (bpm) of zones 1..k, and the method that gave them."""
    if custom:
        bounds = sorted(float(b) for b in custom if np.isfinite(b) and b > 0)
        if bounds:
            return bounds, "custom"
    if basis.max_hr is None:
        return None, basis.max_hr_source
    rest = basis.resting_hr
    if rest is not None and 0 < rest < basis.max_hr:
        return [rest + f * (basis.max_hr - rest) for f in ZONE_FRACTIONS], (
            f"karvonen({basis.max_hr_source})"
        )
    return [f * basis.max_hr for f in ZONE_FRACTIONS], f"percent_max({basis.max_hr_source})"


def time_in_zones(
    hr: FloatArray, dt_running: FloatArray, bounds: list[float]
) -> list[dict[str, Any]]:
    """Seconds per zone; zone 0 is below zone 1. Each interval counts at its starting HR."""
    v = hr[:-1]
    ok = np.isfinite(v) & (dt_running > 0)
    zone = np.searchsorted(np.asarray(bounds), v[ok], side="right")
    seconds = np.bincount(zone, weights=dt_running[ok], minlength=len(bounds) + 1)
    out = []
    for z in range(len(bounds) + 1):
        out.append(
            {
                "zone": z,
                "min_bpm": round(bounds[z - 1], 1) if z > 0 else None,
                "max_bpm": round(bounds[z], 1) if z < len(bounds) else None,
                "seconds": round(float(seconds[z]), 1),
            }
        )
    return out


def banister_trimp(
    hr: FloatArray, dt_running: FloatArray, max_hr: float, resting_hr: float, sex: str
) -> float:
    """Banister TRIMP: sum over minutes of HRr * a * e^(b * HRr), HRr the fraction of reserve."""
    a, b = BANISTER[sex]
    v = hr[:-1]
    ok = np.isfinite(v) & (dt_running > 0)
    hrr = np.clip((v[ok] - resting_hr) / (max_hr - resting_hr), 0.0, 1.0)
    return float(np.sum(dt_running[ok] / 60.0 * hrr * a * np.exp(b * hrr)))


def hr_tss(trimp: float, max_hr: float, resting_hr: float, sex: str, lthr: float | None) -> float:
    """hrTSS: TRIMP relative to one hour at lactate-threshold HR, x 100."""
    a, b = BANISTER[sex]
    threshold = lthr if lthr else resting_hr + LTHR_FRACTION_OF_RESERVE * (max_hr - resting_hr)
    hrr = float(np.clip((threshold - resting_hr) / (max_hr - resting_hr), 1e-6, 1.0))
    one_hour = 60.0 * hrr * a * float(np.exp(b * hrr))
    return 100.0 * trimp / one_hour
