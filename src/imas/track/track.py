"""The Track: one activity as columnar numpy arrays plus what the device said about it.

Every decoder (FIT, GPX, TCX) produces Tracks; every metric consumes them. Streams are
float64 arrays of one common length, NaN where a sample has no value, so that metrics are
plain vectorised numpy. Units are SI: seconds, metres, metres per second, degrees, watts,
beats and cycles per minute, degrees Celsius.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

STREAMS: tuple[str, ...] = (
    "time",  # UTC epoch seconds (float: sub-second timestamps survive)
    "lat",  # degrees WGS84
    "lon",  # degrees WGS84
    "alt",  # metres above sea level
    "dist",  # metres, cumulative, as the device recorded it
    "speed",  # m/s as the device recorded it
    "hr",  # beats per minute
    "cad",  # cycles per minute (running: one foot, so steps = 2 x cycles)
    "power",  # watts
    "temp",  # degrees Celsius
)


@dataclass(frozen=True, slots=True)
class TimerEvent:
    """The device's timer was started or stopped (FIT event 'timer'; TCX/GPX never have them)."""

    time: float
    kind: Literal["start", "stop"]


@dataclass(frozen=True, slots=True)
class Lap:
    """A lap as the device recorded it. Fields are None where the file does not say."""

    start_time: float
    elapsed_s: float | None = None
    timer_s: float | None = None
    distance_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_power_w: float | None = None
    avg_speed_mps: float | None = None
    calories_kcal: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    trigger: str | None = None  # manual, distance, time, session_end, ...


@dataclass(frozen=True, slots=True)
class PoolLength:
    """One pool length of a lap swim (FIT 'length' message)."""

    start_time: float
    elapsed_s: float | None
    timer_s: float | None
    strokes: int | None
    stroke: str | None  # freestyle, backstroke, breaststroke, butterfly, drill, mixed, im
    active: bool  # False for rest ("idle") lengths
    avg_cadence: float | None = None  # strokes per minute


@dataclass(frozen=True, slots=True)
class StrengthSet:
    """One set of strength training (FIT 'set' message)."""

    start_time: float
    duration_s: float | None
    repetitions: int | None
    weight_kg: float | None
    active: bool  # False for rest sets
    category: str | None = None  # exercise category name (bench_press, squat, ...)


@dataclass(frozen=True, slots=True)
class SessionTotals:
    """What the device itself reported for the activity (FIT 'session' message; TCX lap sums).

    These are the reference values that our own metrics are tested against.
    """

    start_time: float | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None
    distance_m: float | None = None
    avg_speed_mps: float | None = None
    max_speed_mps: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence: float | None = None
    avg_power_w: float | None = None
    max_power_w: float | None = None
    normalized_power_w: float | None = None
    calories_kcal: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    steps: int | None = None
    pool_length_m: float | None = None
    num_lengths: int | None = None
    strokes: int | None = None
    training_stress_score: float | None = None


@dataclass(slots=True)
class Track:
    """One activity. Streams share one length; `warnings` says what the decoder had to skip."""

    time: FloatArray
    lat: FloatArray
    lon: FloatArray
    alt: FloatArray
    dist: FloatArray
    speed: FloatArray
    hr: FloatArray
    cad: FloatArray
    power: FloatArray
    temp: FloatArray
    source_format: Literal["fit", "gpx", "tcx"]
    # FIT sport names: running, cycling, walking, swimming, hiking, training, ...
    sport: str = "generic"
    # FIT sub-sport names: lap_swimming, open_water, treadmill, road, ...
    sub_sport: str | None = None
    device: str | None = None  # "garmin fenix2", "wahoo_fitness 28", a GPX creator, ...
    name: str | None = None
    events: list[TimerEvent] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    lengths: list[PoolLength] = field(default_factory=list)
    sets: list[StrengthSet] = field(default_factory=list)
    session: SessionTotals | None = None
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.time.shape[0])

    def has(self, stream: str) -> bool:
        """True when the stream holds at least one real value."""
        values: FloatArray = getattr(self, stream)
        return bool(values.size) and bool(np.isfinite(values).any())

    @classmethod
    def from_streams(
        cls,
        source_format: Literal["fit", "gpx", "tcx"],
        n: int,
        **kwargs: object,
    ) -> Track:
        """Build a Track of n samples; streams not given are all-NaN. Other kwargs pass through."""
        arrays: dict[str, FloatArray] = {}
        for name in STREAMS:
            given = kwargs.pop(name, None)
            if given is None:
                arrays[name] = np.full(n, np.nan)
            else:
                arr = np.asarray(given, dtype=np.float64)
                if arr.shape != (n,):
                    raise ValueError(f"stream {name} has shape {arr.shape}, expected ({n},)")
                arrays[name] = arr
        return cls(source_format=source_format, **arrays, **kwargs)  # type: ignore[arg-type]
