"""gzip and zip archives of activity files, unpacked in memory under hard limits.

Nothing is ever written to disk, so entry names are only labels; still, names such as
"../../x", "/etc/x" or "C:\\x" are neutralised to a plain relative path before anyone shows
them. Every size is measured while decompressing, in bounded chunks: headers that claim a
small size are never trusted. An archive may hold archives one level deep (a zip of .fit.gz,
as bulk exports are); deeper nesting is skipped with a reason.

`iter_members` yields every entry with either its bytes or the reason it was skipped, so that
the platform can report per-file outcomes. `read()` decodes the usable ones.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from imas.track.errors import CorruptFile, HostileInput, LimitExceeded
from imas.track.formats.sniff import sniff

_CHUNK = 256 * 1024
_STREAMABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Caps that bound the time and memory an archive can cost.

    The defaults suit one upload (a watch's export of a few activities); a bulk-import job may
    pass larger ones.
    """

    max_compressed_bytes: int = 64 * _MIB  # the archive file itself
    max_member_bytes: int = 64 * _MIB  # one entry, uncompressed
    max_total_bytes: int = 256 * _MIB  # all entries together, uncompressed
    max_ratio: float = 200.0  # uncompressed / compressed; real GPX/TCX/FIT stay below ~30
    ratio_grace_bytes: int = 1 * _MIB  # the ratio is checked only past this much output
    max_entries: int = 10_000


@dataclass(frozen=True, slots=True)
class ArchiveMember:
    """One entry: its bytes, or the reason it was skipped (data is then empty)."""

    name: str
    data: bytes = b""
    skipped: str | None = None


@dataclass
class _Budget:
    limits: ArchiveLimits
    total: int = 0
    entries: int = 0

    def count_entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise LimitExceeded(f"the archive has more than {self.limits.max_entries:,} entries")

    def take(self, produced: int) -> None:
        """Account for `produced` more uncompressed bytes, across all entries."""
        self.total += produced
        if self.total > self.limits.max_total_bytes:
            raise LimitExceeded(
                f"the archive unpacks to more than {self.limits.max_total_bytes // _MIB} MB"
            )


def safe_name(raw: str) -> str:
    """A display name that cannot point outside: no drive, no root, no '..' or '.' parts."""
    cleaned = raw.replace("\\", "/").replace("\x00", "")
    if len(cleaned) >= 2 and cleaned[1] == ":":  # C:/...
        cleaned = cleaned[2:]
    parts = [p for p in cleaned.split("/") if p not in ("", ".", "..")]
    return "/".join(parts)[:255] or "(unnamed)"


def iter_members(data: bytes, limits: ArchiveLimits | None = None) -> Iterator[ArchiveMember]:
    """Every entry of a gzip or zip archive, in archive order, under `limits`.

    Raises LimitExceeded (bombs, too many entries), HostileInput (encrypted entries) or
    CorruptFile (a broken archive). Entries that are folders, empty, not activity files, or
    archives nested deeper than one level come back with `skipped` set.
    """
    budget = _Budget(limits or ArchiveLimits())
    if len(data) > budget.limits.max_compressed_bytes:
        raise LimitExceeded(
            f"the archive is {len(data) // _MIB} MB; at most "
            f"{budget.limits.max_compressed_bytes // _MIB} MB is accepted"
        )
    yield from _members(data, "", budget, depth=0)


def _members(data: bytes, prefix: str, budget: _Budget, depth: int) -> Iterator[ArchiveMember]:
    kind = sniff(data).kind
    if kind == "gzip":
        name, content = _gunzip(data, budget)
        yield from _classify(prefix + name, content, budget, depth)
    elif kind == "zip":
        for name, content, refused in _unzip(data, budget):
            if refused is not None:
                yield ArchiveMember(prefix + name, skipped=refused)
            else:
                yield from _classify(prefix + name, content, budget, depth)
    else:
        raise CorruptFile("not a gzip or zip archive")


def _classify(name: str, content: bytes, budget: _Budget, depth: int) -> Iterator[ArchiveMember]:
    if not content:
        yield ArchiveMember(name, skipped="empty entry")
        return
    sniffed = sniff(content)
    if sniffed.kind in ("gzip", "zip"):
        if depth >= 1:
            yield ArchiveMember(name, skipped="archive nested more than one level deep")
        else:
            yield from _members(content, name + "/", budget, depth + 1)
    elif sniffed.kind in ("fit", "gpx", "tcx"):
        yield ArchiveMember(name, content)
    else:
        yield ArchiveMember(name, skipped="not a FIT, GPX or TCX file")


def _gzip_name(data: bytes) -> str:
    """The original file name stored in a gzip header (RFC 1952 FNAME), when there is one."""
    flags = data[3] if len(data) > 3 else 0
    pos = 10
    if flags & 0x04:  # FEXTRA
        if len(data) < 12:
            return "data"
        pos += 2 + struct.unpack_from("<H", data, 10)[0]
    if flags & 0x08:  # FNAME, zero-terminated Latin-1
        end = data.find(b"\x00", pos, pos + 1024)
        if end > pos:
            return safe_name(data[pos:end].decode("latin-1"))
    return "data"


