"""Segment matching (imas.track.segments) and the cell index (imas.track.geoindex).

Routes are drawn in metres on a local plane around Vienna and converted to degrees, so every
expected figure (length, time) is known exactly from the construction.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imas.track import geoindex
from imas.track.segments import (
    SegmentGeometryError,
    could_match,
    match_segment,
    segment_geometry,
    track_geometry,
)

LAT0, LON0 = 48.2, 16.37
M_PER_DEG_LAT = 111_132.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))


def to_deg(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return LAT0 + y / M_PER_DEG_LAT, LON0 + x / M_PER_DEG_LON


def polyline(*corners: tuple[float, float], step: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """A path through the corners (metres), a point every `step` metres."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(corners):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        f = np.arange(n) / n
        xs.append(x0 + f * (x1 - x0))
        ys.append(y0 + f * (y1 - y0))
    xs.append(np.array([corners[-1][0]]))
    ys.append(np.array([corners[-1][1]]))
    return np.concatenate(xs), np.concatenate(ys)


def gps_noise(rng: np.random.Generator, n: int, sd: float) -> np.ndarray:
    """GPS error is correlated from second to second (it drifts rather than jumps): AR(1)
    with a 20 s time constant and the given standard deviation."""
    phi = math.exp(-1 / 20)
    shocks = rng.normal(0, sd * math.sqrt(1 - phi * phi), n)
    out = np.empty(n)
    level = rng.normal(0, sd)
    for i in range(n):
        level = phi * level + shocks[i]
        out[i] = level
    return out


def ride(
    x: np.ndarray,
    y: np.ndarray,
    *,
    speed: float = 5.0,
    noise: float = 0.0,
    seed: int = 0,
    start: float = 1_700_000_000.0,
    stop_at: float | None = None,
    stop_s: float = 0.0,
) -> dict[str, np.ndarray]:
    """A 1 Hz track along a path at a constant speed, optional GPS noise and one stop."""
    c = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
    seconds = int(c[-1] / speed)
    along = np.arange(seconds + 1) * speed
    if stop_at is not None:
        k = int(stop_at / speed)
        along = np.concatenate((along[:k], np.full(int(stop_s), along[k]), along[k:]))
    px, py = np.interp(along, c, x), np.interp(along, c, y)
    rng = np.random.default_rng(seed)
    if noise:
        px = px + gps_noise(rng, px.size, noise)
        py = py + gps_noise(rng, py.size, noise)
    lat, lon = to_deg(px, py)
    t = start + np.arange(px.size, dtype=float)
    return {"time": t, "lat": lat, "lon": lon}


def segment_of(x: np.ndarray, y: np.ndarray):  # type: ignore[no-untyped-def]
    lat, lon = to_deg(x, y)
    return segment_geometry(lat, lon)


def efforts(track: dict[str, np.ndarray], seg, **kw):  # type: ignore[no-untyped-def]
    geo = track_geometry(track["time"], track["lat"], track["lon"], **kw)
    found = match_segment(geo, seg)
    if found:
        assert could_match(geo, seg), "the cell index would have lost a real match"
    return found


# A street running east 1 km from the origin, inside a longer ride.
SEG_X, SEG_Y = polyline((0, 0), (1000, 0))
ROUTE = polyline((-500, 0), (1500, 0), (1500, 400))


def test_forward_pass_matches_with_the_right_time() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    found = efforts(ride(*ROUTE, speed=5.0, noise=4.0, seed=3), seg)
    assert len(found) == 1
    e = found[0]
    # 1000 m at 5 m/s; noise moves the closest approaches by a few metres at most.
    assert e.elapsed_s == pytest.approx(200.0, abs=2.0)
    assert e.moving_s == pytest.approx(e.elapsed_s, abs=1.0)
    assert e.distance_m == pytest.approx(1000.0, rel=0.08)


def test_reverse_direction_does_not_match() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    back = polyline((1500, 0), (-500, 0))
    assert efforts(ride(*back, noise=3.0), seg) == []
    # ... while the same street ridden the right way does.
    assert len(efforts(ride(*polyline((-500, 0), (1500, 0)), noise=3.0), seg)) == 1


