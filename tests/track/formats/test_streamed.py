"""GPX and TCX are parsed a chunk of bytes at a time (xml.parse_streamed): wherever the chunks
end, the Tracks must be the ones the whole document gives, and the tree must stay small."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from imas.track import CorruptFile, LimitExceeded, Track, read
from imas.track.formats import xml
from imas.track.track import STREAMS
from tests.support.gpx_writer import GpxDocument, GpxTrack, gpx_bytes, synthetic_points
from tests.support.tcx_writer import synthetic_activity, tcx_bytes

WHOLE = 1 << 40  # one chunk: the whole document at once

# Points with every odd thing the walks must get right, in a route, two tracks, segments.
ODD_GPX = (
    b'<?xml version="1.0"?>\n<gpx xmlns="http://www.topografix.com/GPX/1/1" creator="dev">'
    b'<wpt lat="5" lon="6"><name>a waypoint</name></wpt>'
    b"<trk><name>First</name><type>running</type><trkseg>"
    b'<trkpt lat="1" lon="2"><ele>5</ele><time>2020-01-01T00:00:00Z</time></trkpt>'
    b'<trkpt lat="3" lon="4"><trkpt lat="7" lon="8"><speed>9</speed></trkpt></trkpt>'
    b"<extensions><speed>11</speed><ele>12</ele></extensions>"
    b'<trkpt lat="1.5" lon="2.5"><ele>1</ele><ele>2</ele>'
    b"<extensions><hr>100</hr><heartrate>101</heartrate></extensions></trkpt>"
    b"</trkseg><trkseg/><trkseg>"
    b'<trkpt lat="9" lon="9"><time>2020-01-01T00:00:09+01:00</time></trkpt>'
    b"</trkseg></trk>"
    b'<trk><name>Second</name><trkseg><trkpt lat="-1" lon="-2"><ele>x</ele></trkpt>'
    b"</trkseg></trk></gpx>"
)
ROUTE_GPX = (
    b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><rte><name> Loop </name><type>hike</type>'
    b'<rtept lat="1" lon="2"><ele>3</ele></rtept><rtept lat="4" lon="5"/></rte></gpx>'
)


def _samples() -> dict[str, bytes]:
    points = [
        replace(p, hr=None if i % 3 == 0 else p.hr, ele=None if i % 7 == 0 else p.ele)
        for i, p in enumerate(synthetic_points(300))
    ]
    return {
        "gpx": gpx_bytes(GpxDocument([GpxTrack([points[:120], points[120:]])])),
        "odd gpx": ODD_GPX,
        "route": ROUTE_GPX,
        "tcx": tcx_bytes([synthetic_activity(300, laps=3), synthetic_activity(40, laps=1)]),
    }


SAMPLES = _samples()


def _assert_same_tracks(actual: list[Track], expected: list[Track]) -> None:
    assert len(actual) == len(expected)
    for ours, theirs in zip(actual, expected, strict=True):
        for stream in STREAMS:
            assert np.array_equal(getattr(ours, stream), getattr(theirs, stream), equal_nan=True), (
                stream
            )
        for field in dataclasses.fields(Track):
            if field.name not in STREAMS:
                assert getattr(ours, field.name) == getattr(theirs, field.name), field.name


def _read_in_chunks(data: bytes, size: int) -> list[Track]:
    saved = xml.FEED_BYTES
    xml.FEED_BYTES = size
    try:
        return read(data)
    finally:
        xml.FEED_BYTES = saved


@pytest.mark.parametrize("name", list(SAMPLES))
@pytest.mark.parametrize("size", [1, 7, 64, 333, 4096])
def test_any_chunk_size_gives_the_tracks_of_the_whole_document(name: str, size: int) -> None:
    data = SAMPLES[name]
    _assert_same_tracks(_read_in_chunks(data, size), _read_in_chunks(data, WHOLE))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(list(SAMPLES)), st.integers(min_value=1, max_value=3000))
def test_chunk_boundaries_anywhere(name: str, size: int) -> None:
    data = SAMPLES[name]
    _assert_same_tracks(_read_in_chunks(data, size), _read_in_chunks(data, WHOLE))


def test_odd_points_read_as_the_decoders_specify() -> None:
    first, second = _read_in_chunks(ODD_GPX, 5)
    assert first.name == "First"
    assert first.sport == "running"
    assert second.name == "Second"
    assert np.array_equal(first.lat, [1.0, 3.0, 1.5, 9.0])
    assert np.array_equal(first.alt, [5.0, np.nan, 2.0, np.nan], equal_nan=True)
    assert np.array_equal(first.hr, [np.nan, np.nan, 101.0, np.nan], equal_nan=True)
    assert np.isnan(first.speed).all()
    [route] = _read_in_chunks(ROUTE_GPX, 3)
    assert route.name == "Loop"
    assert route.sport == "hiking"


@pytest.mark.parametrize("kind", ["gpx", "tcx"])
def test_the_tree_holds_about_one_chunk_of_points(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After each chunk the finished points are read and freed: the tree never holds the
    # whole document (here 2,000 points, 0.6-0.9 MB) but about one chunk's worth.
    if kind == "gpx":
        data = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(2000)])]))
    else:
        data = tcx_bytes([synthetic_activity(2000, laps=2)])
    whole_tree = sum(1 for _ in etree.fromstring(data).iter())
    largest = 0
    prune = xml._prune

    def measured(document: etree._Element, keep: frozenset[str]) -> None:
        nonlocal largest
        largest = max(largest, sum(1 for _ in document.iter()))
        prune(document, keep)

    monkeypatch.setattr(xml, "_prune", measured)
    monkeypatch.setattr(xml, "FEED_BYTES", 16 * 1024)
    [track] = read(data)
    assert len(track) == 2000
    assert 0 < largest < whole_tree / 20


def test_what_the_decoder_does_not_read_is_freed_as_it_comes() -> None:
    # 60,000 waypoints: well over the cap on what the tree keeps, but dropped chunk by chunk.
    waypoints = b'<wpt lat="1" lon="2"><name>w</name></wpt>' * 60_000
    track = b'<trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk>'
    [decoded] = read(b"<gpx>" + waypoints + track + b"</gpx>")
    assert len(decoded) == 1


def test_a_tree_that_keeps_growing_is_refused() -> None:
    # Inside a point nothing is freed until the point ends: a point that never ends must not
    # grow the tree without bound.
    inside = b"<x/>" * 600_000
    data = b'<gpx><trk><trkseg><trkpt lat="1" lon="2">' + inside + b"</trkpt></trkseg></trk></gpx>"
    with pytest.raises(LimitExceeded, match="outside its points"):
        read(data)


def test_another_root_is_refused_at_the_first_chunk() -> None:
    with pytest.raises(CorruptFile, match="root"):
        xml.parse_streamed(
            b"<kml>" + b"<x/>" * 10 + b"</kml>",
            root="gpx",
            what="GPX",
            segments={"trkseg": "trkpt"},
            new_columns=lambda: xml.PointColumns({}, one_walk=True),
            keep=frozenset(),
        )


def test_processing_instructions_anywhere_are_ignored() -> None:
    data = (
        b'<?xml version="1.0"?>\n<?xml-stylesheet href="a.xsl"?><gpx><?app x?><trk><trkseg>'
        b'<trkpt lat="1" lon="2"><?inside y?><ele>3</ele></trkpt><?between z?>'
        b'<trkpt lat="4" lon="5"><ele>6</ele></trkpt></trkseg></trk></gpx><?after w?>'
    )
    for size in (3, WHOLE):
        [track] = _read_in_chunks(data, size)
        assert np.array_equal(track.alt, [3.0, 6.0])


def test_many_processing_instructions_are_refused() -> None:
    data = b"<gpx>" + b"<?x?>" * (xml.MAX_INSTRUCTIONS + 1) + b"</gpx>"
    with pytest.raises(LimitExceeded, match="processing instructions"):
        read(data)


@pytest.mark.parametrize(
    "data",
    [b'<?xml version="1.0"', b"<?xml ?><gpx/>", b'<?xml version="1.0"?>', b"", b"   "],
)
def test_a_broken_prolog_is_corrupt(data: bytes) -> None:
    from imas.track.formats.gpx import decode_gpx

    with pytest.raises(CorruptFile):
        decode_gpx(data)


def test_segments_inside_points_or_unread_parts_are_not_held() -> None:
    # A segment inside a point or a waypoint is not the decoder's; holding it would keep the
    # freed point or waypoint (and all it holds) alive outside the tree and its cap.
    junk = b"<x/>" * 1000
    point = b'<trkpt lat="1" lon="2"><trkseg><trkpt lat="3" lon="4"/></trkseg>' + junk + b"</trkpt>"
    waypoint = b'<wpt lat="5" lon="6"><trkseg><trkpt lat="7" lon="8"/></trkseg>' + junk + b"</wpt>"
    data = b"<gpx>" + waypoint * 3 + b"<trk><trkseg>" + point * 3 + b"</trkseg></trk></gpx>"
    for size in (64, WHOLE):
        [track] = _read_in_chunks(data, size)
        assert np.array_equal(track.lat, [1.0, 1.0, 1.0])
    assert not xml._readable(etree.fromstring(data)[0][0], frozenset(["trkpt"]), frozenset(["trk"]))
