"""Splits per kilometre and per mile, and the device's laps completed from the records.

Everything is read off cumulative series by interpolation (time at distance d, moving time
and heart-beat integral at time t), so a split boundary falls between samples exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from imas.track.track import FloatArray, Lap

KM = 1000.0
# More splits than this (a 10,000 km 'activity') means broken data: none are listed.
MAX_SPLITS = 10_000
# Beyond this many laps (a hostile or broken file) only the device's own values are listed.
MAX_COMPUTED_LAPS = 500
MILE = 1609.344


def iso_utc(epoch_s: float) -> str | None:
    """ISO 8601 UTC ('2025-05-09T12:38:00Z'); None for a time no calendar can hold."""
    try:
        moment = dt.datetime.fromtimestamp(epoch_s, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def strictly_increasing(cum: FloatArray) -> FloatArray:
    """A non-decreasing series made strictly increasing by a negligible ramp (for np.interp)."""
    out: FloatArray = np.maximum.accumulate(cum) + np.arange(cum.size) * 1e-9
    return out


def cumulative_integral(
    values: FloatArray, dt_per_interval: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Per sample: running integral of values*dt and of dt over intervals where values exist."""
    v = values[:-1]
    ok = np.isfinite(v) & (dt_per_interval > 0)
    area = np.concatenate(([0.0], np.cumsum(np.where(ok, v * dt_per_interval, 0.0))))
    weight = np.concatenate(([0.0], np.cumsum(np.where(ok, dt_per_interval, 0.0))))
    return area, weight


def splits(
    split_lengths: tuple[float, ...],
    t: FloatArray,
    cum_dist: FloatArray,
    cum_moving: FloatArray,
    hr: FloatArray,
    dt_running: FloatArray,
    alt_smoothed: FloatArray,
) -> list[list[dict[str, Any]]]:
    """For each split length: one entry per full split, plus the remainder (if over 1 m)."""
    if t.size < 2 or not np.isfinite(cum_dist[-1]) or cum_dist[-1] < 1.0:
        return [[] for _ in split_lengths]
    total = float(cum_dist[-1])
    d = strictly_increasing(cum_dist)
    hr_area, hr_weight = cumulative_integral(hr, dt_running)
    has_alt = np.isfinite(alt_smoothed)
    enough_alt = np.count_nonzero(has_alt) >= 2
    t_alt, alt_known = t[has_alt], alt_smoothed[has_alt]
    result: list[list[dict[str, Any]]] = []
    for split_m in split_lengths:
        if total / split_m > MAX_SPLITS:
            result.append([])
            continue
        bounds = np.concatenate(([0.0], np.arange(split_m, total, split_m), [total]))
        if bounds[-1] - bounds[-2] < 1.0:
            bounds = bounds[:-1]
        times = np.interp(bounds, d, t)
        moving = np.interp(times, t, cum_moving)
        area = np.interp(times, t, hr_area)
        weight = np.interp(times, t, hr_weight)
        alt = np.interp(times, t_alt, alt_known) if enough_alt else np.full(times.size, np.nan)
        out: list[dict[str, Any]] = []
        for i in range(bounds.size - 1):
            length = float(bounds[i + 1] - bounds[i])
            moving_s = float(moving[i + 1] - moving[i])
            w = float(weight[i + 1] - weight[i])
            rise = float(alt[i + 1] - alt[i])
            out.append(
                {
                    "index": i + 1,
                    "distance_m": round(length, 2),
                    "elapsed_s": round(float(times[i + 1] - times[i]), 2),
                    "moving_s": round(moving_s, 2),
                    "avg_speed_mps": round(length / moving_s, 3) if moving_s > 0 else None,
                    "elevation_change_m": round(rise, 1) if np.isfinite(rise) else None,
                    "avg_hr": round(float(area[i + 1] - area[i]) / w, 1) if w > 0 else None,
                }
            )
        result.append(out)
    return result


def laps(
    device_laps: list[Lap],
    t: FloatArray,
    cum_dist: FloatArray | None,
    hr: FloatArray,
    dt_running: FloatArray,
) -> list[dict[str, Any]]:
    """The device's laps; values the device left out are computed from the records."""
    if not device_laps:
        return []
    ordered = sorted(device_laps, key=lambda lap: lap.start_time)
    hr_area, hr_weight = (
        cumulative_integral(hr, dt_running) if t.size >= 2 else (np.zeros(0), np.zeros(0))
    )
    out: list[dict[str, Any]] = []
    for i, lap in enumerate(ordered):
        start = lap.start_time
        if lap.elapsed_s is not None:
            end = start + lap.elapsed_s
        elif i + 1 < len(ordered):
            end = ordered[i + 1].start_time
        else:
            end = float(t[-1]) if t.size else start
        entry: dict[str, Any] = {
            "index": i + 1,
            "start_time": iso_utc(start) if np.isfinite(start) else None,
            "elapsed_s": lap.elapsed_s,
            "timer_s": lap.timer_s,
            "distance_m": lap.distance_m,
            "avg_speed_mps": lap.avg_speed_mps,
            "avg_hr": lap.avg_hr,
            "max_hr": lap.max_hr,
            "avg_power_w": lap.avg_power_w,
            "calories_kcal": lap.calories_kcal,
            "trigger": lap.trigger,
        }
        if i < MAX_COMPUTED_LAPS and t.size >= 2 and np.isfinite(start) and end > start:
            if entry["elapsed_s"] is None:
                entry["elapsed_s"] = round(end - start, 3)
            if entry["distance_m"] is None and cum_dist is not None:
                d = np.interp([start, end], t, cum_dist)
                entry["distance_m"] = round(float(d[1] - d[0]), 2)
            if entry["avg_hr"] is None and hr_area.size:
                a = np.interp([start, end], t, hr_area)
                w = np.interp([start, end], t, hr_weight)
                if w[1] > w[0]:
                    entry["avg_hr"] = round(float((a[1] - a[0]) / (w[1] - w[0])), 1)
            if entry["max_hr"] is None:
                inside = (t >= start) & (t <= end) & np.isfinite(hr)
                if inside.any():
                    entry["max_hr"] = float(hr[inside].max())
        out.append(entry)
    return out
