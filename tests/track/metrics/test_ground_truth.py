"""analyze() against synthetic activities whose truth is known (tests/support/synthetic.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from imas.track import Profile, analyze
from tests.support.synthetic import synthetic_activity

SEEDS = range(4)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sport", ["running", "cycling"])
def test_gps_only_recording_matches_truth(seed: int, sport: str) -> None:
    s = synthetic_activity(seed=seed, sport=sport)  # type: ignore[arg-type]
    r = analyze(s.track)
    assert r.methods["distance"] == "geodesic_wgs84_smoothed_moving_only"
    assert r.distance_m == pytest.approx(s.truth.distance_m, rel=0.005)
    assert r.moving_s is not None
    assert abs(r.moving_s - s.truth.moving_s) <= 30
    assert r.ascent_m == pytest.approx(s.truth.ascent_m, rel=0.05)
    assert r.descent_m == pytest.approx(s.truth.descent_m, rel=0.05)
    assert r.max_speed_mps == pytest.approx(s.truth.max_speed_mps, rel=0.05)
    assert r.elapsed_s == pytest.approx(s.truth.elapsed_s)


@pytest.mark.parametrize("seed", SEEDS)
def test_device_recording_with_auto_pause_matches_truth(seed: int) -> None:
    s = synthetic_activity(seed=seed, device=True)
    r = analyze(s.track)
    assert r.methods["distance"] == "device"
    assert r.methods["moving"].startswith("timer_events+device_distance")
    assert r.distance_m == pytest.approx(s.truth.distance_m, rel=0.005)
    assert r.moving_s is not None
    assert abs(r.moving_s - s.truth.moving_s) <= 30
    assert r.max_speed_mps == pytest.approx(s.truth.max_speed_mps, rel=0.05)


def test_standing_still_is_not_moving_and_adds_no_distance() -> None:
    """FitTrackee/gpxpy count a standing athlete's GPS jitter as moving; we must not."""
    s = synthetic_activity(seed=7, schedule=[(300.0, 3.0), (1200.0, 0.0), (300.0, 3.0)])
    r = analyze(s.track)
    assert r.moving_s is not None
    assert abs(r.moving_s - s.truth.moving_s) <= 30
    assert r.distance_m == pytest.approx(s.truth.distance_m, rel=0.005)
    # The raw sum of fix-to-fix steps over the stop is far from zero: the jitter is real.
    lat, lon = s.track.lat[320:1480], s.track.lon[320:1480]
    from imas.track.metrics.distance import geodesic_steps

    assert float(np.sum(geodesic_steps(lat, lon))) > 300.0


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sport", ["running", "cycling"])
def test_gps_altitude_raw_sums_overestimate_which_is_why_we_filter(seed: int, sport: str) -> None:
    s = synthetic_activity(seed=seed, altitude="gps", sport=sport)  # type: ignore[arg-type]
    raw_ascent = float(np.sum(np.clip(np.diff(s.track.alt), 0, None)))
    assert raw_ascent > 3 * s.truth.ascent_m
    r = analyze(s.track)
    assert r.methods["elevation"].startswith("moving_average_200m")
    # GPS altitude wanders by metres over tens of seconds: no filter recovers it exactly;
    # ours stays within 25 % where the raw sum is several times too high.
    assert r.ascent_m == pytest.approx(s.truth.ascent_m, rel=0.25)


def test_walking_break_counts_as_moving() -> None:
    s = synthetic_activity(seed=3, schedule=[(600.0, 3.0), (600.0, 1.2), (600.0, 3.0)])
    r = analyze(s.track)
    assert r.moving_s is not None
    assert abs(r.moving_s - s.truth.moving_s) <= 30


def test_running_extras_are_consistent() -> None:
    s = synthetic_activity(seed=1)
    profile = Profile(birthday=dt.date(1985, 1, 1), sex="female", weight_kg=60, resting_hr=50)
    r = analyze(s.track, profile)
    d = r.as_dict()
    km = d["splits_km"]
    assert len(km) == int(np.ceil(r.distance_m / 1000))  # type: ignore[operator]
    assert sum(x["distance_m"] for x in km) == pytest.approx(r.distance_m, abs=0.05)
    assert sum(x["moving_s"] for x in km) == pytest.approx(r.moving_s, abs=1.0)
    assert d["best_efforts"]["5km"]["time_s"] <= d["best_efforts"]["10km"]["time_s"] / 2 + 1
    assert r.vdot is not None
    assert 25 < r.vdot < 60
    assert r.gap_speed_mps is not None
    assert r.calories_method == "keytel_2005"
    assert r.calories_kcal is not None
    assert r.trimp is not None
    assert r.hr_tss is not None
    assert sum(z["seconds"] for z in d["hr_zones"]) == pytest.approx(r.timer_s, abs=1.0)


def test_beats_gpxpy_moving_time_at_a_long_stop() -> None:
    """gpxpy (what FitTrackee uses) counts the jitter of a standing athlete as moving."""
    gpxpy = pytest.importorskip("gpxpy")
    s = synthetic_activity(seed=8, schedule=[(600.0, 3.0), (900.0, 0.0), (600.0, 3.0)])
    t = s.track
    gpx = gpxpy.gpx.GPX()
    segment = gpxpy.gpx.GPXTrackSegment()
    for i in range(len(t)):
        segment.points.append(
            gpxpy.gpx.GPXTrackPoint(
                float(t.lat[i]),
                float(t.lon[i]),
                elevation=float(t.alt[i]),
                time=dt.datetime.fromtimestamp(float(t.time[i]), tz=dt.UTC),
            )
        )
    track = gpxpy.gpx.GPXTrack()
    track.segments.append(segment)
    gpx.tracks.append(track)
    theirs = gpx.get_moving_data().moving_time
    ours = analyze(t).moving_s
    assert ours is not None
    assert abs(ours - s.truth.moving_s) <= 30
    assert theirs - s.truth.moving_s > 300  # most of the 15 min stop counted as moving


def test_age_is_taken_on_the_activity_date() -> None:
    # The synthetic activity starts on 2023-11-14: born 1990-11-15, the athlete is 32 that
    # day (33 the next), so Tanaka gives 208 - 0.7 * 32 = 185.6 bpm; zone 5 starts at 90 %.
    s = synthetic_activity(seed=4, schedule=[(900.0, 3.0)])
    out = analyze(s.track, Profile(birthday=dt.date(1990, 11, 15))).as_dict()
    assert out["methods"]["hr_zones"] == "percent_max(tanaka_2001)"
    assert out["hr_zones"][5]["min_bpm"] == pytest.approx(0.9 * 185.6, abs=0.05)
    # Body data that was not given is never assumed.
    assert out["calories_kcal"] is None
    assert out["trimp"] is None
