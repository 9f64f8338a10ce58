"""TCX decoding: files our writer builds, and every corpus TCX against tcxreader and the lap
totals that SOURCES.md lists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from tcxreader.tcxreader import TCXReader

from imas.track import NoActivity, Track, read
from imas.track.formats.tcx import decode_tcx
from tests.support.corpus import CORPUS, corpus_available, corpus_files, corpus_id
from tests.support.tcx_writer import (
    TCX_NS,
    TcxActivity,
    TcxLap,
    TcxPoint,
    synthetic_activity,
    tcx_bytes,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
NAN = float("nan")


def same(actual: np.ndarray, expected: list[float | None]) -> bool:
    want = np.array([NAN if v is None else float(v) for v in expected], dtype=np.float64)
    return actual.shape == want.shape and bool(np.array_equal(actual, want, equal_nan=True))


# --- files our writer builds ------------------------------------------------------------------


def test_a_ride_reads_back_exactly_with_laps_and_session() -> None:
    activity = synthetic_activity(900, laps=3)
    [track] = read(tcx_bytes([activity]))
    points = [p for lap in activity.laps for p in lap.points]
    assert track.source_format == "tcx"
    assert track.sport == "cycling"
    assert track.device == "Edge 530"
    assert len(track) == 900
    for ours, theirs in [
        ("time", "time"),
        ("lat", "lat"),
        ("lon", "lon"),
        ("alt", "alt"),
        ("dist", "dist"),
        ("hr", "hr"),
        ("cad", "cad"),
        ("speed", "speed"),
        ("power", "watts"),
    ]:
        assert same(getattr(track, ours), [getattr(p, theirs) for p in points]), ours
    assert not track.has("temp")

    assert [lap.start_time for lap in track.laps] == [lap.start for lap in activity.laps]
    assert [lap.timer_s for lap in track.laps] == [300.0, 300.0, 300.0]
    assert [lap.distance_m for lap in track.laps] == [lap.distance_m for lap in activity.laps]
    assert [lap.avg_hr for lap in track.laps] == [lap.avg_hr for lap in activity.laps]
    assert [lap.max_hr for lap in track.laps] == [lap.max_hr for lap in activity.laps]
    assert [lap.calories_kcal for lap in track.laps] == [10.0, 20.0, 30.0]
    assert [lap.avg_power_w for lap in track.laps] == [lap.avg_watts for lap in activity.laps]
    assert {lap.trigger for lap in track.laps} == {"manual"}

    session = track.session
    assert session is not None
    assert session.start_time == activity.laps[0].start
    assert session.timer_s == 900.0
    assert session.distance_m == pytest.approx(sum(lap.distance_m or 0 for lap in activity.laps))
    assert session.calories_kcal == 60.0
    assert session.steps == 600
    # Equal lap times: the time-weighted mean is the plain mean of the lap averages.
    avg = [lap.avg_hr or 0 for lap in activity.laps]
    assert session.avg_hr == pytest.approx(sum(avg) / 3)
    assert session.max_hr == max(lap.max_hr or 0 for lap in activity.laps)
    assert session.max_power_w == max(lap.max_watts or 0 for lap in activity.laps)
    assert session.max_speed_mps == max(lap.max_speed or 0 for lap in activity.laps)


def test_session_averages_are_weighted_by_lap_time() -> None:
    laps = [
        TcxLap(start=1e9, total_time_s=100.0, avg_hr=100.0, calories=1.0),
        TcxLap(start=1e9 + 100, total_time_s=300.0, avg_hr=140.0, calories=2.0),
    ]
    [track] = decode_tcx(tcx_bytes([TcxActivity(laps=laps)]))
    assert len(track) == 0  # laps without trackpoints still make an activity
    assert track.session is not None
    assert track.session.avg_hr == pytest.approx((100 * 100 + 140 * 300) / 400)
    assert track.session.calories_kcal == 3.0


def test_running_cadence_comes_from_the_tpx_run_cadence() -> None:
    activity = synthetic_activity(60, laps=1, sport="Running")
    [track] = decode_tcx(tcx_bytes([activity]))
    assert track.sport == "running"
    assert same(track.cad, [p.run_cadence for p in activity.laps[0].points])


def test_multisport_gives_one_track_per_activity_in_order() -> None:
    run = synthetic_activity(30, laps=1, sport="Running", start=1e9)
    ride = synthetic_activity(40, laps=2, sport="Biking", start=1e9 + 100)
    swim = synthetic_activity(20, laps=1, sport="Other", start=1e9 + 200)
    tracks = decode_tcx(tcx_bytes([run, ride, swim]))
    assert [(t.sport, len(t), len(t.laps)) for t in tracks] == [
        ("running", 30, 1),
        ("cycling", 40, 2),
        ("generic", 20, 1),
    ]


def test_missing_values_are_nan() -> None:
    lap = TcxLap(
        start=1e9,
        points=[
            TcxPoint(time=1e9, lat=46.0, lon=14.0, hr=100.0),
            TcxPoint(time=1e9 + 1),  # a pause marker: time only
            TcxPoint(time=None, lat=46.1, lon=14.1, alt=5.0),
        ],
    )
    [track] = decode_tcx(tcx_bytes([TcxActivity(laps=[lap])]))
    assert same(track.time, [1e9, 1e9 + 1, None])
    assert same(track.lat, [46.0, None, 46.1])
    assert same(track.hr, [100.0, None, None])
    assert same(track.alt, [None, None, 5.0])


def test_only_the_trackpoints_of_a_track_are_points() -> None:
    # A point nested in a point, an element beside the points and a Trackpoint outside any
    # <Track> are not points; a stream given twice in a point takes the last value.
    track_xml = (
        "<Track>"
        "<Trackpoint><Time>2020-01-01T00:00:00Z</Time><HeartRateBpm><Value>100</Value>"
        "</HeartRateBpm><Trackpoint><Time>2030-01-01T00:00:00Z</Time><HeartRateBpm>"
        "<Value>7</Value></HeartRateBpm></Trackpoint></Trackpoint>"
        "<Trackpoint><Time>2020-01-01T00:00:01Z</Time>"
        "<AltitudeMeters>1</AltitudeMeters><AltitudeMeters>2</AltitudeMeters></Trackpoint>"
        "<Extensions><Value>99</Value><AltitudeMeters>98</AltitudeMeters></Extensions>"
        "</Track>"
    )
    stray = "<Trackpoint><Time>2040-01-01T00:00:00Z</Time></Trackpoint>"
    data = (
        f'<TrainingCenterDatabase xmlns="{TCX_NS}"><Activities><Activity Sport="Biking">'
        f'<Lap StartTime="2020-01-01T00:00:00Z">{track_xml}{stray}</Lap>'
        "</Activity></Activities></TrainingCenterDatabase>"
    ).encode()
    [track] = decode_tcx(data)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp()
    assert same(track.time, [start, start + 1])
    assert same(track.hr, [100.0, None])
    assert same(track.alt, [None, 2.0])


def test_courses_only_is_no_activity() -> None:
    with pytest.raises(NoActivity, match="courses"):
        read(tcx_bytes([], courses=2))


def test_nothing_at_all_is_no_activity() -> None:
    with pytest.raises(NoActivity):
        read(tcx_bytes([]))


@pytest.mark.parametrize("encoding", ["UTF-16", "ISO-8859-1"])
def test_encodings(encoding: str) -> None:
    activity = synthetic_activity(10, laps=1)
    activity.creator = "vívoactive HR"
    [track] = read(tcx_bytes([activity], encoding=encoding))
    assert track.device == "vívoactive HR"
    assert len(track) == 10


_finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)


@st.composite
def _point(draw: st.DrawFn) -> TcxPoint:
    def maybe(values: st.SearchStrategy[float]) -> float | None:
        return draw(st.none() | values)

    has_position = draw(st.booleans())
    return TcxPoint(
        time=maybe(st.integers(0, 4_000_000_000).map(float)),
        lat=draw(st.floats(-90, 90)) if has_position else None,
        lon=draw(st.floats(-180, 180)) if has_position else None,
        alt=maybe(_finite),
        dist=maybe(st.floats(0, 1e6)),
        hr=maybe(st.integers(30, 250).map(float)),
        cad=maybe(st.integers(0, 200).map(float)),
        speed=maybe(st.floats(0, 100)),
        watts=maybe(st.integers(0, 2500).map(float)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_point(), max_size=20), min_size=1, max_size=4))
def test_round_trip_of_random_laps(laps: list[list[TcxPoint]]) -> None:
    activity = TcxActivity(laps=[TcxLap(start=1e9 + i, points=p) for i, p in enumerate(laps)])
    [track] = decode_tcx(tcx_bytes([activity]))
    points = [p for lap in laps for p in lap]
    assert len(track.laps) == len(laps)
    for ours, theirs in [
        ("time", "time"),
        ("lat", "lat"),
        ("lon", "lon"),
        ("alt", "alt"),
        ("dist", "dist"),
        ("hr", "hr"),
        ("cad", "cad"),
        ("speed", "speed"),
        ("power", "watts"),
    ]:
        assert same(getattr(track, ours), [getattr(p, theirs) for p in points]), ours


# --- the corpus against tcxreader and the device's lap totals ---------------------------------


def _epoch(when: dt.datetime | None) -> float | None:
    if when is None:
        return None
    if when.tzinfo is None:  # tcxreader leaves 'Z' times naive; they are UTC
        when = when.replace(tzinfo=dt.UTC)
    delta = when - EPOCH
    return ((delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds) / 10**6


def _concatenated(tracks: list[Track], stream: str) -> np.ndarray:
    return np.concatenate([getattr(t, stream) for t in tracks])


def _flatten_multisport(path: Path, into: Path) -> Path:
    """tcxreader reads only Activities/Activity and ignores <MultiSportSession> (schema:
    MultiSportSession/FirstSport/Activity, NextSport/Activity), so it sees no trackpoint at all
    in a multisport file. For a fair baseline we hand it the same activities moved up to
    Activities/Activity; nothing else changes."""
    tree = etree.parse(str(path))
    root = tree.getroot()
    activities = root.find("{*}Activities")
    sessions = [] if activities is None else activities.findall("{*}MultiSportSession")
    if not sessions:
        return path
    assert activities is not None
    for session in sessions:
        for activity in session.iter("{*}Activity"):
            activities.append(activity)
        activities.remove(session)
    tree.write(str(into))
    return into


def _raw_speeds(path: Path) -> list[float | None]:
    """<Speed> of each trackpoint wherever it sits: TPX, or straight in <Extensions> as COROS
    writes it (tcxreader reads only TPX, so it returns None there)."""
    out: list[float | None] = []
    for point in etree.parse(str(path)).getroot().iter("{*}Trackpoint"):
        speed = point.find(".//{*}Speed")
        out.append(None if speed is None or speed.text is None else float(speed.text))
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files(".tcx"), ids=corpus_id)
def test_corpus_equals_tcxreader(path: Path, tmp_path: Path) -> None:
    tracks = read(path.read_bytes())
    baseline = _flatten_multisport(path, tmp_path / "flat.tcx")
    # only_gps=False keeps every trackpoint; tcxreader runs all activities together.
    points = TCXReader().read(str(baseline), only_gps=False).trackpoints
    assert sum(len(t) for t in tracks) == len(points)
    assert same(_concatenated(tracks, "time"), [_epoch(p.time) for p in points])
    assert same(_concatenated(tracks, "lat"), [p.latitude for p in points])
    assert same(_concatenated(tracks, "lon"), [p.longitude for p in points])
    assert same(_concatenated(tracks, "alt"), [p.elevation for p in points])
    assert same(_concatenated(tracks, "dist"), [p.distance for p in points])
    # tcxreader truncates heart rate and cadence to int; devices write whole numbers anyway.
    assert same(_concatenated(tracks, "hr"), [p.hr_value for p in points])
    cadence = [p.cadence if p.cadence is not None else p.tpx_ext.get("RunCadence") for p in points]
    assert same(_concatenated(tracks, "cad"), cadence)
    assert same(_concatenated(tracks, "power"), [p.tpx_ext.get("Watts") for p in points])
    speeds = _concatenated(tracks, "speed")
    tpx_speeds = [p.tpx_ext.get("Speed") for p in points]
    has_tpx = np.array([v is not None for v in tpx_speeds])
    assert same(speeds[has_tpx], [v for v in tpx_speeds if v is not None])
    assert same(speeds, _raw_speeds(baseline))


_ROW = re.compile(
    r"^\| (?P<path>[^|]+\.tcx) \|.*?laps=(?P<laps>\d+); LAP TOTALS \(device reference\): "
    r"time=(?P<time>[\d.]+) s, dist=(?P<dist>[\d.]+) m, kcal=(?P<kcal>[\d.]+|None),.*?"
    r"trackpoints=(?P<points>\d+) \(pos (?P<pos>\d+), hr (?P<hr>\d+), alt (?P<alt>\d+), "
    r"watts (?P<watts>\d+), cad (?P<cad>\d+)\)",
    re.MULTILINE,
)


def _sources_rows() -> list[dict[str, str]]:
    if not corpus_available():
        return []
    return [m.groupdict() for m in _ROW.finditer((CORPUS / "SOURCES.md").read_text())]


@pytest.mark.corpus
@pytest.mark.parametrize("row", _sources_rows(), ids=lambda row: row["path"])
def test_corpus_lap_totals_equal_sources(row: dict[str, str]) -> None:
    """SOURCES.md lists, per TCX, the sums over its <Lap> totals and counts of trackpoint
    values; our Track.session and streams must give the same figures (SOURCES rounds to
    two decimals)."""
    path = CORPUS / row["path"].strip()
    if not path.is_file():
        pytest.skip("corpus file not available")
    tracks = read(path.read_bytes())
    assert sum(len(t.laps) for t in tracks) == int(row["laps"])
    sessions = [t.session for t in tracks if t.session is not None]
    timer = sum(s.timer_s or 0.0 for s in sessions)
    distance = sum(s.distance_m or 0.0 for s in sessions)
    assert timer == pytest.approx(float(row["time"]), abs=0.006)
    assert distance == pytest.approx(float(row["dist"]), abs=0.006)
    if row["kcal"] == "None":
        assert all(s.calories_kcal is None for s in sessions)
    else:
        assert sum(s.calories_kcal or 0.0 for s in sessions) == pytest.approx(float(row["kcal"]))
    assert sum(len(t) for t in tracks) == int(row["points"])

    def count(stream: str) -> int:
        return int(np.isfinite(_concatenated(tracks, stream)).sum())

    assert count("lat") == int(row["pos"])
    assert count("alt") == int(row["alt"])
    assert count("power") == int(row["watts"])


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("tcx", "fit"),
    [
        (
            "GoldenCheetah/test/runs/10kUNLP2014-Garmin15.tcx",
            "GoldenCheetah/test/runs/10kUNLP2014-Garmin15.fit",
        ),
        (
            "GoldenCheetah/test/swims/GarminHRMswim.tcx",
            "GoldenCheetah/test/swims/GarminHRMswim.FIT",
        ),
    ],
)
def test_cross_format_the_same_activity_has_the_same_totals(tcx: str, fit: str) -> None:
    """SOURCES.md: the same device activity exported as FIT and as TCX. The TCX lap sums must
    equal the FIT session's distance and timer time (the TCX rounds to 0.01 s / 0.01 m)."""
    tcx_path, fit_path = CORPUS / tcx, CORPUS / fit
    if not (tcx_path.is_file() and fit_path.is_file()):
        pytest.skip("corpus files not available")
    [from_tcx] = read(tcx_path.read_bytes())
    [from_fit] = read(fit_path.read_bytes())
    assert from_tcx.session is not None
    assert from_fit.session is not None
    assert from_tcx.session.distance_m == pytest.approx(from_fit.session.distance_m, abs=0.01)
    assert from_tcx.session.timer_s == pytest.approx(from_fit.session.timer_s, abs=0.01)
    assert len(from_tcx.laps) == len(from_fit.laps)