def test_partial_pass_does_not_match() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    # Rides the first 600 m, turns off north, and never reaches the end.
    assert efforts(ride(*polyline((-200, 0), (600, 0), (600, 800))), seg) == []
    # Joins halfway from a side street and rides to the end: no start, no effort.
    assert efforts(ride(*polyline((500, -600), (500, 0), (1200, 0))), seg) == []


def test_detour_does_not_match() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    # Leaves the street for a block 150 m north and comes back: start and end are passed in
    # order and the length is within 1.25x, but the path left the corridor.
    detour = polyline((-200, 0), (400, 0), (400, 150), (600, 150), (600, 0), (1200, 0))
    assert efforts(ride(*detour), seg) == []
    # A parallel street 100 m away never matches.
    assert efforts(ride(*polyline((-200, 100), (1200, 100))), seg) == []


def test_shortcut_across_a_hairpin_does_not_match() -> None:
    # The segment climbs north, turns in a hairpin and comes back down 30 m to the east.
    hx, hy = polyline((0, 0), (0, 600), (30, 600), (30, 0))
    seg = segment_of(hx, hy)
    full = ride(*polyline((0, -100), (0, 600), (30, 600), (30, -100)), noise=2.0)
    assert len(efforts(full, seg)) == 1
    cut = ride(*polyline((0, -100), (0, 300), (30, 300), (30, -100)), noise=2.0)
    assert efforts(cut, seg) == []


def test_two_passes_count_twice() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    # Two laps of a block whose south side is the segment.
    block = [(-300, 0), (1300, 0), (1300, 300), (-300, 300), (-300, 0)]
    laps = polyline(*block, *block[1:])
    found = efforts(ride(*laps, noise=3.0, seed=5), seg)
    assert len(found) == 2
    assert found[0].end_time < found[1].start_time
    for e in found:
        assert e.elapsed_s == pytest.approx(200.0, abs=2.0)


def test_loop_segment_counts_each_lap() -> None:
    loop = [(0, 0), (400, 0), (400, 300), (0, 300), (0, 0)]
    seg = segment_of(*polyline(*loop))
    assert seg.is_loop
    three_laps = polyline(*loop, *loop[1:], *loop[1:])
    found = efforts(ride(*three_laps, speed=4.0, noise=2.0, seed=9), seg)
    assert len(found) == 3
    for e in found:
        assert e.elapsed_s == pytest.approx(1400.0 / 4.0, abs=2.0)
    # Efforts follow one another without overlapping.
    assert found[0].end_time <= found[1].start_time <= found[1].end_time <= found[2].start_time


def test_loop_segment_in_reverse_does_not_match() -> None:
    loop = [(0, 0), (400, 0), (400, 300), (0, 300), (0, 0)]
    seg = segment_of(*polyline(*loop))
    backwards = polyline(*reversed(loop))
    assert efforts(ride(*backwards, speed=4.0, noise=2.0), seg) == []


def test_out_and_back_on_half_a_loop_does_not_match() -> None:
    loop = [(0, 0), (400, 0), (400, 300), (0, 300), (0, 0)]
    seg = segment_of(*polyline(*loop))
    there_and_back = polyline((0, 0), (400, 0), (400, 300), (400, 0), (0, 0))
    assert efforts(ride(*there_and_back, speed=4.0), seg) == []


def test_effort_stats_with_a_stop_heart_rate_and_power() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    track = ride(*ROUTE, speed=5.0, stop_at=1000.0, stop_s=60)  # waits 60 s mid-segment
    n = track["time"].size
    hr = np.full(n, 140.0)
    power = np.full(n, 200.0)
    # Inside the effort (the segment spans route metres 500-1500, i.e. samples ~100-360):
    # heart rate 160 over the second half; a power dropout (NaN) over 20 samples.
    start_sample = 100
    hr[start_sample + 130 :] = 160.0
    power[start_sample + 10 : start_sample + 30] = np.nan
    found = efforts(dict(track), seg, hr=hr, power=power)
    assert len(found) == 1
    e = found[0]
    assert e.elapsed_s == pytest.approx(260.0, abs=1.5)
    assert e.moving_s == pytest.approx(200.0, abs=2.0)
    assert e.avg_power_w == pytest.approx(200.0)
    # 130 s at 140 and 130 s at 160 (the stop falls in the 140 part), time-weighted.
    assert e.avg_hr == pytest.approx(150.0, abs=1.0)


