"""Realistic synthetic activities whose true distance, moving time, climbing and speed are known.

The true motion is generated at 10 Hz from a schedule of speeds (with stops, a walking break
and a sprint), a smoothly curving path on the WGS84 ellipsoid and a rolling terrain. The
recorded Track (1 Hz) then gets the errors real sensors make:
- GPS position: a slowly wandering error (white noise smoothed over ~30 s, 2.5 m sigma per
  axis, as multipath and satellite geometry change) plus 0.4 m of fix-to-fix jitter, which
  also goes on while the athlete stands still (1-3 km/h of apparent motion);
- barometric altitude: 0.15 m white noise, a slow weather drift, 0.2 m resolution (FIT);
  or GPS altitude: 4 m wandering error plus 1.5 m jitter;
- heart rate lagging the effort; device speed/distance streams and auto-pause timer events
  when a device recording is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from imas.track import TimerEvent, Track
from imas.track.metrics.distance import radii_of_curvature

FINE_HZ = 10
START = 1_700_000_000.0  # 2023-11-14T22:13:20Z

# (duration s, speed m/s for running; cycling multiplies by 2.6). 0 = standing still.
_SCHEDULE: list[tuple[float, float]] = [
    (600.0, 2.8),
    (1500.0, 3.2),
    (120.0, 0.0),  # traffic light
    (1200.0, 3.35),
    (300.0, 1.4),  # walking break
    (900.0, 3.1),
    (240.0, 0.0),  # stop at a water fountain
    (600.0, 3.3),
    (60.0, 5.6),  # sprint
    (300.0, 2.5),
]


@dataclass(frozen=True)
class Truth:
    distance_m: float
    moving_s: float
    elapsed_s: float
    ascent_m: float
    descent_m: float
    max_speed_mps: float


@dataclass(frozen=True)
class Synthetic:
    track: Track
    truth: Truth


def _smooth_noise(rng: np.random.Generator, n: int, sigma_samples: float, std: float) -> np.ndarray:
    """Gaussian-smoothed white noise with the given standard deviation."""
    half = int(4 * sigma_samples)
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma_samples) ** 2)
    raw = rng.standard_normal(n + 2 * half)
    out = np.convolve(raw, k / k.sum(), mode="valid")[:n]
    return out / out.std() * std


def synthetic_activity(
    *,
    seed: int = 0,
    sport: Literal["running", "cycling"] = "running",
    altitude: Literal["barometric", "gps", "none"] = "barometric",
    device: bool = False,
    schedule: list[tuple[float, float]] | None = None,
) -> Synthetic:
    rng = np.random.default_rng(seed)
    plan = schedule or _SCHEDULE
    scale = 2.6 if sport == "cycling" else 1.0

    # --- true motion at 10 Hz -------------------------------------------------------------
    target = np.concatenate(
        [np.full(int(d * FINE_HZ), v * scale if v > 0 else 0.0) for d, v in plan]
    )
    n_fine = target.size
    # Smooth accelerations (~4 s ramps) and a few % of pace variation while moving.
    ramp = np.ones(4 * FINE_HZ) / (4 * FINE_HZ)
    stopped = target == 0
    varied = target * (1.0 + _smooth_noise(rng, n_fine, 60 * FINE_HZ, 0.03))
    speed = np.convolve(
        np.pad(varied, (ramp.size // 2, ramp.size - 1 - ramp.size // 2), "edge"), ramp, mode="valid"
    )
    speed[stopped & (np.convolve(stopped, ramp, mode="same") > 0.999)] = 0.0
    speed = np.maximum(speed, 0.0)
    dt = 1.0 / FINE_HZ
    dist = np.concatenate(([0.0], np.cumsum((speed[:-1] + speed[1:]) / 2.0 * dt)))
    # Path curvature as a function of distance: radius never below ~40 m.
    curvature = np.clip(_smooth_noise(rng, n_fine, 30 * FINE_HZ, 1 / 120), -1 / 40, 1 / 40)
    heading = np.cumsum(curvature * np.diff(dist, prepend=0.0))
    step = np.diff(dist, prepend=0.0)
    lat = np.empty(n_fine)
    lon = np.empty(n_fine)
    lat0, lon0 = 46.05, 14.5
    # Integrate north/east steps to latitude/longitude with the local radii of curvature.
    north = step * np.cos(heading)
    east = step * np.sin(heading)
    lat_approx = lat0 + np.degrees(np.cumsum(north) / radii_of_curvature(np.array([lat0]))[0][0])
    m, n = radii_of_curvature(lat_approx)
    lat = lat0 + np.degrees(np.cumsum(north / m))
    lon = lon0 + np.degrees(np.cumsum(east / (n * np.cos(np.radians(lat)))))
    # Terrain: rolling hills along the path.
    terrain = 300.0 + sum(
        amp * np.sin(2 * np.pi * dist / wavelength + phase)
        for amp, wavelength, phase in zip(
            rng.uniform(3, 15, 5),
            rng.uniform(1000, 5000, 5),
            rng.uniform(0, 2 * np.pi, 5),
            strict=True,
        )
    )
    rises = np.diff(terrain)
    fine_t = np.arange(n_fine) * dt

    # --- what a device records at 1 Hz ---------------------------------------------------
    every = FINE_HZ
    idx = np.arange(0, n_fine, every)
    n = idx.size
    t = START + fine_t[idx]
    gps_n = _smooth_noise(rng, n, 30.0, 2.5) + rng.normal(0, 0.4, n)
    gps_e = _smooth_noise(rng, n, 30.0, 2.5) + rng.normal(0, 0.4, n)
    m1, n1 = radii_of_curvature(lat[idx])
    rec_lat = lat[idx] + np.degrees(gps_n / m1)
    rec_lon = lon[idx] + np.degrees(gps_e / (n1 * np.cos(np.radians(lat[idx]))))
    alt: np.ndarray | None
    if altitude == "barometric":
        drift = np.linspace(0.0, rng.uniform(-2.0, 2.0), n) + _smooth_noise(rng, n, 600.0, 0.5)
        alt = np.round((terrain[idx] + drift + rng.normal(0, 0.15, n)) / 0.2) * 0.2
    elif altitude == "gps":
        alt = terrain[idx] + _smooth_noise(rng, n, 30.0, 4.0) + rng.normal(0, 1.5, n)
    else:
        alt = None
    effort = np.convolve(np.pad(speed[idx] / scale, (0, 59), "edge"), np.ones(60) / 60, "valid")
    hr = np.round(np.clip(65 + 22 * effort + rng.normal(0, 1.0, n), 50, 200))
    kwargs: dict[str, object] = {}
    events: list[TimerEvent] = []
    if device:
        kwargs["dist"] = np.round(dist[idx] * 100) / 100
        kwargs["speed"] = np.round(np.maximum(speed[idx] + rng.normal(0, 0.05, n), 0) * 1000) / 1000
        kwargs["speed"] = np.where(speed[idx] == 0, 0.0, kwargs["speed"])  # type: ignore[call-overload]
        moving_now = speed[idx] > 0
        changes = np.flatnonzero(np.diff(moving_now.astype(int)))
        events.append(TimerEvent(float(t[0]), "start"))
        for c in changes:
            events.append(TimerEvent(float(t[c + 1]), "start" if moving_now[c + 1] else "stop"))
        events.append(TimerEvent(float(t[-1]), "stop"))
    if sport == "cycling":
        v = speed[idx]
        grade = np.gradient(terrain[idx]) / np.maximum(np.gradient(dist[idx]), 0.1)
        power = 0.5 * 1.2 * 0.32 * v**3 + 0.004 * 80 * 9.81 * v + 80 * 9.81 * v * grade
        kwargs["power"] = np.round(np.clip(power + rng.normal(0, 8, n), 0, 1500) * (v > 0))
    track = Track.from_streams(
        "fit" if device else "gpx",
        n,
        time=t,
        lat=rec_lat,
        lon=rec_lon,
        alt=alt,
        hr=hr,
        sport=sport,
        events=events,
        **kwargs,
    )
    moving_fine = speed > 0
    truth = Truth(
        distance_m=float(dist[idx][-1]),
        moving_s=float(np.count_nonzero(moving_fine[idx[0] : idx[-1]]) * dt),
        elapsed_s=float(t[-1] - t[0]),
        ascent_m=float(rises[rises > 0].sum()),
        descent_m=float(-rises[rises < 0].sum()),
        max_speed_mps=float(speed.max()),
    )
    return Synthetic(track, truth)
