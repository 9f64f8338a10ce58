"""GPX decoding: files our writer builds, and every corpus GPX against gpxpy, value for value."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import gpxpy
import gpxpy.gpx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imas.track import NoActivity, Track, read
from imas.track.formats.gpx import decode_gpx
from imas.track.formats.xml import PointColumns
from tests.support.corpus import corpus_files, corpus_id
from tests.support.gpx_writer import (
    GpxDocument,
    GpxPoint,
    GpxTrack,
    gpx_bytes,
    synthetic_points,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
NAN = float("nan")


def same(actual: np.ndarray, expected: list[float | None]) -> bool:
    """Equal to the last bit, NaN where expected is None."""
    want = np.array([NAN if v is None else float(v) for v in expected], dtype=np.float64)
    return actual.shape == want.shape and bool(np.array_equal(actual, want, equal_nan=True))


def column(points: list[GpxPoint], name: str) -> list[float | None]:
    return [getattr(p, name) for p in points]


# --- files our writer builds ------------------------------------------------------------------


def test_a_ride_with_garmin_extensions_reads_back_exactly() -> None:
    points = synthetic_points(600)
    [track] = read(gpx_bytes(GpxDocument([GpxTrack([points], name="Morning", type="cycling")])))
    assert track.source_format == "gpx"
    assert len(track) == 600
    assert track.sport == "cycling"
    assert track.name == "Morning"
    assert track.device == "imas tests"
    for ours, theirs in [
        ("time", "time"),
        ("lat", "lat"),
        ("lon", "lon"),
        ("alt", "ele"),
        ("hr", "hr"),
        ("cad", "cad"),
        ("power", "power"),
        ("temp", "atemp"),
    ]:
        assert same(getattr(track, ours), column(points, theirs)), ours
    assert not track.has("speed")
    assert not track.has("dist")
    assert track.warnings == []


@pytest.mark.parametrize("style", ["tpx1", "tpx2", "gpxdata", "plain"])
def test_every_extension_style_gives_heart_rate_cadence_and_power(style: str) -> None:
    points = synthetic_points(50, seed=3)
    for p in points:
        p.speed = 4.25
    doc = GpxDocument([GpxTrack([points])], extension_style=style)  # type: ignore[arg-type]
    [track] = decode_gpx(gpx_bytes(doc))
    assert same(track.hr, column(points, "hr"))
    assert same(track.cad, column(points, "cad"))
    assert same(track.power, column(points, "power"))
    if style in ("tpx1", "tpx2", "gpxdata"):
        assert same(track.temp, column(points, "atemp"))
    if style == "tpx2":
        assert same(track.speed, [4.25] * 50)


def test_power_in_the_ways_apps_write_it() -> None:
    points = [
        # Garmin PowerExtension v1, bare and wrapped in its PowerExtension element
        "<extensions><gpxpx:PowerInWatts>201</gpxpx:PowerInWatts></extensions>",
        "<extensions><gpxpx:PowerExtension><gpxpx:PowerInWatts>202</gpxpx:PowerInWatts>"
        "</gpxpx:PowerExtension></extensions>",
        "<extensions><power>203</power></extensions>",  # Strava
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>90</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension><watts>204</watts></extensions>",
        "<extensions><ns3:TPX xmlns:ns3='urn:x'><ns3:Watts>205</ns3:Watts></ns3:TPX></extensions>",
        "",
    ]
    body = "".join(f'<trkpt lat="1" lon="2">{p}</trkpt>' for p in points)
    doc = (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxpx="http://www.garmin.com/xmlschemas/PowerExtension/v1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><trkseg>{body}</trkseg></trk></gpx>"
    )
    [track] = decode_gpx(doc.encode())
    assert same(track.power, [201.0, 202.0, 203.0, 204.0, 205.0, None])
    assert same(track.hr, [None, None, None, 90.0, None, None])


def test_water_temperature_is_used_when_there_is_no_air_temperature() -> None:
    points = [
        GpxPoint(46.0, 14.0, 1e9 + i, wtemp=18.5 + i, atemp=25.0 if i == 0 else None)
        for i in range(3)
    ]
    [track] = decode_gpx(gpx_bytes(GpxDocument([GpxTrack([points])])))
    assert same(track.temp, [25.0, 19.5, 20.5])


def test_gpx_1_0_with_speed_element() -> None:
    points = [GpxPoint(46.0 + i / 1e4, 14.0, 1e9 + i, ele=300.0, speed=3.5 + i) for i in range(5)]
    doc = GpxDocument([GpxTrack([points])], version="1.0")
    [track] = decode_gpx(gpx_bytes(doc))
    assert same(track.speed, [3.5, 4.5, 5.5, 6.5, 7.5])
    assert same(track.time, column(points, "time"))


def test_one_track_per_trk_and_segments_concatenated() -> None:
    a = synthetic_points(30, seed=1)
    b = synthetic_points(20, start=1_700_000_100.0, seed=2)
    c = synthetic_points(10, start=1_700_001_000.0, seed=3)
    doc = GpxDocument([GpxTrack([a, b], type="Running"), GpxTrack([]), GpxTrack([c], type="hike")])
    first, second = decode_gpx(gpx_bytes(doc))
    assert len(first) == 50
    assert first.sport == "running"
    assert same(first.time, column(a + b, "time"))
    assert len(second) == 10
    assert second.sport == "hiking"
    assert same(second.lat, column(c, "lat"))


def test_routes_become_tracks_only_when_there_is_no_track() -> None:
    route = [GpxPoint(46.0 + i / 100, 14.0 + i / 100, ele=100.0 + i) for i in range(4)]
    [only_route] = decode_gpx(gpx_bytes(GpxDocument(routes=[route])))
    assert len(only_route) == 4
    assert np.isnan(only_route.time).all()
    assert same(only_route.alt, [100.0, 101.0, 102.0, 103.0])

    track = synthetic_points(5)
    [recorded] = decode_gpx(gpx_bytes(GpxDocument([GpxTrack([track])], routes=[route])))
    assert len(recorded) == 5


def test_missing_times_and_elevations_are_nan() -> None:
    points = [
        GpxPoint(46.0, 14.0, 1e9, ele=10.0),
        GpxPoint(46.1, 14.1, None, ele=None),
        GpxPoint(46.2, 14.2, 1e9 + 2, ele=12.0, hr=140.0),
    ]
    [track] = decode_gpx(gpx_bytes(GpxDocument([GpxTrack([points])])))
    assert same(track.time, [1e9, None, 1e9 + 2])
    assert same(track.alt, [10.0, None, 12.0])
    assert same(track.hr, [None, None, 140.0])


def _gpx(segment: str, *, inside: str = "trk><trkseg") -> bytes:
    outer = inside.split("><")
    opening = "".join(f"<{name}>" for name in outer)
    closing = "".join(f"</{name}>" for name in reversed(outer))
    return (
        f'<gpx xmlns="http://www.topografix.com/GPX/1/1">{opening}{segment}{closing}</gpx>'
    ).encode()


def test_values_outside_the_points_stay_out_of_them() -> None:
    # A segment's own extensions follow its last point, and a point nested in a point is not
    # a point: neither may lend its values to the point before it.
    [track] = decode_gpx(
        _gpx(
            '<trkpt lat="1" lon="2"><ele>5</ele></trkpt>'
            '<trkpt lat="3" lon="4"><trkpt lat="7" lon="8"><speed>9</speed></trkpt></trkpt>'
            "<extensions><speed>11</speed><ele>12</ele></extensions>"
        )
    )
    assert same(track.lat, [1.0, 3.0])
    assert same(track.alt, [5.0, None])
    assert same(track.speed, [None, None])


def test_a_stream_given_twice_in_a_point_takes_the_last() -> None:
    [track] = decode_gpx(
        _gpx(
            '<trkpt lat="1" lon="2"><ele>1</ele><ele>2</ele>'
            "<extensions><hr>100</hr><heartrate>101</heartrate></extensions></trkpt>"
            '<trkpt lat="1" lon="2"><ele>3</ele></trkpt>'
        )
    )
    assert same(track.alt, [2.0, 3.0])
    assert same(track.hr, [101.0, None])


def test_a_route_keeps_its_name_and_its_points() -> None:
    [route] = decode_gpx(
        _gpx(
            '<name>Loop</name><rtept lat="1" lon="2"><ele>3</ele></rtept><rtept lat="4" lon="5"/>',
            inside="rte",
        )
    )
    assert route.name == "Loop"
    assert same(route.lat, [1.0, 4.0])
    assert same(route.alt, [3.0, None])


def test_values_stay_with_their_points_across_conversion_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(PointColumns, "CHUNK", 7)
    points = [
        replace(
            p,
            time=None if i % 5 == 0 else p.time,
            hr=None if i % 3 == 0 else p.hr,
            ele=None if i in (6, 7, 13, 14) else p.ele,  # across the first chunk boundaries
        )
        for i, p in enumerate(synthetic_points(50))
    ]
    [track] = decode_gpx(gpx_bytes(GpxDocument([GpxTrack([points[:22], points[22:]])])))
    assert len(track) == 50
    for stream, name in (("time", "time"), ("hr", "hr"), ("alt", "ele"), ("lat", "lat")):
        assert same(getattr(track, stream), column(points, name)), stream


@pytest.mark.parametrize("style", ["Z", "offset", "millis"])
def test_timestamp_forms(style: str) -> None:
    times = [1_555_596_739.0, 1_555_596_740.009, 1_555_596_741.5]
    points = [GpxPoint(48.0, 9.0, t) for t in times]
    doc = GpxDocument([GpxTrack([points])], time_format=style)  # type: ignore[arg-type]
    [track] = decode_gpx(gpx_bytes(doc))
    assert same(track.time, [round(t * 1000) / 1000 for t in times])


def test_odd_timestamps_fall_back_one_by_one() -> None:
    body = "".join(
        f'<trkpt lat="1" lon="2"><time>{t}</time></trkpt>'
        for t in [
            "2019-04-18T14:12:19Z",
            "2019-04-18T16:12:20+02:00",
            "2019-04-18T14:12:21.1234567Z",  # more digits than microseconds: truncated
            "2019-04-18 14:12:22Z",
            "2019-04-18T14:12:23",  # no zone: UTC, as GPX specifies
            "not a time",
            "",
        ]
    )
    doc = f'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{body}</trkseg></trk></gpx>'
    [track] = decode_gpx(doc.encode())
    base = dt.datetime(2019, 4, 18, 14, 12, 19, tzinfo=dt.UTC).timestamp()
    assert same(track.time, [base, base + 1, base + 2.123456, base + 3, base + 4, None, None])
    assert track.warnings == ["1 time values could not be read"]


def test_exponent_notation_and_bad_numbers() -> None:
    doc = (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        '<trkpt lat="4.6e1" lon="1.4E+01"><ele>1e2</ele></trkpt>'
        '<trkpt lat="95" lon="abc"><ele>inf</ele></trkpt>'
        "</trkseg></trk></gpx>"
    )
    [track] = decode_gpx(doc.encode())
    assert same(track.lat, [46.0, None])
    assert same(track.lon, [14.0, None])
    assert same(track.alt, [100.0, None])


@pytest.mark.parametrize(
    "encoding", ["UTF-8", "UTF-16", "UTF-16-LE", "UTF-32", "ISO-8859-1", "windows-1252"]
)
def test_encodings(encoding: str) -> None:
    points = synthetic_points(5)
    data = gpx_bytes(GpxDocument([GpxTrack([points], name="Café Zürich")]), encoding=encoding)
    [track] = read(data)
    assert track.name == "Café Zürich"
    assert same(track.lat, column(points, "lat"))


def test_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + gpx_bytes(GpxDocument([GpxTrack([synthetic_points(3)])]))
    assert len(read(data)[0]) == 3


def test_no_track_no_route_is_no_activity() -> None:
    doc = GpxDocument(waypoints=[GpxPoint(46.0, 14.0)])
    with pytest.raises(NoActivity, match="no track or route"):
        read(gpx_bytes(doc))


# --- the corpus against gpxpy -----------------------------------------------------------------


def _epoch(when: dt.datetime | None) -> float | None:
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    delta = when - EPOCH
    return ((delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds) / 10**6


_EXT = {
    "hr": {"hr", "heartrate"},
    "cad": {"cad", "cadence"},
    "power": {"power", "PowerInWatts", "watts"},
    "temp": {"atemp", "temp"},
}


def _extension(point: gpxpy.gpx.GPXTrackPoint, names: set[str]) -> float | None:
    """A value from gpxpy's own parse of the point's <extensions> (an ElementTree list)."""
    for root in point.extensions:
        for element in root.iter():
            if str(element.tag).rsplit("}", 1)[-1] in names and element.text:
                return float(element.text)
    return None


def _speed(point: gpxpy.gpx.GPXTrackPoint) -> float | None:
    speed: float | None = getattr(point, "speed", None)  # route points have no <speed>
    return speed if speed is not None else _extension(point, {"speed"})


def _baseline(path: Path) -> list[list[gpxpy.gpx.GPXTrackPoint]]:
    parsed = gpxpy.parse(path.read_bytes().decode("utf-8-sig"))
    tracks = [[p for seg in t.segments for p in seg.points] for t in parsed.tracks]
    tracks = [t for t in tracks if t]
    if tracks:
        return tracks
    return [r.points for r in parsed.routes if r.points]  # type: ignore[misc]


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files(".gpx"), ids=corpus_id)
def test_corpus_equals_gpxpy(path: Path) -> None:
    expected = _baseline(path)
    if not expected:
        with pytest.raises(NoActivity):
            read(path.read_bytes())
        return
    tracks: list[Track] = read(path.read_bytes())
    assert [len(t) for t in tracks] == [len(points) for points in expected]
    for track, points in zip(tracks, expected, strict=True):
        assert same(track.time, [_epoch(p.time) for p in points])
        assert same(track.lat, [p.latitude for p in points])
        assert same(track.lon, [p.longitude for p in points])
        assert same(track.alt, [p.elevation for p in points])
        # GPX 1.0 <speed>, else TrackPointExtension v2 <speed> (gpxpy keeps it as an extension).
        speeds = [_speed(p) for p in points]
        assert same(track.speed, speeds)
        for stream, names in _EXT.items():
            assert same(getattr(track, stream), [_extension(p, names) for p in points]), stream


@pytest.mark.corpus
def test_corpus_extension_file_has_every_sensor() -> None:
    files = [p for p in corpus_files(".gpx") if p.name == "UrbanBiker2019-04-18_16-12.gpx"]
    if not files:
        pytest.skip("corpus file not available")
    [track] = read(files[0].read_bytes())
    # SOURCES.md: 2870 points, 3 segments (one empty), hr/power/cad extensions, 2844 with ele.
    assert len(track) == 2870
    assert int(np.isfinite(track.alt).sum()) == 2844
    assert track.has("hr")
    assert track.has("power")
    assert track.has("cad")
    assert track.has("temp")
    assert track.has("speed")  # TrackPointExtension v2 <gpxtpx:speed>


# --- property: whatever the writer puts in comes back out, bit for bit ----------------------

_finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)


@st.composite
def _point(draw: st.DrawFn) -> GpxPoint:
    whole = draw(st.integers(0, 4_000_000_000))
    millis = draw(st.integers(0, 999))

    def maybe(values: st.SearchStrategy[float]) -> float | None:
        return draw(st.none() | values)

    return GpxPoint(
        lat=draw(st.floats(-90, 90)),
        lon=draw(st.floats(-180, 180)),
        time=draw(st.none() | st.just((whole * 10**6 + millis * 1000) / 10**6)),
        ele=maybe(_finite),
        hr=maybe(st.integers(30, 250).map(float)),
        cad=maybe(st.integers(0, 200).map(float)),
        power=maybe(st.integers(0, 2500).map(float)),
        atemp=maybe(st.floats(-40, 60)),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_point(), min_size=1, max_size=30),
    st.sampled_from(["tpx1", "tpx2", "gpxdata", "plain"]),
    st.sampled_from(["Z", "offset", "millis"]),
)
def test_round_trip_of_random_points(points: list[GpxPoint], style: str, times: str) -> None:
    doc = GpxDocument(
        [GpxTrack([points])],
        extension_style=style,  # type: ignore[arg-type]
        time_format=times,  # type: ignore[arg-type]
    )
    [track] = decode_gpx(gpx_bytes(doc))
    assert same(track.time, column(points, "time"))
    assert same(track.lat, column(points, "lat"))
    assert same(track.lon, column(points, "lon"))
    assert same(track.alt, column(points, "ele"))
    assert same(track.hr, column(points, "hr"))
    assert same(track.cad, column(points, "cad"))
    assert same(track.power, column(points, "power"))
    if style != "plain":  # bare-name extensions carry no temperature in our writer
        assert same(track.temp, column(points, "atemp"))
