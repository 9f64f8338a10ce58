"""A grid of cells over the globe, to find which segments a track may follow (and back).

Cells are CELL_DEG x CELL_DEG degrees (0.0025 deg: about 278 m north-south and 186 m east-west
at 48 deg latitude), numbered row * COLUMNS + column (a 64-bit integer), so a database stores
them in an indexed integer column. The size trades index rows against selectivity: a 1 km grid
let a 3-hour ride in a city reach thousands of segments lying in "its" cells (each then needed
exact geometry); at ~250 m only the segments along the route are left.

The rule that makes the index safe (never loses a real match):
- a segment's cells are the cells of its own points, densified to DENSIFY_M steps (`path_cells`);
- a track's cells are the cells within BUFFER_M of its densified points (`buffered_cells`).
Why that suffices: the matcher (imas.track.segments) accepts a pass only when every edge of the
resampled segment (at most 20 m long) has a point of the resampled track within the 40 m
corridor. So any point of the segment is within 20 + 40 = 60 m of a point on the track's path,
which is within 10 m (half a densify step) of a densified track point: 70 m = BUFFER_M. Every
cell of the segment is then one of the track's cells. Candidate test: all of a segment's cells
are among the track's cells (a property test checks it against the matcher).

Pure numpy, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CELL_DEG = 0.0025
ROWS = round(180.0 / CELL_DEG) + 1  # latitude 90 exactly gets its own row
COLUMNS = round(360.0 / CELL_DEG)
DENSIFY_M = 20.0
# 40 m corridor + 20 m (the longest resampled segment edge) + 10 m (half a densify step).
# Stored activity cells depend on it (and on CELL_DEG): after changing either, run
# `imas segments_backfill --all` (and rebuild segment cells for CELL_DEG).
BUFFER_M = 70.0
# A step longer than this is a gap (signal lost, a train ride, a glitch), not a path: it is not
# filled in here, and the matcher refuses a pass across it (it could not tell the way taken).
MAX_GAP_M = 5000.0
# A hostile or broken file must not make the index unbounded: at most this many densified points.
MAX_DENSE_POINTS = 2_000_000
_EDGE_BITS = 22  # 2**22 > MAX_DENSE_POINTS; cells (< 2**34) shifted by it still fit 63 bits
# Shortest length of one degree of latitude (110.57 km at the equator, WGS84): dividing metres by
# it gives a buffer in degrees that is never too small.
_M_PER_DEG_LAT_MIN = 110_570.0
_M_PER_DEG_EQUATOR = 111_320.0


def cell_ids(lat: FloatArray, lon: FloatArray) -> IntArray:
    """The cell of each point (lat/lon in degrees, finite)."""
    row = np.floor((np.clip(lat, -90.0, 90.0) + 90.0) / CELL_DEG).astype(np.int64)
    col = np.floor(((lon + 180.0) % 360.0) / CELL_DEG).astype(np.int64) % COLUMNS
    out: IntArray = row * COLUMNS + col
    return out


def cell_center(cell: int) -> tuple[float, float]:
    """(lat, lon) of a cell's centre, for tests and maps."""
    row, col = divmod(int(cell), COLUMNS)
    return (row + 0.5) * CELL_DEG - 90.0, (col + 0.5) * CELL_DEG - 180.0


