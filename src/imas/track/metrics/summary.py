"""analyze(track, profile) -> Summary: every per-activity figure, each with its method.

Pure: numpy over the Track, no clock (ages are taken on the activity's start date), no
settings, no database. Body data (birthday, sex, weight, height) arrives only in the Profile,
which the platform fills only with the person's consent; a figure that needs a missing value
is null and its method says what was missing.

Method strings (Summary.methods and calories_method) are stable; the platform words them:
- calories: "device", "power_work_efficiency_0.239", "keytel_2005",
  "met_compendium_2011(<MET>)", or "unknown: needs ..." / "unknown: no MET value ...";
- distance: "device", "pool_lengths", "geodesic_wgs84_smoothed_moving_only", "device_laps",
  "unknown: ...";
- moving: ["timer_events+"]("device_distance" | "positions" | "device_speed")">"<m/s>"m/s/"<s>"s",
  "timer", "pool_lengths", "untimed";
- hr_zones: "custom", "karvonen(<source>)", "percent_max(<source>)", source "profile" or
  "tanaka_2001"; trimp: "banister_<sex>(<source>)" or "unknown: needs ...".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from imas.track.metrics import energy, heart, pace, power, splits
from imas.track.metrics.best_efforts import best_efforts, best_vdot
from imas.track.metrics.distance import build_path
from imas.track.metrics.elevation import elevation, grade
from imas.track.metrics.moving import detect_moving
from imas.track.metrics.strength import strength_summary
from imas.track.metrics.swim import pace_per_100m, pool_summary
from imas.track.metrics.timeline import build_timeline, time_weighted_mean
from imas.track.track import FloatArray, Track

ON_FOOT = frozenset({"running", "walking", "hiking", "mountaineering", "trail_running"})
RUNNING = frozenset({"running", "trail_running"})
CYCLING = frozenset({"cycling", "e_biking"})
SEXES = frozenset({"female", "male"})

# Values outside what any human activity produces are sensor faults (or hostile input) and
# count as missing: they would otherwise dominate sums, maxima and averages.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "hr": (20.0, 300.0),  # bpm
    "cad": (0.0, 300.0),  # cycles/min
    "power": (0.0, 3000.0),  # W: a track sprinter peaks near 2500
    "speed": (0.0, 150.0),  # m/s
    "alt": (-1000.0, 10000.0),  # m
    "dist": (0.0, 1e8),  # m
}


@dataclass(frozen=True)
class Profile:
    """What is known about the person, passed only with their consent. None = not known."""

    birthday: dt.date | None = None
    sex: str | None = None  # "female" or "male" (sex-specific formulas need one of them)
    weight_kg: float | None = None
    height_cm: float | None = None
    max_hr: float | None = None
    resting_hr: float | None = None
    ftp_w: float | None = None
    lthr: float | None = None  # lactate-threshold heart rate, for hrTSS
    hr_zones: tuple[float, ...] | None = None  # own zone lower bounds (bpm), zone 1 first

    def __post_init__(self) -> None:
        limits = {
            "weight_kg": (1.0, 500.0),
            "height_cm": (30.0, 300.0),
            "max_hr": (60.0, 260.0),
            "resting_hr": (20.0, 150.0),
            "ftp_w": (10.0, 2500.0),
            "lthr": (50.0, 250.0),
        }
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and low <= value <= high):
                raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")
        if self.sex is not None and self.sex not in SEXES:
            raise ValueError(f"sex must be 'female' or 'male', got {self.sex!r}")
        if (
            self.max_hr is not None
            and self.resting_hr is not None
            and self.resting_hr >= self.max_hr
        ):
            raise ValueError("resting_hr must be below max_hr")


@dataclass(frozen=True)
class Summary:
    """The figures of one activity. Units SI; None where unknown (never a stand-in 0)."""

    sport: str
    sub_sport: str | None
    start_time: str | None
    elapsed_s: float | None
    timer_s: float | None
    moving_s: float | None
    distance_m: float | None
    ascent_m: float | None
    descent_m: float | None
    min_altitude_m: float | None
    max_altitude_m: float | None
    avg_speed_mps: float | None
    max_speed_mps: float | None
    gap_speed_mps: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    avg_power_w: float | None
    max_power_w: float | None
    normalized_power_w: float | None
    intensity_factor: float | None
    tss: float | None
    calories_kcal: float | None
    calories_method: str
    steps: int | None
    trimp: float | None
    hr_tss: float | None
    vdot: float | None
    points: int
    laps: int
    device: str | None
    methods: dict[str, str | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            if name in ("methods", "details"):
                continue
            value = getattr(self, name)
            out[name] = _clean(value)
        out["methods"] = _clean(self.methods)
        out.update({k: _clean(v) for k, v in self.details.items()})
        return out


def _clean(value: Any) -> Any:
    """JSON-safe, recursively: NaN/inf become None, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _r(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _mostly_finite(values: FloatArray, share: float = 0.5) -> bool:
    return bool(
        values.size > 0 and np.count_nonzero(np.isfinite(values)) >= max(2, share * values.size)
    )


def _device_distance(
    dist: FloatArray, t: FloatArray, start: float | None, path_length: float | None
) -> FloatArray | None:
    """The device's distance since this activity's start, gaps carried forward, never
    decreasing; None when absent or inconsistent with the positions."""
    if not _mostly_finite(dist):
        return None
    ok = np.isfinite(dist)
    last_valid = np.maximum.accumulate(np.where(ok, np.arange(dist.size), 0))
    filled = dist[last_valid]
    first = int(np.argmax(ok))
    filled[:first] = dist[first]
    cum: FloatArray = np.maximum.accumulate(filled)
    # A multisport file counts distance from the start of the whole file: the first value
    # of a later session is what came before, unless it could have been covered between
    # the press of start and the first record (15 m/s, at least 25 m).
    lead = float(t[0] - start) if start is not None and np.isfinite(t[0]) else 0.0
    if cum[0] > max(25.0, 15.0 * lead):
        cum = cum - cum[0]
    if not cum[-1] > 0:
        return None
    # A stream that grows by under half the GPS path (a Bryton file whose distance never
    # changes) is broken; the positions are the better source.
    if path_length is not None and path_length > 100.0 and cum[-1] < 0.5 * path_length:
        return None
    return cum


def _laps_distance(track: Track) -> float | None:
    """The sum of the device's lap distances, when every lap has a plausible one."""
    values = [lap.distance_m for lap in track.laps]
    if not values or any(v is None or not (math.isfinite(v) and v >= 0) for v in values):
        return None
    total = float(sum(v for v in values if v is not None))
    return total if 0 < total <= PLAUSIBLE["dist"][1] else None


def _stream(track: Track, index: npt.NDArray[np.intp], name: str) -> FloatArray:
    """A stream on the timeline's samples, implausible values made NaN."""
    values: FloatArray = getattr(track, name)[index]
    low, high = PLAUSIBLE[name]
    with np.errstate(invalid="ignore"):
        out: FloatArray = np.where((values >= low) & (values <= high), values, np.nan)
    return out


def analyze(track: Track, profile: Profile | None = None) -> Summary:
    """Every figure of one activity; see the module docstrings for each method and source."""
    # Non-finite intermediate values (hostile magnitudes) are handled where they matter;
    # numpy need not warn about them on the way.
    with np.errstate(all="ignore"):
        return _analyze(track, profile)


def _analyze(track: Track, profile: Profile | None) -> Summary:
    profile = profile or Profile()
    methods: dict[str, str | None] = {}
    details: dict[str, Any] = {}
    sport = track.sport or "generic"
    tl = build_timeline(track)
    t = tl.t
    n = tl.index.size
    start_epoch = (
        tl.start if tl.start is not None else (track.session.start_time if track.session else None)
    )
    start_date = (
        dt.datetime.fromtimestamp(start_epoch, tz=dt.UTC).date()
        if start_epoch is not None and math.isfinite(start_epoch) and abs(start_epoch) < 1e11
        else None
    )

    # --- position, distance, moving ---------------------------------------------------------
    path = build_path(tl.take(track.lat), tl.take(track.lon), t)
    path_length = float(np.nansum(path.step)) if path.has_positions else None
    dev_dist = (
        _device_distance(_stream(track, tl.index, "dist"), t, tl.start, path_length)
        if tl.timed
        else None
    )
    raw_speed = _stream(track, tl.index, "speed")
    dev_speed = raw_speed if _mostly_finite(raw_speed) else None
    mv = detect_moving(tl, path, dev_dist, dev_speed, sport)
    moving = mv.moving
    moving_s = mv.moving_s
    methods["moving"] = mv.method
    pool = pool_summary(track.lengths, track.session)
    if pool is not None:
        details["swim"] = pool
        if pool["swim_time_s"]:
            moving_s = pool["swim_time_s"]
            methods["moving"] = "pool_lengths"

    step = path.step
    cum_dist: FloatArray | None = None
    distance_m: float | None = None
    if pool is not None and pool["distance_m"] is not None:
        distance_m = pool["distance_m"]
        methods["distance"] = "pool_lengths"
        cum_dist = dev_dist
    elif dev_dist is not None:
        distance_m = float(dev_dist[-1])
        methods["distance"] = "device"
        cum_dist = dev_dist
    elif path.has_positions and n >= 2:
        counted = np.where(moving & np.isfinite(step), step, 0.0)
        cum_dist = np.concatenate(([0.0], np.cumsum(counted)))
        distance_m = float(cum_dist[-1])
        methods["distance"] = "geodesic_wgs84_smoothed_moving_only"
    elif lap_total := _laps_distance(track):
        # A pool swim exported as TCX keeps its distances only in the laps.
        distance_m = lap_total
        methods["distance"] = "device_laps"
    else:
        methods["distance"] = "unknown: no distance stream, positions, pool lengths or laps"

    # --- time -------------------------------------------------------------------------------
    clock = np.concatenate(([0.0], np.cumsum(tl.dt))) if tl.timed else None
    cum_moving = (
        np.concatenate(([0.0], np.cumsum(np.where(moving, np.diff(t), 0.0)))) if tl.timed else None
    )
    methods["timer"] = tl.timer_source if tl.timed else None

    # --- speed ------------------------------------------------------------------------------
    avg_speed = distance_m / moving_s if distance_m and moving_s else None
    speed_cum = cum_dist
    if dev_dist is None and path.has_positions and n >= 2:
        speed_cum = np.concatenate(([0.0], np.cumsum(np.where(np.isfinite(step), step, 0.0))))
    max_speed, methods["max_speed"] = (
        pace.max_speed(t, moving, dev_speed, speed_cum) if tl.timed else (None, None)
    )
    if pool is not None:
        max_speed, methods["max_speed"] = None, None

    # --- elevation --------------------------------------------------------------------------
    elev = elevation(_stream(track, tl.index, "alt"), t, tl.timed, cum_dist)
    methods["elevation"] = elev.method
    gap_speed = None
    if sport in ON_FOOT and cum_dist is not None and elev.ascent_m is not None:
        gait = "run" if sport in RUNNING else "walk"
        g = grade(elev.smoothed, cum_dist)
        gap_speed = pace.grade_adjusted_speed(np.diff(cum_dist), g, moving, moving_s, gait)
        methods["gap"] = f"minetti_2002_{gait}"
    if cum_dist is not None and elev.ascent_m is not None and pool is None:
        # Steepest sustained grade: over 100 m of path, so GPS and altitude noise over a few
        # metres cannot make a 40 % 'wall' out of a flat road.
        g100 = grade(elev.smoothed, cum_dist, span_m=100.0)
        if np.isfinite(g100).any():
            details["max_grade_pct"] = _r(float(np.nanmax(g100)) * 100.0, 1)
            details["min_grade_pct"] = _r(float(np.nanmin(g100)) * 100.0, 1)

    # --- heart rate ---------------------------------------------------------------------------
    hr = _stream(track, tl.index, "hr")
    has_hr = bool(np.isfinite(hr).any())
    avg_hr = max_hr = None
    if has_hr:
        avg_hr = time_weighted_mean(hr, tl.dt) if tl.timed else float(np.nanmean(hr))
        max_hr = float(np.nanmax(hr))
    basis = heart.heart_basis(profile.max_hr, profile.resting_hr, profile.birthday, start_date)
    trimp = hrtss = None
    if has_hr and tl.timed:
        bounds, methods["hr_zones"] = heart.zone_bounds(basis, profile.hr_zones)
        if bounds is not None:
            details["hr_zones"] = heart.time_in_zones(hr, tl.dt, bounds)
        if basis.max_hr is None:
            methods["trimp"] = basis.max_hr_source
        elif basis.resting_hr is None:
            methods["trimp"] = "unknown: needs resting_hr"
        elif profile.sex is None:
            methods["trimp"] = "unknown: needs sex (sex-specific coefficient)"
        else:
            trimp = heart.banister_trimp(hr, tl.dt, basis.max_hr, basis.resting_hr, profile.sex)
            hrtss = heart.hr_tss(trimp, basis.max_hr, basis.resting_hr, profile.sex, profile.lthr)
            methods["trimp"] = f"banister_{profile.sex}({basis.max_hr_source})"
            methods["hr_tss"] = "lthr_profile" if profile.lthr else "lthr_85pct_reserve"

    # --- cadence, power ------------------------------------------------------------------------
    cad = _stream(track, tl.index, "cad")
    avg_cad = None
    if tl.timed and np.isfinite(cad).any():
        avg_cad = time_weighted_mean(
            np.where(cad > 0, cad, np.nan), np.where(moving, np.diff(t), 0.0)
        )
    watts = _stream(track, tl.index, "power")
    avg_power = max_power = np_w = intensity = tss = None
    watts_1hz: FloatArray | None = None
    if tl.timed and np.isfinite(watts).any():
        per_s = power.per_second(t, watts, tl.running)
        # Seconds without a valid reading (sensor dropouts) are skipped like pauses, not
        # taken as 0 W: that is how the devices' own averages and NP come out (corpus).
        per_s = per_s[np.isfinite(per_s)]
        if per_s.size:
            watts_1hz = per_s
            avg_power = float(watts_1hz.mean())
            max_power = float(np.nanmax(watts))
            np_w = power.normalized_power(watts_1hz)
            details["power_curve"] = power.power_curve(watts_1hz)
            if np_w is not None and profile.ftp_w:
                intensity, tss = power.intensity_and_tss(np_w, watts_1hz.size, profile.ftp_w)
                methods["tss"] = "coggan(ftp_profile)"
            elif np_w is not None:
                methods["tss"] = "unknown: needs ftp_w"

    # --- energy and steps --------------------------------------------------------------------
    age = heart.age_years(profile.birthday, start_date) if profile.birthday and start_date else None
    calories, calories_method = _calories(
        track, sport, profile, age, hr, tl.dt, watts_1hz, avg_speed, moving_s, has_hr
    )
    steps, methods["steps"] = None, None
    if track.session and track.session.steps:
        steps, methods["steps"] = int(track.session.steps), "device"
    elif sport in ON_FOOT and tl.timed:
        steps, methods["steps"] = energy.steps_from_cadence(cad, tl.dt)

    # --- running: best efforts, VDOT; splits, laps -------------------------------------------
    vdot = None
    if sport in RUNNING and cum_dist is not None and clock is not None:
        efforts = best_efforts(clock, cum_dist)
        if efforts:
            details["best_efforts"] = efforts
            vdot, methods["vdot"] = best_vdot(efforts)
            if methods["vdot"]:
                methods["vdot"] = f"daniels_gilbert({methods['vdot']})"
    if cum_dist is not None and cum_moving is not None and pool is None:
        details["splits_km"], details["splits_mile"] = splits.splits(
            (splits.KM, splits.MILE), t, cum_dist, cum_moving, hr, tl.dt, elev.smoothed
        )
    if track.laps:
        details["lap_details"] = splits.laps(
            track.laps, t if tl.timed else np.zeros(0), cum_dist, hr, tl.dt
        )
    if sport in ON_FOOT and avg_speed:
        details["avg_pace_s_per_km"] = _r(1000.0 / avg_speed, 1)
        if gap_speed:
            details["gap_pace_s_per_km"] = _r(1000.0 / gap_speed, 1)
    if pool is None and sport == "swimming" and distance_m:
        details["swim"] = {
            "open_water": True,
            "distance_m": _r(distance_m),
            "pace_s_per_100m": pace_per_100m(distance_m, moving_s),
        }
    gym = strength_summary(track.sets)
    if gym is not None:
        details["strength"] = gym
    if track.warnings:
        details["warnings"] = list(track.warnings)

    return Summary(
        sport=sport,
        sub_sport=track.sub_sport,
        start_time=splits.iso_utc(start_epoch) if start_date is not None and start_epoch else None,
        elapsed_s=_r(tl.elapsed_s, 3),
        timer_s=_r(tl.timer_s, 3),
        moving_s=_r(moving_s, 1),
        distance_m=_r(distance_m),
        ascent_m=_r(elev.ascent_m, 1),
        descent_m=_r(elev.descent_m, 1),
        min_altitude_m=_r(elev.min_alt_m, 1),
        max_altitude_m=_r(elev.max_alt_m, 1),
        avg_speed_mps=_r(avg_speed, 3),
        max_speed_mps=_r(max_speed, 3),
        gap_speed_mps=_r(gap_speed, 3),
        avg_hr=_r(avg_hr, 1),
        max_hr=_r(max_hr, 0),
        avg_cadence=_r(avg_cad, 1),
        avg_power_w=_r(avg_power, 1),
        max_power_w=_r(max_power, 0),
        normalized_power_w=_r(np_w, 1),
        intensity_factor=_r(intensity, 3),
        tss=_r(tss, 1),
        calories_kcal=_r(calories, 0),
        calories_method=calories_method,
        steps=steps,
        trimp=_r(trimp, 1),
        hr_tss=_r(hrtss, 1),
        vdot=_r(vdot, 1),
        points=len(track),
        laps=len(track.laps),
        device=track.device,
        methods=methods,
        details=details,
    )


def _calories(
    track: Track,
    sport: str,
    profile: Profile,
    age: int | None,
    hr: FloatArray,
    dt_running: FloatArray,
    watts_1hz: FloatArray | None,
    avg_speed: float | None,
    moving_s: float | None,
    has_hr: bool,
) -> tuple[float | None, str]:
    """The energy figure and the method that gave it (or why there is none)."""
    session = track.session
    if session is not None and session.calories_kcal:  # 0 means 'not computed' in FIT files
        return float(session.calories_kcal), "device"
    if sport in CYCLING and watts_1hz is not None and watts_1hz.size and watts_1hz.any():
        return energy.work_kcal(watts_1hz), "power_work_efficiency_0.239"
    if has_hr and age is not None and profile.weight_kg and profile.sex:
        kcal = energy.keytel_kcal(hr, dt_running, age, profile.weight_kg, profile.sex)
        if kcal is not None:
            return kcal, "keytel_2005"
    if not profile.weight_kg:
        if has_hr:
            return None, "unknown: needs weight_kg (and birthday and sex for heart rate)"
        return None, "unknown: needs weight_kg"
    met = energy.met_value(sport, avg_speed)
    if met is None or not moving_s:
        return None, f"unknown: no MET value for {sport} at this speed"
    return energy.met_kcal(met, profile.weight_kg, moving_s), f"met_compendium_2011({met:.1f})"
