"""Safe XML reading shared by the GPX and TCX decoders, plus their common value parsing.

Activity XML never needs a DTD, so any DOCTYPE or ENTITY declaration is refused before lxml
sees the bytes: that closes external entities (file disclosure, network fetches) and entity
expansion bombs ("billion laughs") at the door instead of trusting parser flags alone. The
parser flags are set defensively anyway (no entity resolution, no network, no DTD loading,
never huge_tree, so libxml2 keeps its own limits: nesting depth 256, text nodes 10 MB).

Non-UTF-8 documents (UTF-16/32 with or without BOM, Latin-1, Windows-1252, ...) are transcoded
to UTF-8 first, so that the declaration check above sees plain ASCII markup whatever the
encoding was.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from lxml import etree

from imas.track.errors import CorruptFile, HostileInput, LimitExceeded, TrackError
from imas.track.track import FloatArray

# A 24-hour 1 Hz GPX with every sensor extension is about 30 MB; twice that is plenty.
MAX_XML_BYTES = 64 * 1024 * 1024
# Markup count bounds the number of nodes libxml2 may build and we may read, whatever their
# size (the tree's memory is bounded by parsing in chunks, see parse_streamed and
# MAX_KEPT_NODES). A 24-hour 1 Hz GPX with extensions has about 2.5 million '<'.
MAX_XML_TAGS = 4_000_000
# libxml2 spends about 250 bytes on an attribute however short it is in the file (a="" is
# four bytes), and each one needs an '='. A 24-hour 1 Hz GPX has about 175,000 (lat, lon).
MAX_XML_ATTRIBUTES = 1_000_000
# libxml2's own limit without XML_PARSE_HUGE; we never enable huge_tree, so it always holds.
MAX_XML_DEPTH = 256
# Each track, lap or segment element costs microseconds of Python and each Track or Lap
# built a few hundred bytes to kilobytes, however small the element, so tiny repeated
# elements must not multiply them: they are counted as met, empty or not. A GPX with 8
# tracks, a TCX swim with 200 laps or a file with 100 segments (pauses) is already unusual.
MAX_TRACKS_PER_FILE = 1000
MAX_LAPS_PER_FILE = 10_000
MAX_SEGMENTS_PER_FILE = 20_000


def check_count(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise LimitExceeded(f"the file holds more than {limit:,} {what}")


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# '<' in the wide encodings without a BOM (XML 1.0 appendix F).
_WIDE_WITHOUT_BOM: tuple[tuple[bytes, str], ...] = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_DECLARED_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._\-]{1,40})["']"""
)
_ENCODING_IN_DECL = re.compile(
    r"""(^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["'])[A-Za-z0-9._\-]{1,40}(["'])"""
)