def step_lengths(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Approximate length in metres of each step of a polyline (equirectangular; enough for
    deciding how finely to densify and for gap detection)."""
    if lat.size < 2:
        return np.zeros(0)
    lat_mid = np.radians((lat[:-1] + lat[1:]) / 2.0)
    dlat = np.diff(lat) * _M_PER_DEG_EQUATOR
    dlon = ((np.diff(lon) + 180.0) % 360.0 - 180.0) * _M_PER_DEG_EQUATOR * np.cos(lat_mid)
    out: FloatArray = np.hypot(dlat, dlon)
    return out


@dataclass(frozen=True, slots=True)
class Dense:
    """A polyline densified to steps of at most DENSIFY_M; `edge` is, for each dense point,
    the index i of the original step (i -> i+1) it lies on (the last point: n-1)."""

    lat: FloatArray
    lon: FloatArray
    edge: IntArray


def densify(lat: FloatArray, lon: FloatArray, step_m: float = DENSIFY_M) -> Dense:
    """Insert points so that no step is longer than step_m (steps over MAX_GAP_M stay gaps).

    Raises ValueError when the result would exceed MAX_DENSE_POINTS.
    """
    n = lat.size
    if n == 0:
        return Dense(lat.copy(), lon.copy(), np.zeros(0, dtype=np.int64))
    steps = step_lengths(lat, lon)
    parts = np.where(steps > MAX_GAP_M, 1, np.maximum(1, np.ceil(steps / step_m))).astype(np.int64)
    total = int(parts.sum()) + 1
    if total > MAX_DENSE_POINTS:
        raise ValueError(f"path too long to index ({total} points after densifying)")
    edge = np.repeat(np.arange(n - 1, dtype=np.int64), parts)
    # Position of each inserted point within its step: 0, 1/k, ..., (k-1)/k.
    starts = np.cumsum(parts) - parts
    frac = (np.arange(edge.size) - np.repeat(starts, parts)) / np.repeat(parts, parts)
    dlon = (lon[1:] - lon[:-1] + 180.0) % 360.0 - 180.0
    dense_lat = np.concatenate((lat[edge] + frac * (lat[edge + 1] - lat[edge]), lat[-1:]))
    dense_lon = np.concatenate((lon[edge] + frac * dlon[edge], lon[-1:]))
    dense_lon = (dense_lon + 180.0) % 360.0 - 180.0
    return Dense(dense_lat, dense_lon, np.concatenate((edge, np.array([n - 1], dtype=np.int64))))


def path_cells(lat: FloatArray, lon: FloatArray) -> IntArray:
    """The sorted distinct cells a polyline passes through (a segment's cells)."""
    ok = np.isfinite(lat) & np.isfinite(lon)
    dense = densify(lat[ok], lon[ok])
    out: IntArray = np.unique(cell_ids(dense.lat, dense.lon))
    return out


def _box_cells(lat: FloatArray, lon: FloatArray, radius_m: float) -> tuple[IntArray, IntArray]:
    """(point index, cell) for every cell touched by the square of half-width radius_m around
    each point."""
    dlat = radius_m / _M_PER_DEG_LAT_MIN
    cos = np.maximum(np.cos(np.radians(np.clip(lat, -89.9, 89.9))), 1e-3)
    # Near the poles the box is wider than many cells; one degree either way bounds the work.
    dlon = np.minimum(radius_m / (_M_PER_DEG_LAT_MIN * cos), 1.0)
    row_lo = np.floor((np.clip(lat - dlat, -90.0, 90.0) + 90.0) / CELL_DEG).astype(np.int64)
    row_hi = np.floor((np.clip(lat + dlat, -90.0, 90.0) + 90.0) / CELL_DEG).astype(np.int64)
    col_lo = np.floor((lon - dlon + 180.0) / CELL_DEG).astype(np.int64)
    col_hi = np.floor((lon + dlon + 180.0) / CELL_DEG).astype(np.int64)
    points = np.arange(lat.size, dtype=np.int64)
    out_points: list[IntArray] = []
    out_cells: list[IntArray] = []
    max_rows = int((row_hi - row_lo).max(initial=0))
    max_cols = int((col_hi - col_lo).max(initial=0))
    for dr in range(max_rows + 1):
        row = np.minimum(row_lo + dr, row_hi)
        for dc in range(max_cols + 1):
            col = np.minimum(col_lo + dc, col_hi) % COLUMNS
            out_points.append(points)
            out_cells.append(row * COLUMNS + col)
    return np.concatenate(out_points), np.concatenate(out_cells)


def buffered_cells(lat: FloatArray, lon: FloatArray, radius_m: float = BUFFER_M) -> IntArray:
    """The sorted distinct cells within radius_m of a polyline (a track's cells)."""
    ok = np.isfinite(lat) & np.isfinite(lon)
    dense = densify(lat[ok], lon[ok])
    if dense.lat.size == 0:
        return np.zeros(0, dtype=np.int64)
    _points, cells = _box_cells(dense.lat, dense.lon, radius_m)
    out: IntArray = np.unique(cells)
    return out


@dataclass(frozen=True, slots=True)
class EdgeCells:
    """For one track: which of its steps (edges) pass near each cell.

    `cells` is sorted; the edges near cells[k] are edges[offsets[k]:offsets[k + 1]], sorted.
    An edge is listed under a cell when one of its densified points lies within BUFFER_M of
    the cell, so every edge that passes within BUFFER_M - DENSIFY_M / 2 of a point in the cell
    is listed: the matcher only needs to measure those edges.
    """

    cells: IntArray
    offsets: IntArray
    edges: IntArray

    def edges_near(self, cell: int) -> IntArray:
        k = int(np.searchsorted(self.cells, cell))
        if k >= self.cells.size or int(self.cells[k]) != cell:
            return np.zeros(0, dtype=np.int64)
        out: IntArray = self.edges[self.offsets[k] : self.offsets[k + 1]]
        return out


def edge_cells(lat: FloatArray, lon: FloatArray) -> EdgeCells:
    """The cell -> nearby edges table of a polyline (positions must be finite)."""
    dense = densify(lat, lon)
    if dense.lat.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return EdgeCells(empty, np.zeros(1, dtype=np.int64), empty)
    points, cells = _box_cells(dense.lat, dense.lon, BUFFER_M)
    edges = dense.edge[points]
    # The last dense point belongs to no edge of its own: list it under the final edge.
    edges = np.minimum(edges, max(lat.size - 2, 0))
    # One sortable key per (cell, edge) pair: edges stay below 2**_EDGE_BITS because a
    # densified path has at most MAX_DENSE_POINTS points.
    keys = np.sort((cells << _EDGE_BITS) | edges)
    keys = keys[np.concatenate(([True], np.diff(keys) != 0))]  # distinct (sorting is quicker)
    pair_cells = keys >> _EDGE_BITS  # sorted, since the keys are
    first = np.concatenate(([0], np.flatnonzero(np.diff(pair_cells)) + 1)).astype(np.int64)
    offsets = np.concatenate((first, [keys.size])).astype(np.int64)
    return EdgeCells(pair_cells[first], offsets, keys & ((1 << _EDGE_BITS) - 1))


class CellIndex:
    """An in-memory inverted index: cell -> ids of the items (segments or tracks) in it.

    Built once from (id, cells) pairs; the database plays this role in the platform (tables of
    segment cells and activity cells with an index on the cell column), this class serves the
    benchmark and anything that matches without a database.
    """

    def __init__(self, items: Iterable[tuple[int, Sequence[int] | IntArray]]) -> None:
        ids: list[IntArray] = []
        cells: list[IntArray] = []
        counts: dict[int, int] = {}
        for item_id, item_cells in items:
            arr = np.unique(np.asarray(item_cells, dtype=np.int64))
            counts[int(item_id)] = int(arr.size)
            cells.append(arr)
            ids.append(np.full(arr.size, int(item_id), dtype=np.int64))
        all_cells = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
        all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        order = np.lexsort((all_ids, all_cells))
        self._cells = all_cells[order]
        self._ids = all_ids[order]
        self._keys, first = np.unique(self._cells, return_index=True)
        self._offsets = np.concatenate((first, [self._cells.size])).astype(np.int64)
        max_id = max(counts, default=-1)
        self._count = np.zeros(max_id + 1, dtype=np.int64)
        for item_id, n in counts.items():
            self._count[item_id] = n

    def _postings(self, cell: int) -> IntArray:
        k = int(np.searchsorted(self._keys, cell))
        if k >= self._keys.size or int(self._keys[k]) != cell:
            return np.zeros(0, dtype=np.int64)
        out: IntArray = self._ids[self._offsets[k] : self._offsets[k + 1]]
        return out

    def covered_by(self, cells: IntArray) -> IntArray:
        """Ids of the items all of whose cells are among `cells` (segments a track may follow)."""
        cells = np.unique(cells)
        if self._keys.size == 0 or cells.size == 0:
            return np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self._keys, cells)
        pos = np.minimum(pos, self._keys.size - 1)
        present = self._keys[pos] == cells
        if not np.any(present):
            return np.zeros(0, dtype=np.int64)
        lo, hi = self._offsets[pos[present]], self._offsets[pos[present] + 1]
        hits = np.concatenate([self._ids[a:b] for a, b in zip(lo, hi, strict=True)])
        tally = np.bincount(hits, minlength=self._count.size)
        out: IntArray = np.flatnonzero((tally == self._count) & (self._count > 0)).astype(np.int64)
        return out

    def covering(self, cells: IntArray) -> IntArray:
        """Ids of the items whose cells include all of `cells` (tracks a segment may lie on)."""
        cells = np.unique(cells)
        if cells.size == 0:
            return np.zeros(0, dtype=np.int64)
        lists = sorted((self._postings(int(c)) for c in cells), key=lambda a: a.size)
        found = lists[0]
        for other in lists[1:]:
            if found.size == 0:
                break
            found = np.intersect1d(found, other, assume_unique=True)
        return found
