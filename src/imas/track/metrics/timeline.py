"""The activity's clock: which samples count, when the timer ran, elapsed and timer time.

Every other metric works per *interval* (sample i to sample i+1), weighted by its duration and
counted only while the device's timer ran. Devices record timer start/stop events (FIT
'timer' events, written on manual and auto pause); GPX and TCX have none, so their timer is
taken to run from the first sample to the last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from imas.track.track import FloatArray, TimerEvent, Track

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Samples in time order and, per interval between consecutive samples, its weight."""

    index: IntArray  # positions in the Track's streams of the samples used, in time order
    t: FloatArray  # their times (epoch s); all NaN when the track has no usable timestamps
    timed: bool
    running: BoolArray  # per interval: the timer ran (judged at the interval's midpoint)
    dt: FloatArray  # per interval: duration in seconds where running, else 0
    start: float | None  # epoch s
    end: float | None
    elapsed_s: float | None
    timer_s: float | None
    timer_source: str  # "events" or "records"

    def take(self, values: FloatArray) -> FloatArray:
        """A stream of the Track restricted to the timeline's samples, in time order."""
        out: FloatArray = values[self.index]
        return out


def build_timeline(track: Track) -> Timeline:
    """Order the samples by time and work out when the timer ran."""
    n = len(track)
    time = track.time
    finite = np.isfinite(time)
    # Fewer than half the samples timed (a route, a GPX with a few stray times): the file's
    # order is the only order there is, and no time-based figure can be trusted.
    if n < 2 or int(finite.sum()) < max(2, n // 2):
        return _untimed(track)
    index = np.flatnonzero(finite & ~_time_outliers(time)).astype(np.intp)
    if index.size < 2:
        return _untimed(track)
    t = time[index]
    if np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        index = index[order]
        t = t[order]
    start, end, intervals = _span(track, float(t[0]), float(t[-1]))
    mid = (t[:-1] + t[1:]) / 2.0
    if intervals is None:
        running = np.ones(t.size - 1, dtype=np.bool_)
        timer_s, source = end - start, "records"
    else:
        starts, ends = intervals
        k = np.searchsorted(starts, mid, side="right") - 1
        running = (k >= 0) & (mid < ends[np.maximum(k, 0)])
        timer_s, source = float(np.sum(ends - starts)), "events"
    dt = np.where(running, np.diff(t), 0.0)
    return Timeline(
        index=index,
        t=t,
        timed=True,
        running=running,
        dt=dt,
        start=start,
        end=end,
        elapsed_s=end - start,
        timer_s=timer_s,
        timer_source=source,
    )


def _untimed(track: Track) -> Timeline:
    """Samples in file order; elapsed and timer time from pool lengths when those are timed
    (some swim watches write records without timestamps)."""
    n = len(track)
    starts = [x.start_time for x in track.lengths if np.isfinite(x.start_time)]
    ends = [x.start_time + (x.elapsed_s or 0.0) for x in track.lengths if np.isfinite(x.start_time)]
    start = end = elapsed = timer = None
    source = "records"
    if starts:
        start, end, intervals = _span(track, min(starts), max(ends))
        elapsed = end - start
        if intervals is None:
            timer = elapsed
        else:
            timer, source = float(np.sum(intervals[1] - intervals[0])), "events"
    else:
        finite = track.time[np.isfinite(track.time)]
        start = float(finite[0]) if finite.size else None
    return Timeline(
        index=np.arange(n, dtype=np.intp),
        t=np.full(n, np.nan),
        timed=False,
        running=np.ones(max(n - 1, 0), dtype=np.bool_),
        dt=np.zeros(max(n - 1, 0)),
        start=start,
        end=end,
        elapsed_s=elapsed,
        timer_s=timer,
        timer_source=source,
    )


def _span(
    track: Track, first: float, last: float
) -> tuple[float, float, tuple[FloatArray, FloatArray] | None]:
    """Start and end of the activity, and the timer's running spans inside them.

    The activity starts at the device's own session start when it has one (the press of
    start, often a second before the first record), else at a timer start shortly before the
    first record; it ends at a timer stop shortly after the last record, else with the last
    record. Timer events far outside the records are not trusted (an FR55 files its stop
    3 min after its last record and its own elapsed time ignores it; an Edge 830 stops 45 min
    late), and no span after the last record is timed.
    """
    intervals = _running_intervals(track.events, first, last)
    start, end = first, last
    if intervals is not None:
        if first - EVENT_SLACK_S <= intervals[0][0] < first:
            start = float(intervals[0][0])
        if last < intervals[1][-1] <= last + EVENT_SLACK_S:
            end = float(intervals[1][-1])
    session_start = track.session.start_time if track.session is not None else None
    if session_start is not None and 0 <= first - session_start <= EVENT_SLACK_S:
        start = session_start
    if intervals is None:
        return start, end, None
    starts = np.maximum(intervals[0], start)
    ends = np.minimum(intervals[1], end)
    keep = ends > starts
    if not keep.any():
        return start, end, (np.array([start]), np.array([end]))
    return start, end, (starts[keep], ends[keep])


# How far outside the recorded span a timer event may lie and still count.
EVENT_SLACK_S = 60.0

# Timestamps more than a day outside the bulk of the records are corrupt (seen in the corpus:
# a run of 14 records dated two years after their neighbours; an app writing dates in 2085).
_TIME_SPIKE_S = 86400.0


def _time_outliers(time: FloatArray) -> BoolArray:
    """Samples dated far outside the central 98 % of the activity's timestamps."""
    finite = time[np.isfinite(time)]
    # Within a day from first to last nothing can lie a day outside (the usual case, fast).
    if finite.size < 3 or float(finite.max() - finite.min()) <= _TIME_SPIKE_S:
        return np.zeros(time.size, dtype=np.bool_)
    low, high = np.percentile(finite, [1.0, 99.0])
    with np.errstate(invalid="ignore"):
        out: BoolArray = (time < low - _TIME_SPIKE_S) | (time > high + _TIME_SPIKE_S)
    return out


def _running_intervals(
    events: list[TimerEvent], first: float, last: float
) -> tuple[FloatArray, FloatArray] | None:
    """Start and end times of the spans in which the timer ran, from the device's events.

    None when the file has no usable timer events. A stop before any start means the timer
    was already running at the first sample; a start with no stop runs to the last sample.
    """
    usable = sorted(
        (
            e
            for e in events
            if e.kind in ("start", "stop")
            and np.isfinite(e.time)
            and first - _TIME_SPIKE_S <= e.time <= last + _TIME_SPIKE_S
        ),
        key=lambda e: e.time,
    )
    if not usable:
        return None
    starts: list[float] = []
    ends: list[float] = []
    running_since: float | None = None
    if usable[0].kind == "stop":
        running_since = min(first, usable[0].time)
    for event in usable:
        if event.kind == "start" and running_since is None:
            running_since = event.time
        elif event.kind == "stop" and running_since is not None:
            if event.time > running_since:
                starts.append(running_since)
                ends.append(event.time)
            running_since = None
    if running_since is not None and last > running_since:
        starts.append(running_since)
        ends.append(last)
    if not starts:
        return None
    return np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64)


def time_weighted_mean(values: FloatArray, dt: FloatArray) -> float | None:
    """Mean of a per-sample stream over intervals, each interval carrying its start value.

    Samples without a value (NaN) drop out with their interval. None when nothing is left.
    """
    if values.size < 2:
        finite = values[np.isfinite(values)]
        return float(finite.mean()) if finite.size else None
    v = values[:-1]
    ok = np.isfinite(v) & (dt > 0)
    weight = float(dt[ok].sum())
    if weight <= 0:
        return None
    return float(np.sum(v[ok] * dt[ok]) / weight)  # not np.dot: BLAS threads cost ms
