"""Energy expenditure (kcal), always with the method that produced it, and step counts.

In order of trust:
1. the device's own total (it knows the person's settings and its own sensors);
2. cycling with a power meter: mechanical work / gross efficiency. With a gross efficiency of
   ~24 % (Ettema & Loras 2009, Eur J Appl Physiol 106:1) 1 kJ of work costs ~1 kcal
   (1 / 0.239 / 4.184 = 1.0): the corpus confirms devices report kcal ~= kJ;
3. heart rate, age, weight and sex: Keytel LR et al. (2005) J Sports Sci 23:289-297,
   energy expenditure in kJ/min without VO2max:
     men:   -55.0969 + 0.6309 HR + 0.1988 W + 0.2017 A
     women: -20.4022 + 0.4472 HR - 0.1263 W + 0.0740 A
4. MET by sport and speed with weight: Ainsworth BE et al. (2011) Compendium of Physical
   Activities, Med Sci Sports Exerc 43:1575-1581; kcal = MET x kg x hours moving.
Without what a method needs, the next one is tried; if none works the figure is null and the
method says what was missing. No default body is ever assumed.
"""

from __future__ import annotations

import math

import numpy as np

from imas.track.track import FloatArray

KJ_PER_KCAL = 4.184
GROSS_EFFICIENCY_CYCLING = 0.239  # kcal of food per kJ of work ~ 1 / (0.239 * 4.184) = 1.0

KEYTEL = {
    # sex: (constant, HR, weight kg, age years) -> kJ/min
    "male": (-55.0969, 0.6309, 0.1988, 0.2017),
    "female": (-20.4022, 0.4472, -0.1263, 0.0740),
}

# Compendium 2011 MET values by speed (m/s); between rows, linear interpolation, clamped.
_MPH = 0.44704
MET_BY_SPEED: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    # running, 12xxx: 4, 5, 5.2, 6, 6.7, 7, 7.5, 8, 8.6, 9, 10, 11, 12, 13, 14 mph
    "running": (
        tuple(v * _MPH for v in (4, 5, 5.2, 6, 6.7, 7, 7.5, 8, 8.6, 9, 10, 11, 12, 13, 14)),
        (6.0, 8.3, 9.0, 9.8, 10.5, 11.0, 11.8, 11.8, 12.3, 12.8, 14.5, 16.0, 19.0, 19.8, 23.0),
    ),
    # walking, 17xxx, level firm surface: <2, 2, 2.5, 3 (2.8-3.2), 3.5, 4, 4.5, 5 mph
    "walking": (
        tuple(v * _MPH for v in (1.7, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)),
        (2.0, 2.8, 3.0, 3.5, 4.3, 5.0, 7.0, 8.3),
    ),
    # bicycling, 01xxx: <10 leisure, 10-11.9, 12-13.9, 14-15.9, 16-19, >20 mph (mid-brackets)
    "cycling": (
        tuple(v * _MPH for v in (9.0, 11.0, 13.0, 15.0, 17.5, 21.0)),
        (4.0, 6.8, 8.0, 10.0, 12.0, 15.8),
    ),
}
MET_FIXED: dict[str, float] = {
    "hiking": 6.0,  # 17080 hiking, cross country
    "swimming": 5.8,  # 18310 swimming laps, freestyle, light or moderate effort
    "training": 3.5,  # 02054 resistance training, multiple exercises, 8-15 repetitions
    "rowing": 7.0,  # 02072 rowing, stationary ergometer, general, moderate effort
    "cross_country_skiing": 9.0,  # 19080 skiing, cross country, 4.0-4.9 mph, moderate
}


def keytel_kcal(
    hr: FloatArray, dt_running: FloatArray, age: float, weight_kg: float, sex: str
) -> float | None:
    """Keytel 2005 integrated over the running intervals with a heart rate (never negative)."""
    c, k_hr, k_w, k_a = KEYTEL[sex]
    v = hr[:-1]
    ok = np.isfinite(v) & (dt_running > 0)
    if not ok.any():
        return None
    kj_per_min = np.maximum(c + k_hr * v[ok] + k_w * weight_kg + k_a * age, 0.0)
    return float(np.sum(kj_per_min * dt_running[ok] / 60.0) / KJ_PER_KCAL)


def met_value(sport: str, speed_mps: float | None) -> float | None:
    table = MET_BY_SPEED.get(sport)
    if table is not None:
        if speed_mps is None or not np.isfinite(speed_mps) or speed_mps <= 0:
            return None
        return float(np.interp(speed_mps, table[0], table[1]))
    return MET_FIXED.get(sport)


def met_kcal(met: float, weight_kg: float, moving_s: float) -> float:
    return met * weight_kg * moving_s / 3600.0


def work_kcal(watts_1hz: FloatArray) -> float:
    """kcal from cycling work: kJ / (gross efficiency x 4.184)."""
    kj = float(np.sum(watts_1hz)) / 1000.0
    return kj / (GROSS_EFFICIENCY_CYCLING * KJ_PER_KCAL)


def steps_from_cadence(cad: FloatArray, dt_running: FloatArray) -> tuple[int | None, str | None]:
    """Steps from a running/walking cadence stream.

    FIT, TCX and Garmin GPX count cycles of one foot, so steps = 2 x cycles. Some apps write
    steps per minute instead: a median above 120 per minute while moving cannot be one foot
    of a human gait (running is 75-100 per foot), so such a stream is taken as steps already.
    """
    v = cad[:-1]
    ok = np.isfinite(v) & (v > 0) & (dt_running > 0)
    if not ok.any():
        return None, None
    cycles = float(np.sum(v[ok] * dt_running[ok] / 60.0))
    if not math.isfinite(cycles):
        return None, None
    if float(np.median(v[ok])) > 120.0:
        return round(cycles), "cadence_as_steps"
    return round(2 * cycles), "cadence_x2"
