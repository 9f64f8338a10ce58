"""imas.track.privacy: hidden circles, hidden samples, and why the offset matters.

The core of the zone guarantee, without Django: tracks that start at a home and run out in
all directions are cut where they leave the hidden circle; a least-squares circle fit through
those first visible points finds the hidden centre, which lies 110-150 m from a home at the
centre of a 200 m zone, while a zone that hides exactly the asked circle gives the home away.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imas.track.privacy import (
    MARGIN_MAX_SHARE,
    OFFSET_MAX_SHARE,
    OFFSET_MIN_SHARE,
    Circle,
    along_track_m,
    arrays_without,
    destination,
    distance_to,
    ends_hidden,
    hidden_samples,
    zone_draw,
)
from tests.sharing.circle_fit import kasa_fit

HOME_LAT, HOME_LON = 47.07, 15.44
M_LAT = 111_132.0
M_LON = 111_320.0 * math.cos(math.radians(HOME_LAT))


def _run(
    bearing_deg: float, rng: np.random.Generator, length_m: float = 800.0
) -> tuple[np.ndarray, np.ndarray]:
    """A 1 Hz run from home along a wobbly line, 3-4 m per step, with GPS noise of ~3 m."""
    steps = rng.uniform(3.0, 4.0, int(length_m / 3.5))
    heading = math.radians(bearing_deg) + np.cumsum(rng.normal(0, 0.02, steps.size))
    x = np.concatenate(([0.0], np.cumsum(steps * np.sin(heading))))
    y = np.concatenate(([0.0], np.cumsum(steps * np.cos(heading))))
    x += rng.normal(0, 3.0, x.size)
    y += rng.normal(0, 3.0, y.size)
    return HOME_LAT + y / M_LAT, HOME_LON + x / M_LON


def _first_visible_fit(circles: list[Circle], runs: list[tuple[np.ndarray, np.ndarray]]) -> float:
    xs, ys = [], []
    for lat, lon in runs:
        hidden = hidden_samples(lat, lon, circles)
        first = int(np.flatnonzero(~hidden)[0])
        xs.append((lon[first] - HOME_LON) * M_LON)
        ys.append((lat[first] - HOME_LAT) * M_LAT)
    cx, cy, _r = kasa_fit(np.array(xs), np.array(ys))
    return math.hypot(cx, cy)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_fit_misses_home_by_100_m_but_finds_an_unshifted_zone(seed: int) -> None:
    rng = np.random.default_rng(seed)
    runs = [_run(b, rng) for b in rng.uniform(0, 360, 50)]
    drawn = zone_draw(HOME_LAT, HOME_LON, 200.0, rng)
    assert _first_visible_fit([drawn], runs) >= 100.0
    naive = Circle(HOME_LAT, HOME_LON, 200.0)
    assert _first_visible_fit([naive], runs) < 10.0


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(-80, 80),
    lon=st.floats(-180, 180),
    radius=st.floats(100, 2000),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_hidden_circle_covers_the_asked_one_and_sits_off_centre(
    lat: float, lon: float, radius: float, seed: int
) -> None:
    hidden = zone_draw(lat, lon, radius, np.random.default_rng(seed))
    offset = float(distance_to(np.array([lat]), np.array([lon]), hidden.lat, hidden.lon)[0])
    assert OFFSET_MIN_SHARE * radius * 0.99 <= offset <= OFFSET_MAX_SHARE * radius * 1.01
    assert radius + offset * 0.99 <= hidden.radius_m
    assert hidden.radius_m <= radius * (1 + OFFSET_MAX_SHARE + MARGIN_MAX_SHARE) + 1e-6
    # Points on the asked circle's edge, all round, are inside the hidden circle.
    edge = [destination(lat, lon, math.radians(b), radius * 0.999) for b in range(0, 360, 15)]
    edge_lat = np.array([p[0] for p in edge])
    edge_lon = np.array([p[1] for p in edge])
    assert hidden_samples(edge_lat, edge_lon, [hidden]).all()


def test_the_draw_is_fixed_by_its_random_source() -> None:
    a = zone_draw(HOME_LAT, HOME_LON, 200, np.random.default_rng(9))
    b = zone_draw(HOME_LAT, HOME_LON, 200, np.random.default_rng(9))
    c = zone_draw(HOME_LAT, HOME_LON, 200, np.random.default_rng(10))
    assert a == b
    assert a != c


def test_distance_matches_a_known_geodesic() -> None:
    # One arc-minute of latitude at 47 deg is 1853.2 m on WGS84 (meridional radius
    # 6 368 895 m there, from M = a(1-e2)/(1-e2 sin^2)^1.5).
    d = distance_to(np.array([HOME_LAT + 1 / 60]), np.array([HOME_LON]), HOME_LAT, HOME_LON)
    assert d[0] == pytest.approx(1853.0, abs=1.5)
    east = destination(HOME_LAT, HOME_LON, math.pi / 2, 500.0)
    back = distance_to(np.array([east[0]]), np.array([east[1]]), HOME_LAT, HOME_LON)
    assert back[0] == pytest.approx(500.0, abs=0.05)


def test_ends_are_measured_along_the_track() -> None:
    along = np.arange(0.0, 1001.0, 10.0)  # 0..1000 m
    hidden = ends_hidden(along, 200.0)
    assert not hidden[along == 200.0].any()
    assert hidden[along < 200.0].all()
    assert hidden[along > 800.0].all()
    assert not hidden[(along >= 200.0) & (along <= 800.0)].any()
    assert not ends_hidden(along, 0.0).any()
    assert ends_hidden(along, 600.0).all()  # a short activity is hidden whole


def test_samples_without_a_fix_follow_the_fix_before_them() -> None:
    lat = np.array([np.nan, HOME_LAT, np.nan, HOME_LAT + 0.01, np.nan, np.nan])
    lon = np.full(6, HOME_LON)
    zone = Circle(HOME_LAT, HOME_LON, 300.0)
    hidden = hidden_samples(lat, lon, [zone])
    assert hidden.tolist() == [True, True, True, False, False, False]
    assert not hidden_samples(np.full(3, np.nan), np.full(3, np.nan), [zone]).any()


def test_along_track_is_cumulative_and_the_dropped_distance_restarts() -> None:
    lat = HOME_LAT + np.arange(0, 11) * 100 / M_LAT
    lon = np.full(11, HOME_LON)
    along = along_track_m(lat, lon)
    assert along[-1] == pytest.approx(1000.0, rel=2e-3)
    arrays = {"lat": lat, "lon": lon, "dist": along.copy(), "time": np.arange(11.0)}
    hidden = hidden_samples(lat, lon, [], hide_ends_m=250.0)
    kept = arrays_without(arrays, hidden)
    assert kept["time"].tolist() == [3.0, 4.0, 5.0, 6.0, 7.0]
    assert kept["dist"][0] == 0.0
    assert kept["dist"][-1] == pytest.approx(400.0, rel=2e-3)


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [
        (float("nan"), 0.0, 200.0),
        (91.0, 0.0, 200.0),
        (0.0, 181.0, 200.0),
        (0.0, 0.0, -1.0),
        (0.0, 0.0, float("inf")),
    ],
)
def test_bad_zone_input_is_refused(lat: float, lon: float, radius: float) -> None:
    with pytest.raises(ValueError, match=r"latitude|longitude|radius"):
        zone_draw(lat, lon, radius, np.random.default_rng(0))


def test_mismatched_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        hidden_samples(np.zeros(3), np.zeros(4), [])


def test_circles_across_the_antimeridian_hide_both_sides() -> None:
    zone = Circle(10.0, 179.999, 500.0)
    lat = np.array([10.0, 10.0, 10.0])
    lon = np.array([179.998, -179.999, -179.9])  # ~110 m, ~220 m and ~11 km away
    assert hidden_samples(lat, lon, [zone]).tolist() == [True, True, False]