def test_moving_flags_from_the_caller_are_used() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    track = ride(*ROUTE)
    n = track["time"].size
    moving = np.ones(n - 1, dtype=bool)
    moving[150:170] = False  # the analysis decided these 20 s were a stop
    found = efforts(track, seg, moving=moving)
    assert found[0].moving_s == pytest.approx(found[0].elapsed_s - 20.0, abs=0.01)


def test_average_needs_half_the_effort_covered() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    track = ride(*ROUTE)
    hr = np.full(track["time"].size, np.nan)
    hr[:150] = 150.0  # covers only the first ~50 s of the 200 s effort
    assert efforts(track, seg, hr=hr)[0].avg_hr is None


def test_sparse_recording_still_matches() -> None:
    # Smart recording: one point every 8 s at 5 m/s (40 m apart).
    seg = segment_of(SEG_X, SEG_Y)
    track = ride(*ROUTE, speed=5.0, noise=3.0)
    sparse = {k: v[::8] for k, v in track.items()}
    found = efforts(sparse, seg)
    assert len(found) == 1
    assert found[0].elapsed_s == pytest.approx(200.0, abs=4.0)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ([48.2], [16.37], "two points"),
        ([48.2, 48.2001], [16.37, 16.37], "at least 100 m"),
        ([48.2, 49.2], [16.37, 16.37], "jumps"),
        ([float("nan"), 48.2], [16.37, float("inf")], "two points"),
        ([48.2, 48.21], [16.37], "equal length"),
    ],
)
def test_unusable_segments_are_refused_with_a_reason(
    lat: list[float], lon: list[float], message: str
) -> None:
    with pytest.raises(SegmentGeometryError, match=message):
        segment_geometry(np.array(lat), np.array(lon))


def test_bad_track_arrays_are_refused() -> None:
    with pytest.raises(ValueError, match="samples"):
        track_geometry(np.arange(3.0), np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="in order"):
        track_geometry(np.array([3.0, 1.0]), np.array([48.2, 48.2]), np.array([16.3, 16.3]))


def test_track_without_positions_matches_nothing() -> None:
    seg = segment_of(SEG_X, SEG_Y)
    n = 100
    geo = track_geometry(np.arange(n, dtype=float), np.full(n, np.nan), np.full(n, np.nan))
    assert match_segment(geo, seg) == []
    assert not could_match(geo, seg)


def test_a_hostile_many_lap_track_is_bounded() -> None:
    # 400 laps of a tiny loop round the start: the matcher gives up after MAX_TRIES checks
    # instead of testing every pairing.
    seg = segment_of(SEG_X, SEG_Y)
    small = [(0, 0), (20, 0), (20, 20), (0, 20), (0, 0)]
    many = polyline(*small, *(small[1:] * 400), (1000, 0), step=2.0)
    assert len(efforts(ride(*many, speed=4.0), seg)) <= 1


# --- the cell index ----------------------------------------------------------------------------


def test_cells_are_distinct_integers_in_range() -> None:
    lat = np.array([-90.0, 90.0, 0.0, 48.2, -33.9])
    lon = np.array([-180.0, 179.9999, 0.0, 16.37, 151.2])
    cells = geoindex.cell_ids(lat, lon)
    assert cells.min() >= 0
    assert cells.max() < geoindex.ROWS * geoindex.COLUMNS < 2**63
    assert len(set(cells.tolist())) == cells.size
    for c, a, b in zip(cells, lat, lon, strict=True):
        clat, clon = geoindex.cell_center(int(c))
        assert abs(clat - a) <= geoindex.CELL_DEG
        assert abs(((clon - b + 180) % 360) - 180) <= geoindex.CELL_DEG


def test_cell_index_agrees_with_sets() -> None:
    rng = np.random.default_rng(1)
    items = {i: rng.choice(50, size=rng.integers(1, 6), replace=False) for i in range(200)}
    index = geoindex.CellIndex(items.items())
    query = rng.choice(50, size=20, replace=False)
    expected = sorted(i for i, cells in items.items() if set(cells) <= set(query))
    assert index.covered_by(np.asarray(query)).tolist() == expected
    probe = np.asarray(items[7][:2])
    expected_covering = sorted(i for i, cells in items.items() if set(probe) <= set(cells))
    assert index.covering(probe).tolist() == expected_covering