def detect_encoding(data: bytes) -> tuple[str, int]:
    """The document's character encoding (a Python codec name) and the length of its BOM."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    for start, name in _WIDE_WITHOUT_BOM:
        if data.startswith(start):
            return name, 0
    declared = _DECLARED_ENCODING.match(data)
    if declared is None:
        return "utf-8", 0  # the XML default
    label = declared.group(1).decode("ascii")
    try:
        name = codecs.lookup(label).name
        # Past the BOM and wide-encoding checks only encodings that write markup as ASCII make
        # sense (Latin-1, Windows-125x, ...); this also keeps out Python's non-text codecs
        # (base64, rot13, zlib, ...) and EBCDIC.
        ascii_compatible = "<?xml gpx/>".encode(name) == b"<?xml gpx/>"
    except (LookupError, UnicodeError, ValueError):
        ascii_compatible = False
    if not ascii_compatible:
        raise CorruptFile(f"the XML declares an unsupported character encoding {label!r}")
    return name, 0


def to_utf8(data: bytes) -> bytes:
    """The document as UTF-8 bytes whose declaration (if any) says UTF-8."""
    encoding, bom = detect_encoding(data)
    if encoding in ("utf-8", "ascii"):
        return data
    try:
        text = data[bom:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorruptFile(
            f"the XML is not valid {encoding} at byte {exc.start + bom}: wrong encoding?"
        ) from None
    except (LookupError, UnicodeError, ValueError) as exc:
        raise CorruptFile(f"the XML cannot be decoded as {encoding}: {exc}") from None
    text = _ENCODING_IN_DECL.sub(r"\1UTF-8\2", text, count=1)
    return text.encode("utf-8")


def check_markup(data: bytes) -> None:
    """Refuse what no activity file needs. `data` must already be UTF-8 (see to_utf8)."""
    if len(data) > MAX_XML_BYTES:
        raise LimitExceeded(
            f"the XML document is {len(data) / 1e6:.0f} MB;"
            f" at most {MAX_XML_BYTES / 1e6:.0f} MB is accepted"
        )
    # "!" first: one fast scan for the usual file, which has no declaration, comment or CDATA
    # (a search for "<!" is slow, as "<" is everywhere in XML).
    if b"!" in data and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise HostileInput(
            "the XML carries a DOCTYPE or ENTITY declaration; activity files never need one,"
            " and they can be used to read local files or expand without bound"
        )
    if data.count(b"<") > MAX_XML_TAGS:
        raise LimitExceeded(f"the XML document has more than {MAX_XML_TAGS:,} tags")
    if data.count(b"=") > MAX_XML_ATTRIBUTES:
        raise LimitExceeded(f"the XML document has more than {MAX_XML_ATTRIBUTES:,} attributes")


def safe_utf8(data: bytes) -> bytes:
    """Transcode to UTF-8 and run the markup checks; the result is safe to hand to lxml."""
    if len(data) > MAX_XML_BYTES * 4:  # before transcoding: UTF-32 is at most 4x UTF-8
        raise LimitExceeded(f"the XML document is larger than {MAX_XML_BYTES * 4 / 1e6:.0f} MB")
    utf8 = to_utf8(data)
    check_markup(utf8)
    return utf8


_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "remove_blank_text": True,  # indentation between elements: fewer nodes, faster parsing
}


# Bytes handed to libxml2 at a time: the points finished in each are read and freed before
# the next, so the tree never holds much more than one chunk of points (about 8 times its
# size). 6-hour compact TCX (bench/bench_gpx_tcx.py): RSS rise 12 MB with 1 MB chunks, 7 MB
# with 512 KB, 6 MB with 256 KB; the time is the same within noise from 256 KB up.
FEED_BYTES = 512 * 1024


def parse_streamed(
    data: bytes,
    *,
    root: str,
    what: str,
    segments: Mapping[str, str],
    new_columns: Callable[[], PointColumns],
    keep: frozenset[str],
) -> tuple[etree._Element, dict[etree._Element, PointColumns]]:
    """Parse the document a chunk at a time, reading the points of every segment as they come.

    `segments` maps the local name of a segment element to that of its points (TCX Track ->
    Trackpoint). After each chunk the finished points of every segment are read into the
    segment's own PointColumns (from `new_columns`) and removed from the tree, so libxml2's
    tree holds at most about a chunk of points (FEED_BYTES) plus the rest of the document
    (laps, names, ...). Finished children of the root not named in `keep` are freed as they
    come (GPX waypoints, TCX workouts), and the rest is bounded by MAX_KEPT_NODES. Returns the
    root of that rest and the columns per segment element (segments without children have
    none); the decoder then walks the rest as the schema lays it out.

    Why chunks and no event per element: lxml takes the GIL for every element when it reports
    element events (even those its tag filter drops, +10-14 ms on a 6-hour file), and freeing
    points one by one costs more than the parse. So the parser reports only processing
    instructions, and we hand it one of our own before the root: through it we reach the
    partial tree after each chunk. Segments are found by a C-level walk of that tree once the
    known ones are emptied, and points are read with the C-level walks of PointColumns and
    freed a chunk at a time (bench/README.md has the figures).
    """
    utf8 = safe_utf8(data)
    parser = etree.XMLPullParser(events=("pi",), **{**_PARSER_OPTIONS, "remove_pis": False})
    segment_tags = [f"{{*}}{name}" for name in segments]
    point_names = frozenset(segments.values())
    columns: dict[etree._Element, PointColumns] = {}
    known: set[etree._Element] = set()
    reading: list[etree._Element] = []  # segments that may still be parsing
    document: etree._Element | None = None
    instructions = 0

    def read(segment: etree._Element, complete: bool) -> None:
        if len(segment):  # empty ones (hostile files hold millions) cost no columns
            if segment not in columns:
                columns[segment] = new_columns()
            point = segments[local_name(segment)]
            columns[segment].read_segment(segment, point, complete=complete)

    def read_open_segments() -> None:
        nonlocal reading
        still = []
        for segment in reading:
            complete = not _is_open(segment)
            read(segment, complete)
            if not complete:
                still.append(segment)
        reading = still

    try:
        prolog = _prolog_end(utf8)
        parser.feed(utf8[:prolog])
        parser.feed(_MARKER)
        marker = next((event for _, event in parser.read_events()), None)
        if marker is None:  # the parser stopped in the prolog
            parser.close()  # raises the parser's reason
            raise CorruptFile("the XML declaration is malformed")
        for start in range(prolog, len(utf8), FEED_BYTES):
            parser.feed(utf8[start : start + FEED_BYTES])
            for _ in parser.read_events():  # the document's own instructions
                instructions += 1
                check_count(instructions, MAX_INSTRUCTIONS, "processing instructions")
            if document is None:
                document = marker.getroottree().getroot()
                if document is None:
                    continue
                _check_root(document, root, what)
            read_open_segments()  # first: the walk below then has little left to visit
            for segment in document.iter(*segment_tags):
                if segment not in known and _readable(segment, point_names, keep):
                    known.add(segment)
                    check_count(len(known), MAX_SEGMENTS_PER_FILE, "tracks, routes or segments")
                    reading.append(segment)
            read_open_segments()
            _prune(document, keep)
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    if document is None:
        raise CorruptFile("the XML document is empty or has no root element")
    for segment in reading:
        read(segment, complete=True)
    return document, columns


# Ours, fed before the document's root: the parser reports it, and it leads to the tree.
_MARKER = b"<?imas-chunked?>"
# Activity files carry none or a few (<?xml-stylesheet?>); each costs an event.
MAX_INSTRUCTIONS = 10_000


def _prolog_end(utf8: bytes) -> int:
    """Where our marker may go: after the BOM and the XML declaration, if any."""
    start = len(codecs.BOM_UTF8) if utf8.startswith(codecs.BOM_UTF8) else 0
    if utf8.startswith(b"<?xml", start) and utf8[start + 5 : start + 6].isspace():
        end = utf8.find(b"?>", start)
        return end + 2 if end >= 0 else start
    return start


# Nodes (elements, texts, attributes) left in the tree between chunks, outside the points
# being read: laps, names, ... A TCX at the lap cap (10,000 laps of about 40 nodes) stays
# below it; libxml2 spends about 120 bytes a node (250 an attribute), so this bounds the tree
# to 60-125 MB plus its texts (within the document's size) whatever the file holds.
MAX_KEPT_NODES = 500_000


def _prune(document: etree._Element, keep: frozenset[str]) -> None:
    """Free the finished children of the root that the decoder does not read, then refuse a
    tree that keeps growing anyway."""
    finished = document[:-1]
    drop = [child for child in finished if local_name(child) not in keep]
    del finished
    for child in drop:
        document.remove(child)
    del drop
    kept = document.xpath("count(//node()) + count(//@*)")
    if isinstance(kept, float) and kept > MAX_KEPT_NODES:
        raise LimitExceeded(
            f"the XML holds more than {MAX_KEPT_NODES:,} elements, texts and attributes"
            " outside its points"
        )


def _readable(segment: etree._Element, point_names: frozenset[str], keep: frozenset[str]) -> bool:
    """Whether the decoder may read this segment: not inside a point (points are freed once
    read) nor inside a root child that _prune frees. Only those are held: a Python reference
    to an element keeps lxml from freeing the subtree it was cut from."""
    top, parent = segment, segment.getparent()
    while parent is not None:
        if local_name(parent) in point_names:
            return False
        above = parent.getparent()
        if above is None:  # `parent` is the root
            return local_name(top) in keep
        top, parent = parent, above
    return False  # the root itself


def _is_open(element: etree._Element) -> bool:
    """Whether the parser may still be inside `element`: it and each of its ancestors is the
    last child of its parent (the parser only ever adds to the last open element)."""
    parent = element.getparent()
    while parent is not None:
        if parent[-1] is not element:
            return False
        element, parent = parent, parent.getparent()
    return True


def _check_root(element: etree._Element, expected: str, what: str) -> None:
    if element.getroottree().docinfo.doctype:
        raise HostileInput("the XML carries a DOCTYPE declaration")
    if local_name(element) != expected:
        raise CorruptFile(f"the XML root is <{local_name(element)}>, not {what}'s <{expected}>")


def _syntax_error(exc: etree.XMLSyntaxError) -> TrackError:
    message = str(exc.msg or exc).strip()
    if "depth" in message.lower():
        return LimitExceeded(f"the XML is nested deeper than {MAX_XML_DEPTH} levels")
    if "Document is empty" in message or "Start tag expected" in message:
        return CorruptFile("the XML document is empty or has no root element")
    line = f" (line {exc.lineno})" if exc.lineno else ""
    return CorruptFile(f"the XML is malformed{line}: {message}")


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag[tag.rfind("}") + 1 :]


# --- values -------------------------------------------------------------------------------


def to_float(text: str | None) -> float:
    """A number from element text; NaN when absent or not a finite number."""
    if text is None:
        return np.nan
    try:
        value = float(text)
    except ValueError:
        return np.nan
    return value if value == value and abs(value) != np.inf else np.nan


def floats(texts: Sequence[str | None]) -> FloatArray:
    """Numbers from element texts; NaN where absent, unreadable or infinite."""
    try:  # numpy reads a str as float() does and None as NaN, in one C-speed pass
        values = np.array(texts, dtype=np.float64)
    except (TypeError, ValueError):
        values = np.fromiter((to_float(t) for t in texts), dtype=np.float64, count=len(texts))
    values[np.isinf(values)] = np.nan
    return values


# Stands for a point in the marked lists below (an element's text is a str or None).
_POINT = object()


class PointColumns:
    """Values of a run of points, per stream, read a segment (TCX <Track>, GPX <trkseg>) at a
    time and kept as numbers.

    Each stream is found by C-level walks of the segment: lxml's iter() yields the points and
    the elements of the streams in document order, and a point's values are the elements that
    follow it (going through each point element by element in Python costs several times
    more). Two ways, chosen by the caller after measuring (bench/bench_gpx_tcx.py):
    - a walk per stream, which never asks an element its tag (lxml builds a new
      '{namespace}name' string each time, the dearest part of a walk);
    - one walk for all streams (`one_walk`), asking each element its tag, for trees that are
      slow to walk.

    `streams` maps each stream to the local names of its elements (any namespace, anywhere
    inside the point); `attributes` names point attributes read as streams (GPX lat/lon).
    Should a point hold a stream twice, the last element in document order wins.
    """

    # Points whose texts wait for conversion at once in one walk: bounds the Python heap.
    CHUNK = 2048

    def __init__(
        self,
        streams: Mapping[str, Sequence[str]],
        attributes: Sequence[str] = (),
        *,
        one_walk: bool,
        labels: Sequence[str] = (),
    ) -> None:
        self.count = 0
        # Text of the first child of each of these local names met among the segment's
        # non-point children (a route's <name> and <type>), kept when they leave the tree.
        self.labels: dict[str, str | None] = {}
        self._label_names = frozenset(labels)
        self._attributes = tuple(attributes)
        self._one_walk = one_walk
        self._tags = {
            name: tuple(f"{{*}}{local}" for local in names) for name, names in streams.items()
        }
        self._streams_by_local_name = {
            local: name for name, names in streams.items() for local in names
        }
        names = [*self._attributes, *self._tags]
        self._parts: dict[str, list[FloatArray]] = {name: [] for name in names}
        self._unread = dict.fromkeys(names, 0)

    def read_segment(self, segment: etree._Element, point: str, *, complete: bool = True) -> None:
        """Append the points of `segment` (its children named `point`, local name) and remove
        them from the tree, freeing them.

        While the document is still being parsed (`complete` false) the last point child and
        whatever follows it may be unfinished: they stay in the tree for the next call.
        """
        point_tag = f"{{*}}{point}"
        points = _points_only(segment, point_tag, complete, self._label_names, self.labels)
        count = len(points) if complete else max(len(points) - 1, 0)
        if count:
            if self._one_walk:
                self._read_in_one_walk(segment, point, count)
            else:
                self._read_stream_by_stream(segment, point_tag, points, count)
            self.count += count
        del points  # the points must have no Python proxy left to be freed at once
        del segment[:count]  # one C-level call (after _points_only they lead the segment)

    def extend(self, other: PointColumns) -> None:
        """Append the points read by `other` (a later segment of the same track)."""
        self.count += other.count
        for name, parts in other._parts.items():
            self._parts[name].extend(parts)
            self._unread[name] += other._unread[name]

    def _read_stream_by_stream(
        self, segment: etree._Element, point_tag: str, points: list[etree._Element], count: int
    ) -> None:
        for name in self._attributes:
            self._add(name, [element.get(name) for element in points[:count]])
        is_point = set(points)
        for name, tags in self._tags.items():
            if next(segment.iter(*tags), None) is None:  # absent (a ride's RunCadence)
                self._add(name, [None] * count)
                continue
            marked = [
                _POINT if element in is_point else element.text
                for element in segment.iter(point_tag, *tags)
            ]
            self._add(name, _texts_per_point(marked, count))

    def _read_in_one_walk(self, segment: etree._Element, point: str, count: int) -> None:
        # The point's own local name maps to "" (no stream is named so).
        streams_by_tag = StreamsByTag({**self._streams_by_local_name, point: ""})
        tags = [f"{{*}}{point}", *(tag for tags in self._tags.values() for tag in tags)]
        names = list(self._parts)
        size = min(self.CHUNK, count)
        texts: dict[str, list[str | None]] = {name: [None] * size for name in names}
        index = -1
        for element in segment.iter(*tags):
            stream = streams_by_tag[element.tag]
            if stream == "":
                index += 1
                if index == size:  # convert the chunk read so far
                    for name in names:
                        self._add(name, texts[name])
                    count -= size
                    if not count:  # the points after these are left for the next call
                        break
                    size, index = min(self.CHUNK, count), 0
                    texts = {name: [None] * size for name in names}
                for name in self._attributes:
                    texts[name][index] = element.get(name)
            elif stream is not None and index >= 0:
                texts[stream][index] = element.text
        else:
            for name in names:
                self._add(name, texts[name])

    def _add(self, stream: str, texts: list[str | None]) -> None:
        parsed = parse_times(texts) if stream == "time" else floats(texts)
        self._unread[stream] += (
            len(texts) - texts.count(None) - int(np.count_nonzero(~np.isnan(parsed)))
        )
        self._parts[stream].append(parsed)

    def values(self, stream: str, warnings: list[str]) -> FloatArray:
        """The whole stream as numbers (times as UTC epoch seconds); NaN where a point lacks
        it. Call once per stream, after the last segment."""
        unread = self._unread[stream]
        if unread:
            warnings.append(f"{unread} {stream} values could not be read")
        parts = self._parts[stream]
        return np.concatenate(parts) if parts else np.full(0, np.nan)


class StreamsByTag(dict[object, str | None]):
    """Element tag ('{namespace}local') -> the stream it feeds, or None; learnt on first sight.

    Matching by local name accepts any namespace (files in the wild use many); the cache keeps
    the per-element cost to one dict lookup.
    """

    def __init__(self, streams_by_local_name: dict[str, str]) -> None:
        super().__init__()
        self._by_local_name = streams_by_local_name

    # Real files use a few dozen tags; a hostile one could use millions of distinct names.
    MAX_CACHED = 1024

    def __missing__(self, tag: object) -> str | None:
        stream = None
        if isinstance(tag, str):
            stream = self._by_local_name.get(tag[tag.rfind("}") + 1 :])
        if len(self) < self.MAX_CACHED:
            self[tag] = stream
        return stream


def _points_only(
    segment: etree._Element,
    point_tag: str,
    complete: bool,
    label_names: frozenset[str] = frozenset(),
    labels: dict[str, str | None] | None = None,
) -> list[etree._Element]:
    """The segment's point children, after removing from the tree what would make a walk
    ambiguous: other children (a route's <name>, a segment's <extensions>) and points nested
    in points. After this every element between two points belongs to the first.

    While parsing (`complete` false) nothing from the last point child on is touched: it may be
    unfinished, and libxml2 still holds it. The texts of removed children named in
    `label_names` go to `labels` (the first of each name)."""
    points = list(segment.iterchildren(point_tag))
    settled = points if complete else points[:-1]
    if not settled:
        return points
    last = len(segment) if complete else segment.index(points[-1])
    if len(settled) != last:
        keep = set(points)
        for child in segment[:last]:
            if child not in keep:
                name = local_name(child)
                if labels is not None and name in label_names and name not in labels:
                    labels[name] = child.text
                segment.remove(child)
    everywhere = list(segment.iter(point_tag))
    if len(everywhere) != len(points):
        keep, done = set(points), set(settled)
        for nested in everywhere:
            if nested in keep:
                continue
            top = nested
            while (parent := top.getparent()) is not None and parent is not segment:
                top = parent
            outer = nested.getparent()
            if top in done and outer is not None:
                outer.remove(nested)
    return points


def _texts_per_point(marked: list[object], count: int) -> list[str | None]:
    """Texts per point from a list of _POINT marks, each followed by the texts of that
    point's elements of one stream: the last of them, or None. Only the first `count` points
    are read (what follows them is left for later)."""
    end = 2 * count
    if (
        len(marked) >= end
        and marked[0:end:2] == [_POINT] * count
        and (len(marked) == end or marked[end] is _POINT)
    ):
        return cast(list[str | None], marked[1:end:2])  # the usual case: one value per point
    texts: list[str | None] = [None] * count
    index = -1
    for item in marked:
        if item is _POINT:
            index += 1
            if index == count:
                break
        elif index >= 0:
            texts[index] = cast(str | None, item)
    return texts


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The forms devices write: 2019-04-18T14:12:19Z, with .f to .ffffff, or without the zone.
_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z"
_COLUMN_OF_UTC = re.compile(f"{_UTC}(?:\n{_UTC})*")
_EXTRA_DIGITS = re.compile(r"(\.\d{6})\d+")


def parse_times(texts: Sequence[str | None]) -> FloatArray:
    """ISO 8601 times to UTC epoch seconds; NaN where absent or unreadable.

    When every time has the common form (2019-04-18T14:12:19Z, optionally with .f to .ffffff)
    the column is checked by one regular expression over the joined text and converted by one
    numpy call; anything else (zone offsets, no zone, odd precision, stray spaces) goes through
    datetime.fromisoformat one by one. A time without a zone is taken as UTC, as GPX 1.1 and
    TCX specify UTC.
    """
    n = len(texts)
    if n and None not in texts:
        joined = "\n".join(texts)  # type: ignore[arg-type]
        if _COLUMN_OF_UTC.fullmatch(joined):
            try:
                stamps = np.array(joined.replace("Z", "").split("\n"), dtype="datetime64[us]")
            except ValueError:  # e.g. month 13: sort them out one at a time below
                pass
            else:
                return stamps.astype(np.int64) / 1e6
    return np.fromiter((_one_time(t) for t in texts), dtype=np.float64, count=n)


def _one_time(text: str | None) -> float:
    if text is None:
        return np.nan
    # Digits beyond microseconds are dropped (truncated, as gpxpy does).
    cleaned = _EXTRA_DIGITS.sub(r"\1", text.strip().replace("z", "Z"))
    try:
        when = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        return np.nan
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    delta = when - _EPOCH
    # Exact to the microsecond, rounded once, as timedelta.total_seconds() does.
    return ((delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds) / 10**6
