"""gzip and zip archives: member order, names, nesting, skipped entries, limits, corpus zips."""

from __future__ import annotations

import dataclasses
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from imas.track import (
    CorruptFile,
    HostileInput,
    LimitExceeded,
    NoActivity,
    read,
)
from imas.track.formats.archive import ArchiveLimits, ArchiveMember, iter_members, safe_name
from tests.support.corpus import corpus_files, corpus_id
from tests.support.gpx_writer import GpxDocument, GpxTrack, gpx_bytes, synthetic_points
from tests.support.tcx_writer import synthetic_activity, tcx_bytes

try:
    from imas.track.formats.fit import decode_fit  # noqa: F401  (developed alongside)
    from tests.support.fit_writer import activity_file, synthetic_samples

    FIT: bytes | None = activity_file(synthetic_samples(120))
except ImportError:  # the FIT decoder or its writer is not there yet
    FIT = None

GPX = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(30)])]))
TCX = tcx_bytes([synthetic_activity(40, laps=2)])


def make_zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def test_a_zip_gives_its_entries_tracks_in_member_order() -> None:
    data = make_zip([("b.tcx", TCX), ("a.gpx", GPX), ("notes.txt", b"hello")])
    members = list(iter_members(data))
    assert [(m.name, m.skipped) for m in members] == [
        ("b.tcx", None),
        ("a.gpx", None),
        ("notes.txt", "not a FIT, GPX or TCX file"),
    ]
    tracks = read(data)
    assert [(t.source_format, len(t)) for t in tracks] == [("tcx", 40), ("gpx", 30)]
    assert tracks[0].warnings == ["archive entry skipped: notes.txt: not a FIT, GPX or TCX file"]


def test_a_gzip_gives_its_content_and_stored_name() -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="ride.gpx", mode="wb", fileobj=buffer) as stream:
        stream.write(GPX)
    [member] = iter_members(buffer.getvalue())
    assert member == ArchiveMember("ride.gpx", GPX)
    assert len(read(buffer.getvalue())[0]) == 30


def test_a_multi_member_gzip_is_read_whole() -> None:
    half = len(GPX) // 2
    data = gzip.compress(GPX[:half]) + gzip.compress(GPX[half:])
    [member] = iter_members(data)
    assert member.data == GPX


def test_stored_entries() -> None:
    tracks = read(make_zip([("a.gpx", GPX)], zipfile.ZIP_STORED))
    assert len(tracks[0]) == 30


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_methods_that_zipfile_cannot_stream_in_bounded_steps_are_skipped(method: int) -> None:
    data = make_zip([("a.gpx", GPX), ("b.tcx", TCX)], method)
    assert [m.skipped for m in iter_members(data)] == [
        f"compression method {method}: only stored or deflated is read"
    ] * 2
    with pytest.raises(NoActivity, match="only stored or deflated"):
        read(data)


def test_one_level_of_nesting_is_read_and_deeper_is_skipped() -> None:
    inner_zip = make_zip([("x.tcx", TCX)])
    innermost = make_zip([("deep.zip", make_zip([("y.gpx", GPX)]))])
    data = make_zip(
        [("ride.gpx.gz", gzip.compress(GPX)), ("inner.zip", inner_zip), ("deep.zip", innermost)]
    )
    members = list(iter_members(data))
    assert [(m.name, m.skipped) for m in members] == [
        ("ride.gpx.gz/data", None),
        ("inner.zip/x.tcx", None),
        ("deep.zip/deep.zip", "archive nested more than one level deep"),
    ]
    assert [t.source_format for t in read(data)] == ["gpx", "tcx"]


def test_folders_are_silent_and_empty_entries_skipped() -> None:
    data = make_zip([("folder/", b""), ("folder/empty.gpx", b""), ("folder/a.gpx", GPX)])
    assert [(m.name, m.skipped) for m in iter_members(data)] == [
        ("folder/empty.gpx", "empty entry"),
        ("folder/a.gpx", None),
    ]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../x.gpx", "x.gpx"),
        ("/etc/passwd", "etc/passwd"),
        ("C:\\Windows\\evil.gpx", "Windows/evil.gpx"),
        ("a/./b/../c.gpx", "a/b/c.gpx"),
        ("..", "(unnamed)"),
    ],
)
def test_entry_names_are_neutralised(raw: str, shown: str) -> None:
    assert safe_name(raw) == shown


def test_path_tricks_in_a_real_zip_are_only_labels() -> None:
    data = make_zip([("../../evil.gpx", GPX), ("/abs/evil.tcx", TCX)])
    assert [m.name for m in iter_members(data)] == ["evil.gpx", "abs/evil.tcx"]
    assert len(read(data)) == 2


def test_a_broken_member_is_skipped_with_its_reason() -> None:
    data = make_zip([("bad.gpx", b"<gpx><trk><trkseg><trkpt lat='1'"), ("good.gpx", GPX)])
    [track] = read(data)
    assert track.warnings[0].startswith("archive entry skipped: bad.gpx: the XML is malformed")