@settings(max_examples=30, deadline=None)
@given(
    angle=st.floats(0, 2 * math.pi),
    offset=st.floats(0, 2000),
    length=st.floats(150, 1500),
    noise=st.floats(0, 8),
    seed=st.integers(0, 1000),
    lat_shift=st.floats(-0.3, 0.3),
)
def test_index_never_loses_a_match(
    angle: float, offset: float, length: float, noise: float, seed: int, lat_shift: float
) -> None:
    # A wiggly route anywhere near the grid; a segment cut from it (with its own GPS noise):
    # the track must match it, and the cell test must let it through.
    rng = np.random.default_rng(seed)
    heading = angle + np.cumsum(rng.normal(0, 0.05, 800))
    x = np.concatenate(([0.0], np.cumsum(5 * np.cos(heading))))
    y = np.concatenate(([0.0], np.cumsum(5 * np.sin(heading))))
    lat, lon = to_deg(x, y)
    lat = lat + lat_shift
    k0 = int(offset / 5) % 500
    k1 = min(k0 + int(length / 5), x.size - 1)
    slat = lat[k0 : k1 + 1] + gps_noise(rng, k1 + 1 - k0, noise) / M_PER_DEG_LAT
    slon = lon[k0 : k1 + 1] + gps_noise(rng, k1 + 1 - k0, noise) / M_PER_DEG_LON
    try:
        seg = segment_geometry(slat, slon)
    except SegmentGeometryError:
        return
    t = 1_700_000_000.0 + np.arange(x.size, dtype=float)
    geo = track_geometry(t, lat, lon)
    assert len(match_segment(geo, seg)) == 1
    assert could_match(geo, seg)
    index = geoindex.CellIndex([(0, seg.cells)])
    assert index.covered_by(geo.cells).tolist() == [0]


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(48.19, 48.21)),
            st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(16.36, 16.38)),
        ),
        min_size=0,
        max_size=60,
    ),
    cut=st.integers(0, 59),
)
def test_hostile_coordinates_never_crash(data: list[tuple[float, float]], cut: int) -> None:
    lat = np.array([p[0] for p in data], dtype=float)
    lon = np.array([p[1] for p in data], dtype=float)
    time = 1_700_000_000.0 + np.arange(lat.size, dtype=float)
    with np.errstate(all="ignore"):
        track = track_geometry(time, lat, lon)
        try:
            seg = segment_geometry(lat[cut:], lon[cut:])
        except SegmentGeometryError:
            return
        for effort in match_segment(track, seg):
            assert effort.elapsed_s >= 0
            assert math.isfinite(effort.distance_m)


def test_out_and_back_segment() -> None:
    # A dead-end street: 500 m out and the same 500 m back (the segment overlaps itself).
    seg = segment_of(*polyline((0, 0), (500, 0), (0, 0)))
    there_and_back = ride(*polyline((-300, 0), (500, 0), (-300, 0)), noise=3.0, seed=2)
    found = efforts(there_and_back, seg)
    assert len(found) == 1
    assert found[0].elapsed_s == pytest.approx(1000 / 5.0, abs=2.0)
    # Only out (the turn made 200 m short, so the end is reached too early): no effort.
    short = ride(*polyline((-300, 0), (300, 0), (-300, 0)), noise=3.0, seed=2)
    assert efforts(short, seg) == []
    # Straight through without turning back: no effort.
    assert efforts(ride(*polyline((-300, 0), (900, 0)), seed=2), seg) == []


