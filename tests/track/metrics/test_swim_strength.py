"""Pool swimming and strength training summaries from Tracks built here (and the corpus)."""

from __future__ import annotations

import numpy as np
import pytest

from imas.track import PoolLength, SessionTotals, StrengthSet, Track, analyze, read
from tests.support.corpus import corpus_path

T0 = 1_700_000_000.0


def _pool_swim() -> Track:
    lengths = []
    t = T0
    for i in range(12):
        if i in (4, 9):  # two rests
            lengths.append(PoolLength(t, 30.0, 30.0, None, None, active=False))
            t += 30.0
            continue
        lengths.append(PoolLength(t, 40.0, 40.0, 18, "freestyle", active=True))
        t += 40.0
    n = int(t - T0) + 1
    return Track.from_streams(
        "fit",
        n,
        time=T0 + np.arange(n, dtype=float),
        hr=np.full(n, 130.0),
        sport="swimming",
        sub_sport="lap_swimming",
        lengths=lengths,
        session=SessionTotals(start_time=T0, pool_length_m=25.0),
    )


def test_pool_swim_from_lengths() -> None:
    out = analyze(_pool_swim()).as_dict()
    swim = out["swim"]
    assert swim["lengths"] == 10
    assert swim["rest_lengths"] == 2
    assert out["distance_m"] == 250.0
    assert out["methods"]["distance"] == "pool_lengths"
    assert out["moving_s"] == 400.0  # active lengths only
    assert swim["strokes"] == 180
    assert swim["avg_swolf"] == 58.0  # 40 s + 18 strokes
    assert swim["pace_s_per_100m"] == 160.0
    assert out["max_speed_mps"] is None  # no meaningful instantaneous speed in a pool


def test_pool_swim_without_pool_length_has_no_distance() -> None:
    track = _pool_swim()
    track.session = SessionTotals(start_time=T0)
    out = analyze(track).as_dict()
    assert out["swim"]["lengths"] == 10
    assert out["distance_m"] is None


def test_strength_sets() -> None:
    sets = [
        StrengthSet(T0, 40.0, 10, 60.0, True, "bench_press"),
        StrengthSet(T0 + 40, 90.0, None, None, False),
        StrengthSet(T0 + 130, 45.0, 8, 70.0, True, "bench_press"),
        StrengthSet(T0 + 175, 30.0, 15, None, True, "push_up"),
    ]
    n = 240
    track = Track.from_streams(
        "fit",
        n,
        time=T0 + np.arange(n, dtype=float),
        hr=np.full(n, 110.0),
        sport="training",
        sets=sets,
    )
    out = analyze(track).as_dict()
    gym = out["strength"]
    assert gym["sets"] == 3
    assert gym["rest_sets"] == 1
    assert gym["repetitions"] == 33
    assert gym["volume_kg"] == 10 * 60 + 8 * 70
    assert gym["set_time_s"] == 115.0
    assert [d["category"] for d in gym["details"]] == ["bench_press", "bench_press", "push_up"]
    assert out["distance_m"] is None


@pytest.mark.corpus
def test_corpus_pool_swim_strokes_and_lengths_match_the_device() -> None:
    track = read(corpus_path("GoldenCheetah/test/rides/2016-05-23_18-14-30_4_25.fit").read_bytes())[
        0
    ]
    out = analyze(track).as_dict()
    assert track.session is not None
    assert out["swim"]["lengths"] == track.session.num_lengths == 88
    assert out["swim"]["strokes"] == track.session.strokes == 955
    assert out["distance_m"] == 2200.0


@pytest.mark.corpus
def test_corpus_laps_are_listed_with_the_device_values() -> None:
    path = corpus_path("python-fitparse/tests/files/Edge810-Vector-2013-08-16-15-35-10.fit")
    track = read(path.read_bytes())[0]
    out = analyze(track).as_dict()
    laps = out["lap_details"]
    assert out["laps"] == len(laps) == 8
    assert sum(lap["distance_m"] for lap in laps) == pytest.approx(out["distance_m"], rel=0.001)
    assert all(lap["start_time"].endswith("Z") for lap in laps)


@pytest.mark.corpus
def test_same_activity_as_fit_and_tcx_gives_the_same_figures() -> None:
    fit = read(corpus_path("GoldenCheetah/test/runs/10kUNLP2014-Garmin15.fit").read_bytes())[0]
    tcx = read(corpus_path("GoldenCheetah/test/runs/10kUNLP2014-Garmin15.tcx").read_bytes())[0]
    a, b = analyze(fit).as_dict(), analyze(tcx).as_dict()
    for key in ("elapsed_s", "moving_s", "distance_m", "avg_speed_mps", "max_speed_mps"):
        assert a[key] == pytest.approx(b[key], rel=1e-3), key
    assert a["splits_km"] == b["splits_km"]


@pytest.mark.corpus
def test_pool_swim_exported_as_tcx_takes_its_distance_from_the_laps() -> None:
    tcx = read(corpus_path("GoldenCheetah/test/swims/GarminHRMswim.tcx").read_bytes())[0]
    out = analyze(tcx).as_dict()
    assert out["distance_m"] == 1350.0
    assert out["methods"]["distance"] == "device_laps"
