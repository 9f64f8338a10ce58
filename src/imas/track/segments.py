"""Matching a track against a segment: where did the athlete ride or run this piece of road?

A pass counts when the track
1. comes within ENDPOINT_M (25 m) of the segment's start, and later of its end, in that order;
2. covers between 0.8 and 1.25 times the segment's length between the two (plus 50 m slack);
3. follows the segment without leaving a CORRIDOR_M (40 m) corridor, in its direction: a
   Frechet-like test on both paths resampled at equal spacing (see `_follows`).

Why these thresholds:
- 25 m at the ends: consumer GPS is within ~5-10 m under open sky, 15-20 m between buildings or
  under trees (95th percentiles); 25 m still tells apart two parallel streets a block apart.
- 40 m corridor: GPS error plus the road's own width (the segment was drawn from someone else's
  GPS, so both errors add up); leaving the road for another one, or a detour round a block, is
  far beyond it, while a noisy track of the same road stays inside.
- Length 0.8-1.25: a noisy 1 Hz track measures a few percent long, corner cutting a few percent
  short; a detour that stays inside the corridor (a lap of a car park, doubling back) adds more.

Repeated passes each count (laps of a loop or of a climb); a loop segment (start == end) works
because the end must be reached at least 0.8 lengths after the start. The matcher works on the
time-ordered samples of one activity; efforts' times are interpolated at the closest approach
to the start and end points, so a 1 Hz track times a segment to a fraction of a second.

Pure numpy, no Django. Candidate segments come from the cell index (imas.track.geoindex).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from imas.track.geoindex import (
    MAX_GAP_M,
    EdgeCells,
    IntArray,
    cell_ids,
    edge_cells,
    path_cells,
)
from imas.track.metrics.distance import WGS84_A, WGS84_E2, geodesic_steps

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ENDPOINT_M = 25.0
CORRIDOR_M = 40.0
LENGTH_LOW = 0.8
LENGTH_HIGH = 1.25
LENGTH_SLACK_M = 2 * ENDPOINT_M  # each end may be passed up to 25 m off
# Progress along the segment may step back this much (GPS noise where the path turns sharply).
BACKTRACK_M = CORRIDOR_M

MIN_SEGMENT_M = 100.0  # shorter ones are timed mostly by GPS error at the ends
MAX_SEGMENT_M = 100_000.0
MAX_SEGMENT_POINTS = 50_000
# Paths are compared resampled every 10-20 m (about 150 points up to 3 km): the test is O(n*m),
# so a segment of a few km takes well under a millisecond. 20 m at most: a detour that leaves
# the corridor cannot hide between two samples, and the cell index's buffer (geoindex.BUFFER_M)
# relies on segment edges no longer than this.
COMPARE_POINTS = 150
MIN_SPACING_M = 10.0
MAX_SPACING_M = 20.0
COMPARE_CELLS = 1_000_000  # track points x segment edges compared at once (~4 MB per array)
# A track that passes the same start thousands of times (a hostile file) is not tried forever.
MAX_TRIES = 1000
# Below this speed over an interval the athlete is taken as stopped, when the caller has no
# better moving flags (the analysis's own are passed by the platform).
MIN_MOVING_MPS = 0.5
# An average (heart rate, power) needs values over at least half of the effort's time.
MIN_COVERAGE = 0.5
SMOOTH_SAMPLES = 5


class SegmentGeometryError(ValueError):
    """A segment that cannot be matched (too short, too long, no usable points)."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    endpoint_m: float = ENDPOINT_M
    corridor_m: float = CORRIDOR_M
    length_low: float = LENGTH_LOW
    length_high: float = LENGTH_HIGH
    length_slack_m: float = LENGTH_SLACK_M
    backtrack_m: float = BACKTRACK_M


DEFAULT = Thresholds()


