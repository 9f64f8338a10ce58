"""Format recognition from content alone."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from imas.track.formats.sniff import sniff
from tests.support.gpx_writer import GpxDocument, GpxTrack, gpx_bytes, synthetic_points
from tests.support.tcx_writer import synthetic_activity, tcx_bytes

GPX = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(3)])]))
TCX = tcx_bytes([synthetic_activity(3, laps=1)])


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_fit_headers_of_both_sizes() -> None:
    header12 = bytes([12, 0x10]) + (100).to_bytes(2, "little") + (50).to_bytes(4, "little")
    assert sniff(header12 + b".FIT").kind == "fit"
    header14 = bytes([14, 0x20]) + (2100).to_bytes(2, "little") + (0).to_bytes(4, "little")
    assert sniff(header14 + b".FIT" + b"\x00\x00").kind == "fit"
    assert sniff(bytes([13]) + header12[1:] + b".FIT").kind == "unknown"  # no such header size
    assert sniff(header12 + b".FIX").kind == "unknown"


def test_archives() -> None:
    assert sniff(gzip.compress(GPX)).kind == "gzip"
    assert sniff(_zip({"a.gpx": GPX})).kind == "zip"
    assert sniff(_zip({})).kind == "zip"  # an empty zip is only its end record


def test_gpx_and_tcx_by_root_element() -> None:
    assert sniff(GPX).kind == "gpx"
    assert sniff(TCX).kind == "tcx"


def test_the_prolog_is_skipped() -> None:
    doc = (
        b'<?xml version="1.0"?>\n<!-- exported -->\n<?xml-stylesheet href="x.xsl"?>\n'
        b'<gpx:gpx xmlns:gpx="http://www.topografix.com/GPX/1/1"/>'
    )
    assert sniff(doc).kind == "gpx"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_boms_and_wide_encodings(encoding: str) -> None:
    text = '<?xml version="1.0"?><TrainingCenterDatabase/>'
    assert sniff(text.encode(encoding)).kind == "tcx"


def test_other_xml_names_its_root() -> None:
    result = sniff(b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>')
    assert (result.kind, result.detail) == ("xml", "kml")


@pytest.mark.parametrize(
    "data",
    [b"", b"hello world", b"\x00" * 64, b"\xff\xd8\xff\xe0 JPEG", b"{}", b"<", b"<!-- open"],
)
def test_anything_else_is_unknown_or_unnamed_xml(data: bytes) -> None:
    assert sniff(data).kind in ("unknown", "xml")
    assert sniff(data).kind not in ("gpx", "tcx", "fit", "zip", "gzip")


def test_an_unterminated_prolog_is_scanned_quickly() -> None:
    # Many openings of comments that never close: a plain forward scan, not backtracking.
    assert sniff(b"<!--" * 100_000).kind == "xml"


# --- read() dispatches on what sniff found ------------------------------------------------------


def test_read_dispatches_every_format() -> None:
    from imas.track import read
    from tests.support.fit_writer import activity_file, synthetic_samples

    assert [t.source_format for t in read(GPX)] == ["gpx"]
    assert [t.source_format for t in read(TCX)] == ["tcx"]
    assert [t.source_format for t in read(activity_file(synthetic_samples(30)))] == ["fit"]
    assert [t.source_format for t in read(gzip.compress(TCX))] == ["tcx"]


def test_read_names_what_it_cannot_read() -> None:
    from imas.track import CorruptFile, UnsupportedFormat, read

    with pytest.raises(UnsupportedFormat, match=r"<kml>.*GPX.*TCX"):
        read(b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>')
    with pytest.raises(UnsupportedFormat, match="not FIT, GPX, TCX, gzip or zip"):
        read(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(CorruptFile, match="empty"):
        read(b"")
