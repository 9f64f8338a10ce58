"""The segment page's small charts, drawn on the server."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from imas.segments import page_data

T0 = dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC)


def effort(days: float, seconds: float) -> SimpleNamespace:
    return SimpleNamespace(
        start_time=T0 + dt.timedelta(days=days), elapsed_s=seconds, activity_id=1
    )


def test_elevation_profile_measures_distance_along_the_path() -> None:
    # Three points 0.001 deg of latitude apart (111.2 m at 48 deg N, WGS84 meridian).
    points = [[48.2, 16.37, 200.0], [48.201, 16.37, None], [48.202, 16.37, 210.0]]
    profile = page_data.elevation_profile(points)
    assert [p[1] for p in profile] == [200.0, 210.0]
    assert profile[1][0] == pytest.approx(222.4, abs=0.5)
    assert page_data.elevation_profile([[48.2, 16.37, None], [48.3, 16.37, None]]) == []
    assert page_data.profile_svg([]) is None


def test_efforts_chart_puts_the_fastest_highest_and_marks_it() -> None:
    chart = page_data.efforts_svg([effort(0, 300), effort(10, 250), effort(20, 280)])
    assert chart is not None
    dots = chart["dots"]
    assert [d["best"] for d in dots] == [False, True, False]
    assert min(d["y"] for d in dots) == dots[1]["y"]  # the fastest sits at the top
    assert dots[0]["x"] < dots[1]["x"] < dots[2]["x"]
    assert [d["anchor"] for d in chart["dates"]] == ["start", "end"]


def test_a_single_effort_still_draws() -> None:
    chart = page_data.efforts_svg([effort(0, 300)])
    assert chart is not None
    assert len(chart["dots"]) == 1
    assert page_data.efforts_svg([]) is None
