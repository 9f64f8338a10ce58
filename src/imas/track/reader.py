"""read(data) -> list[Track]: recognise the format from content and dispatch to a decoder.

The one entry point for outside bytes (DESIGN.md §4): size cap, sniff (never the file name),
unpack gzip/zip under ArchiveLimits, decode. Whatever goes wrong comes out as a TrackError
whose message says what is wrong; anything else escaping from here is a bug.
"""

from __future__ import annotations

from collections.abc import Callable

from imas.track.errors import (
    CorruptFile,
    HostileInput,
    LimitExceeded,
    NoActivity,
    TrackError,
    UnsupportedFormat,
)
from imas.track.formats.archive import ArchiveLimits, iter_members
from imas.track.formats.fit import decode_fit
from imas.track.formats.gpx import decode_gpx
from imas.track.formats.sniff import sniff
from imas.track.formats.tcx import decode_tcx
from imas.track.formats.xml import check_markup, to_utf8
from imas.track.track import Track

# The largest single file IMAS reads (a 24-hour 1 Hz GPX with every extension is ~30 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
# Every Track costs memory however small; a watch export holds a few hundred activities.
MAX_TRACKS_PER_ARCHIVE = 10_000


_DECODERS: dict[str, Callable[[bytes], list[Track]]] = {
    "fit": decode_fit,
    "gpx": decode_gpx,
    "tcx": decode_tcx,
}


def read(data: bytes, *, limits: ArchiveLimits | None = None) -> list[Track]:
    """One Track per activity in the file (for an archive: its entries' tracks, in order)."""
    if not data:
        raise CorruptFile("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise LimitExceeded(
            f"the file is {len(data) / 1e6:.0f} MB;"
            f" at most {MAX_FILE_BYTES / 1e6:.0f} MB is accepted"
        )
    sniffed = sniff(data)
    if sniffed.kind in ("gzip", "zip"):
        return _read_archive(data, limits)
    decoder = _DECODERS.get(sniffed.kind)
    if decoder is not None:
        return decoder(data)
    if sniffed.kind == "xml":
        check_markup(to_utf8(data))  # a DOCTYPE makes it hostile, whatever the root says
        root = f"<{sniffed.detail}>" if sniffed.detail else "an unreadable root element"
        raise UnsupportedFormat(
            f"the XML document has {root}; IMAS reads GPX (<gpx>) and TCX"
            " (<TrainingCenterDatabase>)"
        )
    reason = f" ({sniffed.detail})" if sniffed.detail else ""
    raise UnsupportedFormat(f"the file is not FIT, GPX, TCX, gzip or zip{reason}")


def _read_archive(data: bytes, limits: ArchiveLimits | None) -> list[Track]:
    tracks: list[Track] = []
    skipped: list[str] = []
    for member in iter_members(data, limits):
        if member.skipped is not None:
            skipped.append(f"{member.name}: {member.skipped}")
            continue
        try:
            found = _DECODERS[sniff(member.data).kind](member.data)
        except (HostileInput, LimitExceeded):
            raise  # an archive that carries an attack is refused as a whole
        except TrackError as exc:
            skipped.append(f"{member.name}: {exc}")
            continue
        tracks.extend(found)
        if len(tracks) > MAX_TRACKS_PER_ARCHIVE:
            raise LimitExceeded(
                f"the archive holds more than {MAX_TRACKS_PER_ARCHIVE:,} activities"
            )
    if not tracks:
        detail = "; ".join(skipped[:5]) + (" ..." if len(skipped) > 5 else "")
        raise NoActivity(
            "the archive holds no readable activity" + (f" ({detail})" if detail else "")
        )
    if skipped:
        tracks[0].warnings.extend(f"archive entry skipped: {reason}" for reason in skipped)
    return tracks
