"""Recognise a file's format from its first bytes, never from its name.

FIT: a 12- or 14-byte header whose bytes 8..11 read ".FIT". gzip: 1F 8B 08. zip: a local file
header "PK\\x03\\x04" (or the end record of an empty zip). XML: the name of the root element,
found after the optional BOM, XML declaration, comments and processing instructions, in
whatever encoding the document uses: <gpx> is GPX, <TrainingCenterDatabase> is TCX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from imas.track.errors import CorruptFile
from imas.track.formats.xml import detect_encoding

Kind = Literal["fit", "gpx", "tcx", "gzip", "zip", "xml", "unknown"]

# Enough to get past a long XML prolog (declaration, comments, stylesheet instructions).
_HEAD_BYTES = 16 * 1024
_NAME = re.compile(r"(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_XML_KINDS: dict[str, Kind] = {"gpx": "gpx", "TrainingCenterDatabase": "tcx"}


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: Kind
    detail: str = ""  # the XML root element's name, or why the bytes were not recognised

    def describe(self) -> str:
        names = {"fit": "FIT", "gpx": "GPX", "tcx": "TCX", "gzip": "gzip", "zip": "zip"}
        return names.get(self.kind, "unrecognised data")


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def sniff(data: bytes) -> Sniffed:
    """What the bytes are, judged from their content alone."""
    if not data:
        return Sniffed("unknown", "the file is empty")
    if is_fit(data):
        return Sniffed("fit")
    if data[:3] == b"\x1f\x8b\x08":
        return Sniffed("gzip")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return Sniffed("zip")
    return _sniff_xml(data[:_HEAD_BYTES])


def _sniff_xml(head: bytes) -> Sniffed:
    try:
        encoding, bom = detect_encoding(head)
    except CorruptFile as exc:
        return Sniffed("unknown", str(exc))
    try:
        text = head[bom:].decode(encoding, errors="replace")
    except (LookupError, UnicodeError, ValueError):
        return Sniffed("unknown", f"text in an unreadable encoding ({encoding})")
    if not text.lstrip().startswith("<"):
        return Sniffed("unknown")
    root = _root_name(text)
    if root is None:
        return Sniffed("xml", "")
    return Sniffed(_XML_KINDS.get(root, "xml"), root)


def _root_name(text: str) -> str | None:
    """The root element's local name, skipping the prolog; None when not found in `text`.

    A plain scan (each step moves forward), so hostile prologs cannot make it slow.
    """
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            pos = -1 if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            pos = -1 if end < 0 else end + 3
        elif text.startswith("<!DOCTYPE", pos):
            close = text.find(">", pos)
            bracket = text.find("[", pos)
            if 0 <= bracket < close:
                subset_end = text.find("]", bracket)
                close = -1 if subset_end < 0 else text.find(">", subset_end)
            pos = -1 if close < 0 else close + 1
        elif text.startswith("<", pos):
            name = _NAME.match(text, pos + 1)
            return name.group(1) if name else None
        else:
            return None
        if pos < 0:
            return None