@pytest.mark.parametrize(("offset", "matches"), [(150.0, False), (20.0, True)])
def test_a_long_segment_is_compared_in_blocks_and_still_sees_a_short_detour(
    offset: float, matches: bool
) -> None:
    # 60 km of zigzag road (1500 edges at 40 m spacing: more than a million comparisons, so
    # the track is compared in blocks); a 150 m detour off it near the middle.
    corners = [(0.0, 0.0)] + [(5000.0 * (k + 1), 1500.0 * (k % 2)) for k in range(12)]
    seg = segment_of(*polyline(*corners, step=25.0))
    assert seg.length_m > 59_000
    rng = [(-300.0, 0.0), *corners, (corners[-1][0] + 300.0, corners[-1][1])]
    assert len(efforts(ride(*polyline(*rng), speed=10.0, noise=3.0), seg)) == 1
    # The detour: on the leg from corner 5 to corner 6, step `offset` m to the side of the road,
    # go 100 m along it, and come back.
    (ax, ay), (bx, by) = corners[5], corners[6]
    length = math.hypot(bx - ax, by - ay)
    ux, uy = (bx - ax) / length, (by - ay) / length  # along the road
    nx, ny = -uy, ux  # to its side
    p = (ax + 2000 * ux, ay + 2000 * uy)
    q = (ax + 2100 * ux, ay + 2100 * uy)
    detour = [
        (-300.0, 0.0),
        *corners[:6],
        p,
        (p[0] + offset * nx, p[1] + offset * ny),
        (q[0] + offset * nx, q[1] + offset * ny),
        q,
        *corners[6:],
        (corners[-1][0] + 300.0, corners[-1][1]),
    ]
    assert sum(math.dist(a, b) for a, b in itertools.pairwise(detour)) < seg.length_m + 1000
    found = efforts(ride(*polyline(*detour), speed=10.0, noise=3.0), seg)
    assert len(found) == (1 if matches else 0)  # 20 m aside stays inside the 40 m corridor


@pytest.mark.parametrize("seed", range(60))
def test_whatever_the_matcher_accepts_the_index_lets_through(seed: int) -> None:
    # A segment near the track at the edge of acceptance: shifted sideways up to 45 m and with
    # its corners cut by smoothing. Whenever the matcher accepts a pass, the cell test must
    # too (otherwise the index would lose a match the brute force finds). Seeded draws rather
    # than hypothesis: they spread evenly over the offsets near the corridor's edge.
    rng = np.random.default_rng(seed)
    offset = rng.uniform(0, 45)
    smooth = int(rng.integers(1, 40))
    length = rng.uniform(200, 2500)
    heading = np.cumsum(rng.normal(0, 0.15, 900))
    x = np.concatenate(([0.0], np.cumsum(5 * np.cos(heading))))
    y = np.concatenate(([0.0], np.cumsum(5 * np.sin(heading))))
    k0 = int(rng.integers(0, 300))
    k1 = min(k0 + int(length / 5), x.size - 1)
    sx, sy = x[k0 : k1 + 1], y[k0 : k1 + 1]
    kernel = np.ones(smooth) / smooth
    sx = np.convolve(np.pad(sx, smooth, mode="edge"), kernel, mode="same")[smooth:-smooth]
    sy = np.convolve(np.pad(sy, smooth, mode="edge"), kernel, mode="same")[smooth:-smooth]
    angle = rng.uniform(0, 2 * math.pi)
    sx, sy = sx + offset * math.cos(angle), sy + offset * math.sin(angle)
    try:
        seg = segment_geometry(*to_deg(sx, sy))
    except SegmentGeometryError:
        return
    lat, lon = to_deg(x, y)
    geo = track_geometry(1_700_000_000.0 + np.arange(x.size, dtype=float), lat, lon)
    if not match_segment(geo, seg):
        return
    assert could_match(geo, seg)
    # The bound the index rests on: every point of the segment lies within BUFFER_M of a
    # densified point of the track (checked directly, not only through the luck of cells).
    dense_seg = geoindex.densify(seg.lat, seg.lon)
    dense_track = geoindex.densify(lat, lon)
    to_x = lambda a: (a - LON0) * M_PER_DEG_LON  # noqa: E731
    to_y = lambda a: (a - LAT0) * M_PER_DEG_LAT  # noqa: E731
    dx = to_x(dense_seg.lon)[:, None] - to_x(dense_track.lon)[None, :]
    dy = to_y(dense_seg.lat)[:, None] - to_y(dense_track.lat)[None, :]
    assert float(np.sqrt(dx * dx + dy * dy).min(axis=1).max()) <= geoindex.BUFFER_M