@dataclass(frozen=True, slots=True)
class _Frame:
    """A local tangent plane in metres around a reference point (east x, north y)."""

    lat0: float
    lon0: float
    k_lat: float  # metres per degree of latitude
    k_lon: float  # metres per degree of longitude

    @classmethod
    def at(cls, lat0: float, lon0: float) -> _Frame:
        # WGS84 meridional and prime-vertical radii (as imas.track.metrics.distance), in
        # scalar arithmetic: this runs for every candidate segment.
        s = math.sin(math.radians(lat0))
        w = math.sqrt(1.0 - WGS84_E2 * s * s)
        m = WGS84_A * (1.0 - WGS84_E2) / (w * w * w)
        n = WGS84_A / w
        return cls(
            lat0, lon0, m * math.pi / 180.0, n * math.cos(math.radians(lat0)) * math.pi / 180.0
        )

    def xy(self, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
        x = ((lon - self.lon0 + 180.0) % 360.0 - 180.0) * self.k_lon
        y = (lat - self.lat0) * self.k_lat
        return x, y


@dataclass(frozen=True)
class _Edges:
    """The resampled segment's edges in float32, precomputed once for every comparison."""

    ax: npt.NDArray[np.float32]
    ay: npt.NDArray[np.float32]
    dx: npt.NDArray[np.float32]
    dy: npt.NDArray[np.float32]
    inv_norm: npt.NDArray[np.float32]
    length: npt.NDArray[np.float32]
    along: npt.NDArray[np.float32]

    @classmethod
    def of(cls, x: FloatArray, y: FloatArray, along: FloatArray) -> _Edges:
        dx, dy = np.diff(x), np.diff(y)
        norm = dx * dx + dy * dy
        f32 = np.float32
        return cls(
            ax=x[:-1].astype(f32),
            ay=y[:-1].astype(f32),
            dx=dx.astype(f32),
            dy=dy.astype(f32),
            inv_norm=np.where(norm > 0, 1.0 / np.where(norm > 0, norm, 1.0), 0.0).astype(f32),
            length=np.sqrt(norm).astype(f32),
            along=along[:-1].astype(f32),
        )


@dataclass(frozen=True)
class SegmentGeometry:
    """A segment ready for matching: its points, length, cells and resampled path."""

    lat: FloatArray
    lon: FloatArray
    length_m: float
    cells: IntArray
    start_cell: int
    end_cell: int
    ends: tuple[float, float, float, float]  # start lat, lon, end lat, lon
    frame: _Frame = field(repr=False)
    spacing_m: float = field(repr=False)
    x: FloatArray = field(repr=False)  # resampled path in the frame
    y: FloatArray = field(repr=False)
    along: FloatArray = field(repr=False)  # distance along the segment of each resampled point
    edges: _Edges = field(repr=False)

    @property
    def is_loop(self) -> bool:
        x, y = self.frame.xy(self.lat[[0, -1]], self.lon[[0, -1]])
        return bool(math.hypot(x[1] - x[0], y[1] - y[0]) <= ENDPOINT_M)


def _clean_positions(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    if lat.shape != lon.shape or lat.ndim != 1:
        raise SegmentGeometryError("latitudes and longitudes must be two lists of equal length")
    ok = (
        np.isfinite(lat)
        & np.isfinite(lon)
        & (np.abs(lat) <= 90.0)
        & (np.abs(lon) <= 180.0)
        & ~((lat == 0.0) & (lon == 0.0))
    )
    return lat[ok], lon[ok]


def segment_geometry(lat: FloatArray, lon: FloatArray) -> SegmentGeometry:
    """Prepare a segment from its points (degrees); SegmentGeometryError when unusable."""
    if np.asarray(lat).size > MAX_SEGMENT_POINTS:
        raise SegmentGeometryError(f"a segment may have at most {MAX_SEGMENT_POINTS} points")
    lat, lon = _clean_positions(lat, lon)
    if lat.size < 2:
        raise SegmentGeometryError("a segment needs at least two points with a position")
    steps = geodesic_steps(lat, lon)
    if float(steps.max()) > MAX_GAP_M:
        raise SegmentGeometryError(
            f"the segment jumps more than {MAX_GAP_M / 1000:g} km between two points"
        )
    length = float(steps.sum())
    if length < MIN_SEGMENT_M:
        raise SegmentGeometryError(f"a segment must be at least {MIN_SEGMENT_M:g} m long")
    if length > MAX_SEGMENT_M:
        raise SegmentGeometryError(f"a segment may be at most {MAX_SEGMENT_M / 1000:g} km long")
    mid = lat.size // 2
    frame = _Frame.at(float(lat[mid]), float(lon[mid]))
    x, y = frame.xy(lat, lon)
    spacing = min(max(MIN_SPACING_M, length / COMPARE_POINTS), MAX_SPACING_M)
    rx, ry, along = _resample(x, y, spacing)
    ends = cell_ids(lat[[0, -1]], lon[[0, -1]])
    return SegmentGeometry(
        lat=lat,
        lon=lon,
        length_m=length,
        cells=path_cells(lat, lon),
        start_cell=int(ends[0]),
        end_cell=int(ends[1]),
        ends=(float(lat[0]), float(lon[0]), float(lat[-1]), float(lon[-1])),
        frame=frame,
        spacing_m=spacing,
        x=rx,
        y=ry,
        along=along,
        edges=_Edges.of(rx, ry, along),
    )


@dataclass(frozen=True)
class TrackGeometry:
    """One activity's time-ordered samples, ready to be matched against many segments.

    `pos` are the positions (in the caller's arrays) of the samples with a usable fix; the
    matcher walks those. Times, heart rate, power and moving flags stay on all samples.
    """

    time: FloatArray
    hr: FloatArray | None
    power: FloatArray | None
    moving: BoolArray  # per interval i -> i+1 of all samples
    pos: IntArray
    lat: FloatArray  # of the samples in pos
    lon: FloatArray
    cum: FloatArray  # distance along the track at each sample in pos, metres
    frame: _Frame = field(repr=False)  # a plane for the whole track (see _approaches)
    x: FloatArray = field(repr=False)  # positions in that plane
    y: FloatArray = field(repr=False)
    ex: FloatArray = field(repr=False)  # per edge i -> i+1: its vector in the plane
    ey: FloatArray = field(repr=False)
    inv_norm: FloatArray = field(repr=False)  # 1 / squared length (0 for a zero-length edge)
    gaps: IntArray  # gaps[i]: steps longer than MAX_GAP_M among the first i steps
    cells: IntArray
    edges: EdgeCells = field(repr=False)

    def __len__(self) -> int:
        return int(self.pos.size)


def track_geometry(
    time: FloatArray,
    lat: FloatArray,
    lon: FloatArray,
    *,
    hr: FloatArray | None = None,
    power: FloatArray | None = None,
    moving: BoolArray | None = None,
) -> TrackGeometry:
    """Prepare a track. Times must be finite and non-decreasing (use the analysis's timeline).

    Raises ValueError on arrays that do not fit together.
    """
    time = np.asarray(time, dtype=np.float64)
    n = time.size
    for name, arr in (("lat", lat), ("lon", lon), ("hr", hr), ("power", power)):
        if arr is not None and np.asarray(arr).shape != (n,):
            raise ValueError(f"{name} has {np.asarray(arr).size} samples, time has {n}")
    if moving is not None and np.asarray(moving).shape != (max(n - 1, 0),):
        raise ValueError("moving must hold one flag per interval (len(time) - 1)")
    if n and not (np.isfinite(time).all() and bool(np.all(np.diff(time) >= 0))):
        raise ValueError("times must be finite and in order")
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    ok = (
        np.isfinite(lat)
        & np.isfinite(lon)
        & (np.abs(lat) <= 90.0)
        & (np.abs(lon) <= 180.0)
        & ~((lat == 0.0) & (lon == 0.0))
    )
    pos = np.flatnonzero(ok).astype(np.int64)
    plat, plon = lat[pos], lon[pos]
    edges = edge_cells(plat, plon)
    frame = (
        _Frame.at(float(np.median(plat)), float(np.median(plon))) if pos.size else _Frame.at(0, 0)
    )
    x, y = frame.xy(plat, plon)
    # Each step's east-west length rescaled to its own latitude, so distances stay right far
    # from the frame's centre (a plane alone would be ~1 % off 100 km north or south).
    scale = np.cos(np.radians(plat)) / math.cos(math.radians(frame.lat0)) if pos.size else plat
    steps = _steps(x, y, scale)
    ex, ey = np.diff(x), np.diff(y)
    norm = ex * ex + ey * ey
    inv_norm = np.where(norm > 0, 1.0 / np.where(norm > 0, norm, 1.0), 0.0)
    return TrackGeometry(
        time=time,
        hr=None if hr is None else np.asarray(hr, dtype=np.float64),
        power=None if power is None else np.asarray(power, dtype=np.float64),
        moving=(
            _moving_from_positions(time, pos, steps)
            if moving is None
            else np.asarray(moving, dtype=np.bool_)
        ),
        pos=pos,
        lat=plat,
        lon=plon,
        cum=_smoothed_distance(x, y, scale),
        frame=frame,
        x=x,
        y=y,
        ex=ex,
        ey=ey,
        inv_norm=inv_norm,
        gaps=np.concatenate(([0], np.cumsum(steps > MAX_GAP_M))).astype(np.int64),
        cells=edges.cells,
        edges=edges,
    )


def _moving_from_positions(time: FloatArray, pos: IntArray, steps: FloatArray) -> BoolArray:
    """Per interval of all samples: above MIN_MOVING_MPS, judged on the raw step between
    positioned samples it lies in (smoothing would blur a stop's edges)."""
    n = time.size
    if pos.size < 2:
        return np.ones(max(n - 1, 0), dtype=np.bool_)
    dt = np.diff(time[pos])
    with np.errstate(invalid="ignore", divide="ignore"):
        fast = (dt > 0) & (steps / np.where(dt > 0, dt, 1.0) >= MIN_MOVING_MPS)
    step_of = np.clip(np.searchsorted(pos, np.arange(n - 1), side="right") - 1, 0, fast.size - 1)
    out: BoolArray = fast[step_of]
    return out


def _steps(x: FloatArray, y: FloatArray, scale: FloatArray) -> FloatArray:
    """Length of each step in metres (plane coordinates, east-west rescaled per latitude)."""
    if x.size < 2:
        return np.zeros(0)
    mid = (scale[:-1] + scale[1:]) / 2.0
    out: FloatArray = np.hypot(np.diff(x) * mid, np.diff(y))
    return out


def _smoothed_distance(x: FloatArray, y: FloatArray, scale: FloatArray) -> FloatArray:
    """Distance along the track over positions averaged over SMOOTH_SAMPLES: summing raw
    steps counts GPS jitter as distance (a few metres of jitter per 1 Hz sample at a walking
    pace would add tens of percent), which would upset the length test."""
    if x.size == 0:
        return np.zeros(0)
    k = min(SMOOTH_SAMPLES, x.size)
    kernel = np.ones(k)
    weight = np.convolve(np.ones(x.size), kernel, mode="same")
    sx = np.convolve(x, kernel, mode="same") / weight
    sy = np.convolve(y, kernel, mode="same") / weight
    out: FloatArray = np.concatenate(([0.0], np.cumsum(_steps(sx, sy, scale))))
    return out


@dataclass(frozen=True, slots=True)
class Effort:
    """One pass of a track over a segment, with its figures (None where unknown)."""

    start_index: int  # sample positions (caller's arrays) bracketing the pass
    end_index: int
    start_time: float  # epoch seconds, interpolated at the closest approach to the start
    end_time: float
    elapsed_s: float
    moving_s: float
    distance_m: float  # along the track between the two approaches
    avg_hr: float | None
    avg_power_w: float | None


@dataclass(frozen=True, slots=True)
class _Approach:
    at: float  # fractional position among the track's positioned samples
    along: float  # distance along the track there


def _approaches(
    track: TrackGeometry,
    lat: FloatArray,
    lon: FloatArray,
    cells: IntArray,
    radius: float,
    use_index: bool,
) -> list[list[_Approach]]:
    """For each point: every pass of the track within `radius` of it, the closest approach
    of each pass, in track order.

    Only the edges the track's cell table lists near each point are measured (all of them
    without the index, which benchmarks use as the brute-force baseline). All points are
    measured in one vectorised sweep: this runs for every candidate segment's two ends.
    """
    m = int(lat.size)
    out: list[list[_Approach]] = [[] for _ in range(m)]
    n_edges = len(track) - 1
    if m == 0 or n_edges < 1:
        return out
    if use_index:
        table = track.edges
        if table.cells.size == 0:
            return out
        k = np.minimum(np.searchsorted(table.cells, cells), table.cells.size - 1)
        found = table.cells[k] == cells
        lo = np.where(found, table.offsets[k], 0)
        counts = np.where(found, table.offsets[k + 1] - table.offsets[k], 0)
        owner = np.repeat(np.arange(m), counts)
        first = np.cumsum(counts) - counts
        edges = table.edges[np.arange(owner.size) - first[owner] + lo[owner]]
    else:
        owner = np.repeat(np.arange(m), n_edges)
        edges = np.tile(np.arange(n_edges, dtype=np.int64), m)
    if edges.size == 0:
        return out
    # In the track's own plane (projected once): within a few tens of km of its centre the
    # scale error is well under 1 %, a few centimetres on a 25 m radius. Edge vectors are
    # precomputed.
    frame = track.frame
    px = ((lon - frame.lon0 + 180.0) % 360.0 - 180.0) * frame.k_lon
    py = (lat - frame.lat0) * frame.k_lat
    ax = track.x[edges] - px[owner]
    ay = track.y[edges] - py[owner]
    dx, dy = track.ex[edges], track.ey[edges]
    u = ax * dx
    u += ay * dy
    u *= -track.inv_norm[edges]
    np.clip(u, 0.0, 1.0, out=u)
    ax += u * dx
    ay += u * dy
    d2 = ax * ax
    d2 += ay * ay
    near = d2 <= radius * radius
    if not near.any():
        return out
    owner, e, u, d2 = owner[near], edges[near], u[near], d2[near]
    along = track.cum[e] + u * (track.cum[e + 1] - track.cum[e])
    # A new pass begins at another point, or where the track went more than two radii along
    # since the last near edge: it must have left the circle and come back.
    breaks = (np.diff(owner) != 0) | (np.diff(along) > 2 * radius)
    group = np.concatenate(([0], np.cumsum(breaks)))
    order = np.lexsort((d2, group))  # by pass, closest first within each
    firsts = order[np.concatenate(([0], np.flatnonzero(np.diff(group[order])) + 1))]
    for q in firsts.tolist():
        out[int(owner[q])].append(_Approach(float(e[q] + u[q]), float(along[q])))
    return out


def _resample(
    x: FloatArray, y: FloatArray, spacing: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Points every `spacing` metres along a polyline (always keeping both ends)."""
    c = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
    total = float(c[-1])
    count = max(2, math.ceil(total / spacing) + 1)
    at = np.linspace(0.0, total, count)
    return np.interp(at, c, x), np.interp(at, c, y), at


def _point_at(values: FloatArray, at: float) -> float:
    i = min(int(at), values.size - 1)
    u = at - i
    if u <= 0 or i + 1 >= values.size:
        return float(values[i])
    return float(values[i] + u * (values[i + 1] - values[i]))


def _subpath(track: TrackGeometry, a: float, b: float) -> tuple[FloatArray, FloatArray]:
    """The track's positions from fractional position a to b, ends interpolated."""
    inner = np.arange(math.floor(a) + 1, math.ceil(b))
    lat = np.concatenate(([_point_at(track.lat, a)], track.lat[inner], [_point_at(track.lat, b)]))
    lon = np.concatenate(([_point_at(track.lon, a)], track.lon[inner], [_point_at(track.lon, b)]))
    return lat, lon


def _progress(
    segment: SegmentGeometry,
    tx: FloatArray,
    ty: FloatArray,
    expected: FloatArray,
    th: Thresholds,
    covered: BoolArray,
) -> FloatArray | None:
    """Progress along the segment of each track point (None when one is outside the
    corridor): the place within the corridor nearest to the expected progress. Marks in
    `covered` the segment edges that have a track point within the corridor."""
    edges = segment.edges
    # float32 halves the memory traffic of these n x m arrays; centimetres are plenty here.
    px = tx.astype(np.float32)[:, None] - edges.ax[None, :]
    py = ty.astype(np.float32)[:, None] - edges.ay[None, :]
    u = px * edges.dx
    u += py * edges.dy
    u *= edges.inv_norm
    np.clip(u, 0.0, 1.0, out=u)
    px -= u * edges.dx
    py -= u * edges.dy
    px *= px
    py *= py
    px += py  # squared distance from each track point to each segment edge
    inside = px <= np.float32(th.corridor_m * th.corridor_m)
    if not bool(inside.any(axis=1).all()):
        return None
    covered |= inside.any(axis=0)
    u *= edges.length
    u += edges.along  # progress along the segment of each point's projection on each edge
    cost = np.abs(u - expected.astype(np.float32)[:, None])
    cost[~inside] = np.inf
    out: FloatArray = u[np.arange(tx.size), np.argmin(cost, axis=1)].astype(np.float64)
    return out


def _follows(segment: SegmentGeometry, lat: FloatArray, lon: FloatArray, th: Thresholds) -> bool:
    """Does this piece of track follow the segment, in its direction, within the corridor?

    Both paths are resampled at the segment's spacing. Each track point must lie within the
    corridor of the segment (no detour); its progress along the segment is read from the
    nearest qualifying place, preferring the one at the same fraction of the way (so that
    where the segment passes a place twice, a loop's start and end, the right visit is taken).
    Progress must never fall back more than backtrack_m (direction), never jump ahead more
    than a step plus two corridors (nothing skipped), and run from the start to the end; and
    every edge of the segment must have a track point within the corridor (nothing cut off).
    This is the discrete Frechet decision "distance <= corridor" with a greedy coupling.
    """
    x, y = segment.frame.xy(lat, lon)
    tx, ty, t_along = _resample(x, y, segment.spacing_m)
    track_len = float(t_along[-1])
    if track_len <= 0:
        return False
    expected = t_along / track_len * segment.length_m
    # Track points are compared in blocks, so that a long segment's n x m arrays stay small.
    rows = max(1, COMPARE_CELLS // max(segment.edges.ax.size, 1))
    parts: list[FloatArray] = []
    covered = np.zeros(segment.edges.ax.size, dtype=np.bool_)
    for first in range(0, tx.size, rows):
        block = slice(first, first + rows)
        found = _progress(segment, tx[block], ty[block], expected[block], th, covered)
        if found is None:
            return False  # some point of the track is outside the corridor: a detour
        parts.append(found)
    if not bool(covered.all()):
        return False  # some stretch of the segment has no track point near it
    chosen = np.concatenate(parts)
    best = np.maximum.accumulate(chosen)
    if bool(np.any(chosen < best - th.backtrack_m)):
        return False  # went backwards along the segment
    if bool(np.any(np.diff(best) > segment.spacing_m + 2 * th.corridor_m)):
        return False  # skipped part of the segment
    reach = th.endpoint_m + segment.spacing_m
    return bool(chosen[0] <= reach and chosen[-1] >= segment.length_m - reach)


def find_passes(
    track: TrackGeometry,
    segment: SegmentGeometry,
    th: Thresholds = DEFAULT,
    *,
    use_index: bool = True,
) -> list[tuple[float, float]]:
    """The passes of the track over the segment as (start, end) fractional positions among
    the track's positioned samples, in time order, not overlapping."""
    return find_passes_many(track, [segment], th, use_index=use_index)[0]


def find_passes_many(
    track: TrackGeometry,
    segments: Sequence[SegmentGeometry],
    th: Thresholds = DEFAULT,
    *,
    use_index: bool = True,
) -> list[list[tuple[float, float]]]:
    """find_passes for many segments at once (their ends are located in one sweep)."""
    if not segments:
        return []
    ends = np.array([s.ends for s in segments], dtype=np.float64)  # (k, 4)
    lat = ends[:, [0, 2]].ravel()
    lon = ends[:, [1, 3]].ravel()
    cells = np.array([(s.start_cell, s.end_cell) for s in segments], dtype=np.int64).ravel()
    near = _approaches(track, lat, lon, cells, th.endpoint_m, use_index)
    return [
        _pair_passes(track, segment, near[2 * k], near[2 * k + 1], th)
        if near[2 * k] and near[2 * k + 1]
        else []
        for k, segment in enumerate(segments)
    ]


def _pair_passes(
    track: TrackGeometry,
    segment: SegmentGeometry,
    starts: list[_Approach],
    ends: list[_Approach],
    th: Thresholds,
) -> list[tuple[float, float]]:
    """Each start, in order, with the first end at a fitting distance whose path follows."""
    low = th.length_low * segment.length_m - th.length_slack_m
    high = th.length_high * segment.length_m + th.length_slack_m
    end_along = [e.along for e in ends]  # in track order, so sorted
    passes: list[tuple[float, float]] = []
    last_end = -1.0
    tries = 0
    for start in starts:
        if start.at < last_end:
            continue
        lo = bisect.bisect_left(end_along, start.along + low)
        hi = bisect.bisect_right(end_along, start.along + high)
        for end in ends[lo:hi]:
            if end.at <= start.at:
                continue
            tries += 1
            if tries > MAX_TRIES:
                return passes
            if track.gaps[math.ceil(end.at)] != track.gaps[int(start.at)]:
                continue  # lost signal on the way: cannot say the path was followed
            lat, lon = _subpath(track, start.at, end.at)
            if _follows(segment, lat, lon, th):
                passes.append((start.at, end.at))
                last_end = end.at
                break
    return passes


def _sample_time(track: TrackGeometry, at: float) -> tuple[float, int, int]:
    """Time at a fractional positioned-sample position, and the bracketing sample positions."""
    i = min(int(at), track.pos.size - 1)
    j = min(i + 1, track.pos.size - 1)
    u = at - i
    a, b = int(track.pos[i]), int(track.pos[j])
    t = float(track.time[a] + u * (track.time[b] - track.time[a]))
    return t, a, b


def _window_weights(time: FloatArray, t0: float, t1: float) -> FloatArray:
    """Per interval i -> i+1: seconds of it inside [t0, t1]."""
    lo = np.clip(time[:-1], t0, t1)
    hi = np.clip(time[1:], t0, t1)
    out: FloatArray = np.maximum(hi - lo, 0.0)
    return out


def _window_mean(values: FloatArray | None, weights: FloatArray, span: float) -> float | None:
    """Time-weighted mean over the window (interval value: mean of its two samples)."""
    if values is None or span <= 0:
        return None
    interval = (values[:-1] + values[1:]) / 2.0
    ok = np.isfinite(interval) & (weights > 0)
    covered = float(weights[ok].sum())
    if covered < MIN_COVERAGE * span:
        return None
    return float((interval[ok] * weights[ok]).sum() / covered)


def effort_stats(track: TrackGeometry, start_at: float, end_at: float) -> Effort:
    """The figures of one pass (fractional positions as find_passes returns them)."""
    t0, a0, _b0 = _sample_time(track, start_at)
    t1, _a1, b1 = _sample_time(track, end_at)
    elapsed = max(t1 - t0, 0.0)
    # Only the intervals between the bracketing samples can overlap the effort.
    window = slice(a0, max(b1, a0 + 1) + 1)
    time = track.time[window]
    weights = _window_weights(time, t0, t1) if time.size > 1 else np.zeros(0)
    moving_s = float(weights[track.moving[a0 : a0 + weights.size]].sum())
    hr = None if track.hr is None else track.hr[window]
    power = None if track.power is None else track.power[window]
    distance = _point_at(track.cum, end_at) - _point_at(track.cum, start_at)
    return Effort(
        start_index=a0,
        end_index=b1,
        start_time=t0,
        end_time=t1,
        elapsed_s=elapsed,
        moving_s=min(moving_s, elapsed),
        distance_m=float(distance),
        avg_hr=_window_mean(hr, weights, elapsed),
        avg_power_w=_window_mean(power, weights, elapsed),
    )


def match_segment(
    track: TrackGeometry, segment: SegmentGeometry, th: Thresholds = DEFAULT
) -> list[Effort]:
    """Every effort of the track on the segment, in time order."""
    return [effort_stats(track, a, b) for a, b in find_passes(track, segment, th)]


def match_segments(
    track: TrackGeometry, segments: Sequence[SegmentGeometry], th: Thresholds = DEFAULT
) -> list[list[Effort]]:
    """match_segment for each of many candidate segments (one sweep for all their ends)."""
    return [
        [effort_stats(track, a, b) for a, b in passes]
        for passes in find_passes_many(track, segments, th)
    ]


def could_match(track: TrackGeometry, segment: SegmentGeometry) -> bool:
    """The cell test: are all of the segment's cells among the track's? (Never false for a
    track that matches; see imas.track.geoindex.)"""
    if segment.cells.size == 0 or track.cells.size == 0:
        return False
    return bool(np.isin(segment.cells, track.cells, assume_unique=True).all())
