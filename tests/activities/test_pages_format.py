"""Unit formatting (metric/imperial, pace, durations), duration parsing and route previews."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imas.activities.page_data import route_svg_path
from imas.activities.page_forms import parse_duration
from imas.activities.streams import polyline_encode
from imas.activities.templatetags import activity_format as fmt


@pytest.mark.parametrize(
    ("metres", "units", "expected"),
    [
        (10_000, "metric", "10.00 km"),
        (10_000, "imperial", "6.21 mi"),
        (1609.344, "imperial", "1.00 mi"),
        (42_195, "metric", "42.20 km"),
        (160_934.4, "imperial", "100.0 mi"),
        (123_456, "metric", "123.5 km"),
        (None, "metric", "\u2013"),
        (float("nan"), "metric", "\u2013"),
    ],
)
def test_distance(metres: float | None, units: str, expected: str) -> None:
    assert fmt.distance(metres, units) == expected


def test_swim_distance_in_metres_or_yards() -> None:
    assert fmt.swim_distance(1500, "metric") == "1,500 m"
    assert fmt.swim_distance(914.4, "imperial") == "1,000 yd"


@pytest.mark.parametrize(
    ("mps", "units", "expected"),
    [
        (1000 / 300, "metric", "5:00 /km"),  # 5:00 per km
        (1000 / 300, "imperial", "8:03 /mi"),  # 300 s x 1.609344 = 482.8 s
        (1000 / 3599.6, "metric", "1:00:00 /km"),
        (0.0, "metric", "\u2013"),
        (None, "imperial", "\u2013"),
    ],
)
def test_pace(mps: float | None, units: str, expected: str) -> None:
    assert fmt.pace(mps, units) == expected


def test_speed_and_swim_pace() -> None:
    assert fmt.speed(10, "metric") == "36.0 km/h"
    assert fmt.speed(10, "imperial") == "22.4 mph"  # 36 km/h / 1.609344
    assert fmt.pace_or_speed(1.0, "metric", "swimming") == "1:40 /100 m"
    assert fmt.pace_or_speed(1.0, "imperial", "swimming") == "1:31 /100 yd"
    assert fmt.pace_or_speed(10, "metric", "cycling") == "36.0 km/h"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0:00"),
        (59.6, "1:00"),
        (61, "1:01"),
        (3600, "1:00:00"),
        (36_061, "10:01:01"),
        (None, "\u2013"),
        (-1, "\u2013"),
    ],
)
def test_duration(seconds: float | None, expected: str) -> None:
    assert fmt.duration(seconds) == expected


def test_elevation_weight_and_words() -> None:
    assert fmt.elevation(100, "metric") == "100 m"
    assert fmt.elevation(100, "imperial") == "328 ft"
    assert fmt.weight(100, "imperial") == "220.5 lb"
    assert fmt.duration_words(3 * 3600 + 25 * 60) == "3h 25m"
    assert fmt.duration_words(42 * 60) == "42m"
    assert fmt.short_distance(1609.344) == "1 mile"
    assert fmt.short_distance(5000) == "5 km"
    assert fmt.short_distance(400) == "400 m"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1:05:30", 3930),
        ("45:10", 2710),
        ("45", 2700),
        (" 0:30 ", 30),
        ("1:60:00", None),
        ("10:75", None),
        ("abc", None),
        ("", None),
        ("1:2:3:4", None),
    ],
)
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_route_preview_keeps_shape_and_fits_the_box() -> None:
    # An L-shaped route: north 1 km, then east 2 km.
    points = [(48.0, 16.0), (48.009, 16.0), (48.009, 16.0268)]
    d = route_svg_path(polyline_encode(points), 100, 60, pad=4)
    coords = [tuple(map(float, p.split())) for p in re.findall(r"[\d.]+ [\d.]+", d)]
    assert len(coords) == 3
    assert all(4 - 1e-6 <= x <= 96 + 1e-6 and 4 - 1e-6 <= y <= 56 + 1e-6 for x, y in coords)
    (x0, y0), (x1, y1), (x2, y2) = coords
    assert x0 == pytest.approx(x1)
    assert y1 < y0
    assert y1 == pytest.approx(y2)
    assert x2 > x1
    # 2 km east against 1 km north: the preview keeps the 2:1 proportion.
    assert (x2 - x1) / (y0 - y1) == pytest.approx(2.0, rel=0.03)


def test_route_preview_of_nothing_or_garbage_is_empty() -> None:
    assert route_svg_path("") == ""
    assert route_svg_path(polyline_encode([(1.0, 1.0)])) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_route_preview_never_fails_on_a_damaged_polyline(text: str) -> None:
    d = route_svg_path(text)
    assert d == "" or d.startswith("M")


def test_running_cadence_is_shown_in_steps_per_minute() -> None:
    assert fmt.cadence(84, "running") == "168 spm"  # one foot's cycles, doubled
    assert fmt.cadence(172, "running") == "172 spm"  # already steps
    assert fmt.cadence(90, "cycling") == "90 rpm"
    assert fmt.cadence(None, "running") == "\u2013"


def test_elevation_change_has_a_sign_and_no_negative_zero() -> None:
    assert fmt.elevation_change(16.4, "metric") == "+16 m"
    assert fmt.elevation_change(-0.3, "metric") == "0 m"
    assert fmt.elevation_change(-4, "imperial") == "\u221213 ft"
