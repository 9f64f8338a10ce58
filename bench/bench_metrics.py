"""Full analysis of a 6-hour 1 Hz activity: imas.track.analyze vs a per-point Python version.

The baseline computes the same metrics with the same methods the straightforward way, one
sample at a time in plain Python (lists, loops, math): timeline, WGS84 projection, jitter
smoothing, stop detection by net displacement, distance, hysteresis ascent, max speed,
grade-adjusted pace, heart-rate average/max/zones/TRIMP, Keytel energy, normalized power and
power curve, best efforts, km and mile splits. Both results are printed side by side so the
comparison is like for like. Target: analyze() under 20 ms.

Run: .venv/bin/python bench/bench_metrics.py
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.synthetic import synthetic_activity

from imas.track import Profile, Track, analyze

WGS84_A = 6378137.0
WGS84_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
SIX_HOURS = [
    (5400.0, 3.1),
    (120.0, 0.0),
    (5400.0, 3.0),
    (300.0, 1.4),
    (5000.0, 2.9),
    (240.0, 0.0),
    (60.0, 5.2),
    (5080.0, 2.8),
]
PROFILE = Profile(
    birthday=dt.date(1980, 1, 1), sex="male", weight_kg=75, max_hr=185, resting_hr=50, ftp_w=250
)


def six_hour_activity() -> Track:
    s = synthetic_activity(seed=5, sport="running", schedule=SIX_HOURS)
    track = s.track
    n = len(track)
    rng = np.random.default_rng(5)
    # Running power (a Stryd-like stream) so that every metric has work to do.
    track.power[:] = np.round(
        np.clip(230 + 25 * np.sin(np.arange(n) / 300) + rng.normal(0, 6, n), 0, None)
    )
    return track


# --- the per-point baseline -------------------------------------------------------------------


def _radii(lat: float) -> tuple[float, float]:
    s = math.sin(math.radians(lat))
    w = math.sqrt(1 - WGS84_E2 * s * s)
    return WGS84_A * (1 - WGS84_E2) / w**3, WGS84_A / w


def _interp(x: float, xs: list[float], ys: list[float], hint: int) -> tuple[float, int]:
    """Linear interpolation walking forward from a hint index (two-pointer style)."""
    i = hint
    while i + 1 < len(xs) - 1 and xs[i + 1] <= x:
        i += 1
    while i > 0 and xs[i] > x:
        i -= 1
    x0, x1 = xs[i], xs[i + 1]
    f = 0.0 if x1 == x0 else (x - x0) / (x1 - x0)
    return ys[i] + f * (ys[i + 1] - ys[i]), i


def baseline(track: Track, profile: Profile) -> dict[str, float]:
    t = track.time.tolist()
    lat = track.lat.tolist()
    lon = track.lon.tolist()
    alt = track.alt.tolist()
    hr = track.hr.tolist()
    watts = track.power.tolist()
    n = len(t)
    # projection to local metres, step by step
    xs, ys = [0.0], [0.0]
    for i in range(1, n):
        m, nn = _radii((lat[i] + lat[i - 1]) / 2)
        ys.append(ys[-1] + m * math.radians(lat[i] - lat[i - 1]))
        xs.append(
            xs[-1]
            + nn
            * math.cos(math.radians((lat[i] + lat[i - 1]) / 2))
            * math.radians(lon[i] - lon[i - 1])
        )
    # 5-point triangular smoothing
    weights = (1, 2, 3, 2, 1)
    sx, sy = [], []
    for i in range(n):
        tx = ty = tw = 0.0
        for k, w in zip(range(-2, 3), weights, strict=True):
            j = i + k
            if 0 <= j < n and abs(t[j] - t[i]) <= 1.5 * abs(k):
                tx += w * xs[j]
                ty += w * ys[j]
                tw += w
        sx.append(tx / tw)
        sy.append(ty / tw)
    sx[0], sy[0], sx[-1], sy[-1] = xs[0], ys[0], xs[-1], ys[-1]
    # moving: net displacement over 10 s around each interval
    moving = []
    ha = hb = 0
    for i in range(n - 1):
        mid = (t[i] + t[i + 1]) / 2
        a = max(min(t[i], mid - 5), t[0])
        b = min(max(t[i + 1], mid + 5), t[-1])
        xa, ha = _interp(a, t, sx, ha)
        ya, _ = _interp(a, t, sy, ha)
        xb, hb = _interp(b, t, sx, hb)
        yb, _ = _interp(b, t, sy, hb)
        moving.append(math.hypot(xb - xa, yb - ya) / max(b - a, 1e-9) >= 0.5)
    steps = [math.hypot(sx[i + 1] - sx[i], sy[i + 1] - sy[i]) for i in range(n - 1)]
    distance = 0.0
    moving_s = 0.0
    cum = [0.0]
    cum_all = [0.0]
    for i in range(n - 1):
        if moving[i]:
            distance += steps[i]
            moving_s += t[i + 1] - t[i]
        cum.append(distance)
        cum_all.append(cum_all[-1] + steps[i])
    # elevation: noise sigma, moving average over 10 s, hysteresis
    d2 = sorted(abs(alt[i + 1] - 2 * alt[i] + alt[i - 1]) for i in range(1, n - 1))
    sigma = 1.4826 * d2[len(d2) // 2] / math.sqrt(6)
    window = 30.0 if sigma > 0.5 else 10.0
    threshold = min(max(3 * sigma, 1.0), 10.0)
    smooth = []
    lo = hi = 0
    total = 0.0
    for i in range(n):
        while hi < n and t[hi] <= t[i] + window / 2:
            total += alt[hi]
            hi += 1
        while t[lo] < t[i] - window / 2:
            total -= alt[lo]
            lo += 1
        smooth.append(total / (hi - lo))
    ascent = 0.0
    low = high = anchor = peak = smooth[0]
    direction = 0
    for v in smooth[1:]:
        if direction == 0:
            low, high = min(low, v), max(high, v)
            if v - low >= threshold:
                direction, anchor, peak = 1, low, v
            elif high - v >= threshold:
                direction, anchor, peak = -1, high, v
        elif direction == 1:
            if v > peak:
                peak = v
            elif peak - v >= threshold:
                ascent += peak - anchor
                direction, anchor, peak = -1, peak, v
        elif v < peak:
            peak = v
        elif v - peak >= threshold:
            direction, anchor, peak = 1, peak, v
    if direction == 1:
        ascent += peak - anchor
    # max speed: 5 s windows over the path, median of 5, over moving intervals
    speeds = []
    ha = hb = 0
    for i in range(n - 1):
        mid = (t[i] + t[i + 1]) / 2
        a = max(min(t[i], mid - 2.5), t[0])
        b = min(max(t[i + 1], mid + 2.5), t[-1])
        ca, ha = _interp(a, t, cum_all, ha)
        cb, hb = _interp(b, t, cum_all, hb)
        speeds.append((cb - ca) / max(b - a, 1e-9))
    max_speed = 0.0
    for i in range(n - 1):
        window5 = sorted(speeds[max(0, min(j, n - 2))] for j in range(i - 2, i + 3))
        if moving[i]:
            max_speed = max(max_speed, window5[2])
    # grade over 20 m and Minetti's cost
    gap_work = 0.0
    grades = []
    for i in range(n):
        a = max(cum[i] - 10, 0.0)
        b = min(cum[i] + 10, cum[-1])
        ea = smooth[min(bisect.bisect_left(cum, a), n - 1)]
        eb = smooth[min(bisect.bisect_left(cum, b), n - 1)]
        grades.append((eb - ea) / (b - a) if b - a >= 5 else 0.0)
    for i in range(n - 1):
        if moving[i]:
            g = max(min((grades[i] + grades[i + 1]) / 2, 0.45), -0.45)
            cost = 155.4 * g**5 - 30.4 * g**4 - 43.3 * g**3 + 46.3 * g**2 + 19.5 * g + 3.6
            gap_work += steps[i] * cost / 3.6
    # heart rate
    hr_sum = hr_time = 0.0
    hr_max = 0.0
    zones = [0.0] * 6
    bounds = [
        profile.resting_hr + f * (profile.max_hr - profile.resting_hr)  # type: ignore[operator]
        for f in (0.5, 0.6, 0.7, 0.8, 0.9)
    ]
    trimp = keytel = 0.0
    age = 2023 - 1980
    for i in range(n - 1):
        dt_i = t[i + 1] - t[i]
        hr_sum += hr[i] * dt_i
        hr_time += dt_i
        hr_max = max(hr_max, hr[i], hr[i + 1])
        zones[sum(1 for b in bounds if hr[i] >= b)] += dt_i
        hrr = min(max((hr[i] - 50) / (185 - 50), 0.0), 1.0)
        trimp += dt_i / 60 * hrr * 0.64 * math.exp(1.92 * hrr)
        keytel += max(-55.0969 + 0.6309 * hr[i] + 0.1988 * 75 + 0.2017 * age, 0) * dt_i / 60
    # power: NP and the power curve
    roll = []
    run = 0.0
    for i, w in enumerate(watts[:-1]):
        run += w
        if i >= 30:
            run -= watts[i - 30]
        if i >= 29:
            roll.append(run / 30)
    np_w = (sum(r**4 for r in roll) / len(roll)) ** 0.25
    curve = {}
    for seconds in (5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600):
        best = run = 0.0
        for i, w in enumerate(watts[:-1]):
            run += w
            if i >= seconds:
                run -= watts[i - seconds]
            if i >= seconds - 1:
                best = max(best, run / seconds)
        curve[seconds] = best
    # best efforts: two pointers per distance
    efforts = {}
    for name, d in (
        ("400m", 400),
        ("1km", 1000),
        ("1mile", 1609.344),
        ("5km", 5000),
        ("10km", 10000),
        ("half", 21097.5),
        ("marathon", 42195),
    ):
        if cum[-1] < d:
            continue
        best = math.inf
        j = 0
        for i in range(n):
            if cum[i] + d > cum[-1]:
                break
            while cum[j] < cum[i] + d:
                j += 1
            f = (cum[i] + d - cum[j - 1]) / (cum[j] - cum[j - 1]) if cum[j] > cum[j - 1] else 1
            best = min(best, t[j - 1] + f * (t[j] - t[j - 1]) - t[i])
        efforts[name] = best
    # splits per km and per mile
    for split in (1000.0, 1609.344):
        marks = []
        nxt = split
        for i in range(1, n):
            while cum[i] >= nxt:
                marks.append(t[i])
                nxt += split
    return {
        "distance_m": distance,
        "moving_s": moving_s,
        "ascent_m": ascent,
        "max_speed_mps": max_speed,
        "gap_speed_mps": gap_work / moving_s,
        "avg_hr": hr_sum / hr_time,
        "max_hr": hr_max,
        "trimp": trimp,
        "calories_kcal": keytel / 4.184,
        "normalized_power_w": np_w,
        "power_5s": curve[5],
        "5km_s": efforts["5km"],
    }


def main() -> None:
    track = six_hour_activity()
    hours = (track.time[-1] - track.time[0]) / 3600
    analyze(track, PROFILE)  # warm up
    ours_times = []
    for _ in range(30):
        t0 = time.perf_counter()
        summary = analyze(track, PROFILE)
        ours_times.append(time.perf_counter() - t0)
    base_times = []
    for _ in range(3):
        t0 = time.perf_counter()
        base = baseline(track, PROFILE)
        base_times.append(time.perf_counter() - t0)
    ours = min(ours_times)
    theirs = min(base_times)
    d = summary.as_dict()
    side_by_side = {
        "distance_m": d["distance_m"],
        "moving_s": d["moving_s"],
        "ascent_m": d["ascent_m"],
        "max_speed_mps": d["max_speed_mps"],
        "gap_speed_mps": d["gap_speed_mps"],
        "avg_hr": d["avg_hr"],
        "max_hr": d["max_hr"],
        "trimp": d["trimp"],
        "calories_kcal": d["calories_kcal"],
        "normalized_power_w": d["normalized_power_w"],
        "power_5s": d["power_curve"]["5"],
        "5km_s": d["best_efforts"]["5km"]["time_s"],
    }
    print(f"activity: {len(track)} samples at 1 Hz, {hours:.2f} h ({track.sport})")
    print(f"{'metric':<20}{'imas':>14}{'per-point':>14}")
    for key, value in side_by_side.items():
        print(f"{key:<20}{value:>14.2f}{base[key]:>14.2f}")
    print(f"imas.track.analyze : {ours * 1000:8.2f} ms (best of {len(ours_times)})")
    print(f"per-point Python   : {theirs * 1000:8.2f} ms (best of {len(base_times)})")
    print(f"ratio              : {theirs / ours:8.1f}x faster (target: analyze under 20 ms)")


if __name__ == "__main__":
    main()