def _gunzip(data: bytes, budget: _Budget) -> tuple[str, bytes]:
    """Decompress every gzip member, in bounded steps, measuring as it goes."""
    limits = budget.limits
    out = bytearray()
    pending = data
    decompressor = zlib.decompressobj(wbits=31)
    try:
        while True:
            chunk = decompressor.decompress(pending, _CHUNK)
            pending = decompressor.unconsumed_tail
            if chunk:
                out += chunk
                _check_entry(len(out), len(data) - len(pending), limits, "the gzip stream")
                budget.take(len(chunk))
            if decompressor.eof:
                rest = decompressor.unused_data
                if rest[:2] == b"\x1f\x8b":  # another gzip member follows (RFC 1952 2.2)
                    decompressor = zlib.decompressobj(wbits=31)
                    pending = rest
                    continue
                break
            if not chunk and not pending:
                raise CorruptFile("the gzip stream is truncated (the file was cut off)")
    except zlib.error as exc:
        raise CorruptFile(f"the gzip stream is corrupt: {exc}") from None
    return _gzip_name(data), bytes(out)


def _check_entry(produced: int, compressed: int, limits: ArchiveLimits, what: str) -> None:
    if produced > limits.max_member_bytes:
        raise LimitExceeded(f"{what} unpacks to more than {limits.max_member_bytes // _MIB} MB")
    if produced > limits.ratio_grace_bytes and produced > limits.max_ratio * max(compressed, 1):
        raise LimitExceeded(
            f"{what} expands more than {limits.max_ratio:.0f} times: a compression bomb?"
        )


def _zip_entry_count(data: bytes) -> int | None:
    """Entries announced by the end-of-central-directory record (or its zip64 twin), read
    before zipfile parses the directory, so that a 100,000-entry archive is refused without
    building 100,000 objects. The directory's size bounds the count too (each entry takes at
    least 46 bytes), which a forged count cannot hide."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or end + 22 > len(data):
        return None
    entries, directory_size = (int(v) for v in struct.unpack_from("<HI", data, end + 10))
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        # zip64 (APPNOTE 4.3.14/4.3.15): the locator just before points at the zip64 record.
        locator = end - 20
        if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
            return None
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 > len(data) or data[record : record + 4] != b"PK\x06\x06":
            return None
        entries, directory_size = (int(v) for v in struct.unpack_from("<QQ", data, record + 32))
    return max(entries, directory_size // 46)


def _unzip(data: bytes, budget: _Budget) -> Iterator[tuple[str, bytes, str | None]]:
    """(name, content, None) per entry, or (name, b"", why it was not read)."""
    limits = budget.limits
    announced = _zip_entry_count(data)
    if announced is not None and budget.entries + announced > limits.max_entries:
        raise LimitExceeded(f"the archive has more than {limits.max_entries:,} entries")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many types on damaged headers; all mean "corrupt"
        raise CorruptFile(f"the zip archive is corrupt or unsupported: {exc}") from None
    if budget.entries + len(infos) > limits.max_entries:
        raise LimitExceeded(f"the archive has more than {limits.max_entries:,} entries")
    for info in infos:
        budget.count_entry()
        name = safe_name(info.filename)
        if info.filename.endswith("/"):  # a folder (ZipInfo.is_dir fails on an empty name)
            continue
        if info.compress_type not in _STREAMABLE_METHODS:
            # zipfile inflates bzip2 and LZMA input in unbounded steps (a few hundred bytes of
            # bzip2 can become gigabytes at once), so only methods it streams in bounded
            # chunks are read. Watches, apps and zip tools all write deflate.
            why = f"compression method {info.compress_type}: only stored or deflated is read"
            yield name, b"", why
            continue
        if info.flag_bits & 0x1:
            raise HostileInput(
                f"the zip entry {name!r} is encrypted; IMAS cannot read password-protected archives"
            )
        yield name, _read_entry(archive, info, name, budget, len(data)), None


def _read_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget, archive_size: int
) -> bytes:
    limits = budget.limits
    # The header's compressed size may be forged; the bytes actually present bound it.
    compressed = min(info.compress_size, archive_size)
    out = bytearray()
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                _check_entry(len(out), compressed, limits, f"the zip entry {name!r}")
                budget.take(len(chunk))
    except LimitExceeded:
        raise
    except NotImplementedError as exc:
        raise CorruptFile(
            f"the zip entry {name!r} uses an unsupported compression: {exc}"
        ) from None
    except Exception as exc:  # zipfile, zlib, bz2, lzma raise many types; all mean "corrupt"
        raise CorruptFile(f"the zip entry {name!r} is corrupt: {exc}") from None
    return bytes(out)