def test_nothing_readable_is_no_activity_with_reasons() -> None:
    with pytest.raises(NoActivity, match=r"notes\.txt: not a FIT, GPX or TCX file"):
        read(make_zip([("notes.txt", b"hello")]))


def test_a_hostile_member_refuses_the_whole_archive() -> None:
    evil = b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]><gpx>&x;</gpx>'
    with pytest.raises(HostileInput):
        read(make_zip([("good.gpx", GPX), ("evil.gpx", evil)]))


def test_encrypted_entries_are_refused_clearly() -> None:
    data = bytearray(make_zip([("secret.gpx", GPX)]))
    # Set the 'encrypted' flag (bit 0) in the local and the central header.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flag_offset] |= 0x01
    with pytest.raises(HostileInput, match="encrypted"):
        list(iter_members(bytes(data)))


def test_corrupt_archives() -> None:
    with pytest.raises(CorruptFile, match="gzip"):
        read(gzip.compress(GPX)[:-40])
    zipped = make_zip([("a.gpx", GPX)])
    with pytest.raises(CorruptFile, match="zip"):
        read(zipped[: len(zipped) // 2])


def test_limits_are_a_frozen_dataclass_with_caps_that_apply() -> None:
    limits = ArchiveLimits()
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_entries = 1  # type: ignore[misc]
    small = ArchiveLimits(max_entries=2)
    with pytest.raises(LimitExceeded, match="more than 2 entries"):
        list(iter_members(make_zip([(f"{i}.gpx", GPX) for i in range(3)]), small))
    tiny = ArchiveLimits(max_member_bytes=len(GPX) - 1)
    with pytest.raises(LimitExceeded, match="unpacks to more than"):
        list(iter_members(make_zip([("a.gpx", GPX)]), tiny))
    total = ArchiveLimits(max_total_bytes=len(GPX) + 10)
    with pytest.raises(LimitExceeded, match="archive unpacks to more than"):
        list(iter_members(make_zip([("a.gpx", GPX), ("b.gpx", GPX)]), total))
    with pytest.raises(LimitExceeded, match="the archive is"):
        list(iter_members(make_zip([("a.gpx", GPX)]), ArchiveLimits(max_compressed_bytes=100)))


@pytest.mark.skipif(FIT is None, reason="the FIT decoder is not available yet")
def test_fit_inside_zip_and_gzip() -> None:
    assert FIT is not None
    tracks = read(make_zip([("a.fit", FIT), ("b.fit.gz", gzip.compress(FIT))]))
    assert [t.source_format for t in tracks] == ["fit", "fit"]
    assert len(tracks[0]) == len(tracks[1]) == 120


# --- corpus archives (FitTrackee's include broken-on-purpose ones) -----------------------------

EXPECTED_MEMBERS = {
    # name -> [(member, skipped reason or None, tracks it gives)]
    "gpx_test.zip": [
        ("fichier.doc", "empty entry", 0),
        ("test_1.gpx", None, 1),
        ("test_2.gpx", None, 1),
        ("test_3.gpx", None, 1),
    ],
    "gpx_test_folder.zip": [
        ("folder/fichier.doc", "empty entry", 0),
        ("folder/test_1.gpx", None, 1),
        ("folder/test_2.gpx", None, 1),
        ("folder/test_3.gpx", None, 1),
    ],
    "gpx_test_incorrect.zip": [("test_1.gpx", None, 1), ("test_4.gpx", None, 0)],
    "gpx_test_all_incorrect.zip": [("test_4.gpx", None, 0), ("test_5.gpx", None, 0)],
    "gpx_test_no_gpx.zip": [("folder/fichier.doc", "empty entry", 0)],
    "gpx_multiple_extensions.zip": [
        ("test_1.gpx", None, 1),
        ("example.kmz/doc.kml", "not a FIT, GPX or TCX file", 0),
        ("example.kml", "not a FIT, GPX or TCX file", 0),
    ],
}


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files(".zip", ".gz"), ids=corpus_id)
def test_corpus_archives(path: Path) -> None:
    data = path.read_bytes()
    members = list(iter_members(data))
    expected = EXPECTED_MEMBERS.get(path.name)
    if expected is None:  # the compressed FIT rides: one FIT member each
        assert [sniff_kind(m) for m in members] == ["fit"]
        if FIT is not None:
            assert len(read(data)) == 1
        return
    assert [(m.name, m.skipped) for m in members] == [(n, s) for n, s, _ in expected]
    wanted = sum(count for _, _, count in expected)
    if wanted == 0:
        with pytest.raises(NoActivity):
            read(data)
    else:
        tracks = read(data)
        assert len(tracks) == wanted
        assert all(len(t) == 25 for t in tracks)  # FitTrackee's test GPX has 25 points


def sniff_kind(member: ArchiveMember) -> str:
    from imas.track.formats.sniff import sniff

    return sniff(member.data).kind
