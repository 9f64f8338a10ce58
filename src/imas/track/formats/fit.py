"""FIT decoder: bytes of a FIT file (or several chained FIT files) -> Tracks, vectorised on numpy.

How it stays fast: the record headers are walked once in Python, but one step covers a whole run
of data messages that share a local definition (found with one strided numpy comparison of the
header bytes), so a long stretch of `record` messages costs a single step; a pattern of messages
that repeats (record, hrv, record, hrv, ...) is also taken in one step, as strided runs. Each
definition keeps its runs; at the end every definition is decoded at once through a numpy
structured dtype (a zero-copy strided view of the file for a single run, one row gather
otherwise). Compressed timestamps and accumulated fields are resolved with cumulative sums, and
the CRC is computed on many chunks at once and combined (`fit_crc`).

Decisions worth knowing:
- Chained FIT files are read one after the other; all their messages form one pool, then one
  Track is made per `session` (records go to the session whose start time precedes them), or a
  single Track when there is no session.
- `hr` messages (HRM-Swim/Tri store and forward) are merged into the records exactly as the Garmin
  FIT SDK merges them (`_merge_hr`): where they cover a record they replace its heart rate.
- Device-relative times (< 0x10000000) are mapped to UTC through `timestamp_correlation` when
  present; otherwise kept counted from the FIT epoch, with a warning (see `_Clock`).
- Faults (truncation, undefined local types, a bad CRC, impossible field sizes) keep what was
  read and add a warning; only when nothing usable is left is an error raised.
- The compressed_speed_distance accumulator restarts at each definition of the field, as
  fitdecode does, so both decoders agree on such files.

FIT protocol: Garmin FIT SDK, "FIT Protocol" document (file header 3.3, record headers 4.1-4.3,
compressed timestamp header 4.3, definition messages 4.2, CRC 3.3.3). Field numbers, scales and
enums: fit_profile.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt

from imas.track.errors import CorruptFile, NoActivity
from imas.track.formats import fit_profile as P
from imas.track.track import (
    STREAMS,
    FloatArray,
    Lap,
    PoolLength,
    SessionTotals,
    StrengthSet,
    TimerEvent,
    Track,
)

_T = TypeVar("_T")
U8Array = npt.NDArray[np.uint8]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_NAN = float("nan")
_SEMICIRCLE_DEG = 180.0 / 2**31  # semicircles -> degrees (FIT profile, position_lat units)
_HEADER_MIN = 12
_DEVICE_RELATIVE_WARNING = (
    "timestamps are device-relative (seconds since the device was switched on): "
    "durations are right but the date and time of day are unknown"
)

# --------------------------------------------------------------------------------------------
# CRC
# FIT uses CRC-16 with the reflected polynomial 0xA001 and start value 0 (FIT protocol 3.3.3,
# the same as CRC-16/ARC). The CRC is linear over GF(2) and leading zero bytes leave a zero
# state unchanged, so the data is zero-padded at the front to lanes x words, each lane's CRC is
# computed side by side (one numpy step per 16-bit word of a lane), and the lanes are folded
# pairwise: crc(A + B) = shift(crc(A), len(B)) ^ crc(B), where shift feeds len(B) zero bytes.


def _crc_byte_table() -> npt.NDArray[np.uint32]:
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xA001), table >> 1).astype(np.uint32)
    return table


def _zero_byte_step(state: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    stepped: npt.NDArray[np.uint32] = (state >> 8) ^ _CRC_BYTE_TABLE[state & 0xFF]
    return stepped


_CRC_BYTE_TABLE = _crc_byte_table()
# Feeding one little-endian 16-bit word w into state s gives _WORD_STEP[s ^ w].
_WORD_STEP = _zero_byte_step(_zero_byte_step(np.arange(65536, dtype=np.uint32))).astype(np.uint16)


_LANE_WORDS = 32


@lru_cache(maxsize=40)
def _zero_words_shift(log2_words: int) -> npt.NDArray[np.uint16]:
    """State map for feeding 2**log2_words zero words (the linear map composed with itself)."""
    if log2_words == 0:
        return _WORD_STEP
    half = _zero_words_shift(log2_words - 1)
    return half[half]


def fit_crc(data: bytes | U8Array) -> int:
    """The FIT CRC-16 of data (CRC-16/ARC: reflected poly 0xA001, start 0, no final xor)."""
    raw = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes | bytearray) else data
    n_words = (raw.size + 1) // 2
    if n_words == 0:
        return 0
    # Lanes of 32 words: one lane is one 64-byte cache line, and 32 numpy steps cover any size.
    lanes = -(-n_words // _LANE_WORDS)
    padded = np.zeros(lanes * _LANE_WORDS * 2, dtype=np.uint8)
    padded[padded.size - raw.size :] = raw
    words = padded.view("<u2").reshape(lanes, _LANE_WORDS)
    state = np.zeros(lanes, dtype=np.uint16)
    for column in words.T:
        state = _WORD_STEP[state ^ column]
    level = _LANE_WORDS.bit_length() - 1
    while state.size > 1:
        if state.size % 2:  # a zero lane in front stands for leading zeros: it changes nothing
            state = np.concatenate((np.zeros(1, dtype=np.uint16), state))
        state = _zero_words_shift(level)[state[0::2]] ^ state[1::2]
        level += 1
    return int(state[0])


# --------------------------------------------------------------------------------------------
# Walking the records


@dataclass(slots=True, eq=False)
class _Field:
    number: int
    offset: int  # from the start of the record, header byte included
    size: int
    base_type: int
    count: int  # array length (1 for scalars)


@dataclass(slots=True, eq=False)
class _Definition:
    """One distinct definition message of one FIT segment, with the runs of data that use it."""

    segment: int
    global_num: int
    big_endian: bool
    fields: dict[int, _Field]
    record_size: int  # header byte + fields + developer fields
    # runs of data records: first byte offset, number of records, bytes from one to the next
    run_starts: list[int] = field(default_factory=list)
    run_counts: list[int] = field(default_factory=list)
    run_strides: list[int] = field(default_factory=list)
    timestamps: IntArray | None = None  # resolved timestamps when the segment compresses them
    accumulated: dict[int, FloatArray] = field(default_factory=dict)  # component results

    def starts(self) -> IntArray:
        """Byte offset of every data record of this definition, in file order."""
        if len(self.run_starts) == 1:
            return (
                self.run_starts[0]
                + np.arange(self.run_counts[0], dtype=np.int64) * self.run_strides[0]
            )
        starts = np.asarray(self.run_starts, dtype=np.int64)
        counts = np.asarray(self.run_counts, dtype=np.int64)
        strides = np.asarray(self.run_strides, dtype=np.int64)
        first_of_run = np.cumsum(counts) - counts
        index_in_run = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
            first_of_run, counts
        )
        return np.repeat(starts, counts) + index_in_run * np.repeat(strides, counts)

    def add_run(self, start: int, count: int, stride: int) -> None:
        self.run_starts.append(start)
        self.run_counts.append(count)
        self.run_strides.append(stride)

    @property
    def count(self) -> int:
        return sum(self.run_counts)

    def dtype(self) -> np.dtype[np.void]:
        order = ">" if self.big_endian else "<"
        names, formats, offsets = [], [], []
        for f in self.fields.values():
            kind = P.BASE_TYPES[f.base_type][0]
            fmt = np.dtype(order + kind)
            names.append(f"f{f.number}")
            formats.append((fmt, (f.count,)) if f.count > 1 else fmt)
            offsets.append(f.offset)
        return np.dtype(
            {"names": names, "formats": formats, "offsets": offsets, "itemsize": self.record_size}
        )


@dataclass(slots=True)
class _Walk:
    """What the header walk found in all segments of the file."""

    definitions: list[_Definition] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # positions of definition messages that restart the compressed_speed_distance accumulator
    distance_resets: dict[int, list[int]] = field(default_factory=dict)
    compressed_segments: set[int] = field(default_factory=set)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _run_length(
    buf: bytes, u8: U8Array, pos: int, size: int, end: int, header: int, mask: int
) -> int:
    """How many consecutive data records starting at pos share the header (under mask).

    Each matching header sits exactly where the previous record ends, so a match is a record of
    the same definition. Short runs are counted in Python; long ones by strided numpy compares
    over a window that grows geometrically.
    """
    max_count = (end - pos) // size
    want = header & mask
    checked = 1
    while checked < min(max_count, 8):
        if buf[pos + checked * size] & mask != want:
            return checked
        checked += 1
    window = 32
    while checked < max_count:
        upto = min(max_count, checked + window)
        headers = u8[pos + checked * size : pos + upto * size : size]
        mismatch = (headers & mask) != want
        if mismatch.any():
            return checked + int(mismatch.argmax())
        checked = upto
        window *= 4
    return max_count


def _definition_extent(buf: bytes, pos: int, end: int) -> tuple[tuple[bool, bytes], int]:
    """The interning key and end position of the definition message at pos.

    Identical definitions (some devices repeat them before every message) share one key, so
    their data joins the same runs. Raises IndexError when the message runs past end."""
    header = buf[pos]
    if pos + 6 > end:
        raise IndexError
    n_fields = buf[pos + 5]
    stop = pos + 6 + 3 * n_fields
    has_dev = bool(header & 0x20)
    if has_dev:
        if stop >= end:
            raise IndexError
        stop += 1 + 3 * buf[stop]
    if stop > end:
        raise IndexError
    return (has_dev, buf[pos + 2 : stop]), stop


def _build_definition(buf: bytes, pos: int, segment: int, walk: _Walk) -> _Definition:
    header = buf[pos]
    big_endian = buf[pos + 2] != 0
    global_num = int.from_bytes(buf[pos + 3 : pos + 5], "big" if big_endian else "little")
    n_fields = buf[pos + 5]
    fields: dict[int, _Field] = {}
    offset = 1
    for i in range(n_fields):
        number, size, base_type = buf[pos + 6 + 3 * i : pos + 9 + 3 * i]
        if base_type not in P.BASE_TYPES:
            base_type = P.BYTE_TYPE
        type_size = P.BASE_TYPES[base_type][1]
        if size == 0 or size % type_size:
            walk.warn(
                f"message {global_num} field {number} is {size} bytes, not a whole number of its "
                f"{type_size}-byte type; the field was skipped"
            )
        elif number not in fields:
            fields[number] = _Field(number, offset, size, base_type, size // type_size)
        offset += size
    if header & 0x20:
        dev_at = pos + 6 + 3 * n_fields
        for i in range(buf[dev_at]):
            offset += buf[dev_at + 2 + 3 * i]  # developer fields: only their size matters
    return _Definition(segment, global_num, big_endian, fields, offset)


# A step of the walk: (position, masked header, header mask, definition, records in the run)
_Step = tuple[int, int, int, _Definition, int]
_CYCLE_STEPS = 16  # longest repeating pattern of steps looked for
_CYCLE_RECORDS = 64  # and of records: longer stretches are cheaper as plain runs


def _repeat_cycle(buf: bytes, u8: U8Array, pos: int, end: int, cycle: list[_Step]) -> int:
    """When the steps in `cycle` (ending just before pos) repeat from pos on, register every
    repetition as strided runs and return the position after the last one; else return pos.

    Files often interleave messages in a fixed pattern (record, hrv, record, hrv, ...); each
    header at its predicted position proves the record there, because no definition message
    (the only thing that could change sizes) is part of a cycle.
    """
    base = cycle[0][0]
    period = pos - base
    if pos + period > end:
        return pos
    records = 0
    for step_pos, want, mask, definition, count in cycle:  # does the first repetition match?
        records += count
        if records > _CYCLE_RECORDS:
            return pos
        at = step_pos + period
        for r in range(count):
            if buf[at + r * definition.record_size] & mask != want:
                return pos
    offsets: list[int] = []
    wants: list[int] = []
    masks: list[int] = []
    owners: list[_Definition] = []
    for step_pos, want, mask, definition, count in cycle:
        for r in range(count):
            offsets.append(step_pos - base + r * definition.record_size)
            wants.append(want)
            masks.append(mask)
            owners.append(definition)
    max_repeats = (end - pos) // period
    repeats = 1
    window = 8
    offset_array = np.asarray(offsets, dtype=np.int64)
    want_array = np.asarray(wants, dtype=np.uint8)
    mask_array = np.asarray(masks, dtype=np.uint8)
    while repeats < max_repeats:
        upto = min(max_repeats, repeats + window)
        where = pos + np.arange(repeats, upto, dtype=np.int64)[:, None] * period + offset_array
        matches = ((u8[where] & mask_array) == want_array).all(axis=1)
        if not matches.all():
            repeats += int(matches.argmin())
            break
        repeats = upto
        window *= 4
    for offset, definition in zip(offsets, owners, strict=True):
        definition.add_run(pos + offset, repeats, period)
    return pos + repeats * period


def _walk_segment(buf: bytes, u8: U8Array, start: int, end: int, segment: int, walk: _Walk) -> bool:
    """Walk the records of one FIT segment. False when it stopped early at a fault."""
    local: list[_Definition | None] = [None] * 16
    interned: dict[tuple[bool, bytes], _Definition] = {}
    compressed = False
    history: list[_Step] = []  # steps since the last definition message
    last_step: dict[int, int] = {}  # masked header -> index of its latest step in history
    retry_at = 0  # history length before which no cycle is looked for
    pos = start
    while pos < end:
        header = buf[pos]
        if header & 0x80:
            definition = local[(header >> 5) & 3]
            mask = 0xE0
            compressed = True
        elif header & 0x40:
            try:
                key, stop = _definition_extent(buf, pos, end)
            except IndexError:
                walk.warn(f"the file is truncated inside a definition message at byte {pos}")
                return False
            found = interned.get(key)
            if found is None:
                found = _build_definition(buf, pos, segment, walk)
                interned[key] = found
                walk.definitions.append(found)
            local[header & 0x0F] = found
            if (
                found.global_num == P.Mesg.RECORD
                and P.Record.COMPRESSED_SPEED_DISTANCE in found.fields
            ):
                walk.distance_resets.setdefault(segment, []).append(pos)
            pos = stop
            history.clear()
            last_step.clear()
            retry_at = 0
            continue
        else:
            definition = local[header & 0x0F]
            mask = 0xFF
        if definition is None:
            walk.warn(
                f"data at byte {pos} uses local message type {header & 0x0F} that was never "
                "defined; the rest of the file was skipped"
            )
            if compressed:
                walk.compressed_segments.add(segment)
            return False
        size = definition.record_size
        following = pos + size
        if following > end:
            walk.warn(f"the file is truncated inside a data message at byte {pos}")
            if compressed:
                walk.compressed_segments.add(segment)
            return False
        want = header & mask
        previous = last_step.get(want)
        if (
            previous is not None
            and 2 <= len(history) - previous <= _CYCLE_STEPS
            and len(history) >= retry_at
        ):
            after = _repeat_cycle(buf, u8, pos, end, history[previous:])
            if after != pos:
                pos = after
                history.clear()
                last_step.clear()
                retry_at = 0
                continue
            # no repetition: wait as many steps as the cycle had before looking again, so
            # that failed looks cost at most a constant per step whatever the file holds
            retry_at = len(history) + len(history) - previous
        if following + size <= end and (buf[following] & mask) == want:
            count = _run_length(buf, u8, pos, size, end, header, mask)
        else:
            count = 1
        definition.add_run(pos, count, size)
        last_step[want] = len(history)
        history.append((pos, want, mask, definition, count))
        if len(history) > 4 * _CYCLE_STEPS:
            history.clear()
            last_step.clear()
            retry_at = 0
        pos += count * size
    if compressed:
        walk.compressed_segments.add(segment)
    return True


def _walk_file(buf: bytes) -> _Walk:
    """Walk every chained FIT segment of buf, checking each header and CRC."""
    if not buf:
        raise CorruptFile("the file is empty")
    u8 = np.frombuffer(buf, dtype=np.uint8)
    walk = _Walk()
    pos = 0
    segment = 0
    while pos < len(buf):
        remaining = len(buf) - pos
        header_size = buf[pos]
        if (
            remaining < _HEADER_MIN
            or header_size < _HEADER_MIN
            or buf[pos + 8 : pos + 12] != b".FIT"
        ):
            if segment == 0:
                raise CorruptFile("not a FIT file: the header lacks the '.FIT' signature")
            walk.warn(
                f"{remaining} bytes after the last FIT file were not FIT data and were ignored"
            )
            break
        if header_size > remaining:
            if segment == 0:
                raise CorruptFile("the FIT header is longer than the file")
            walk.warn("the last chained FIT file is cut inside its header and was ignored")
            break
        data_size = int.from_bytes(buf[pos + 4 : pos + 8], "little")
        data_start = pos + header_size
        data_end = data_start + data_size
        if data_end + 2 > len(buf):
            walk.warn(
                f"the file is truncated: the FIT header announces {data_size} bytes of data but "
                f"only {max(0, len(buf) - data_start)} follow; what was before the cut is kept"
            )
            data_end = len(buf)
            complete = False
        else:
            complete = True
        clean = _walk_segment(buf, u8, data_start, data_end, segment, walk)
        if complete and clean:
            stored = int.from_bytes(buf[data_end : data_end + 2], "little")
            # 0 is how some writers say "not computed" (as the protocol allows for the header
            # CRC); anything else must match
            if stored != 0 and fit_crc(u8[pos:data_end]) != stored:
                walk.warn(
                    "the FIT CRC does not match: the file is damaged and some values may be wrong"
                )
        if not complete or not clean:
            break
        pos = data_end + 2
        segment += 1
    return walk


# --------------------------------------------------------------------------------------------
# Decoding the messages of one global type across all definitions


def _float_column(values: npt.NDArray[np.generic], base_type: int) -> FloatArray:
    kind, _, invalid = P.BASE_TYPES[base_type]
    out = values.astype(np.float64)
    if kind[0] == "f":
        out[~np.isfinite(out)] = _NAN  # all-ones invalid pattern, and infinities no field means
    else:
        out[values == invalid] = _NAN
    return out


class _Table:
    """All data messages of one global message number, in file order, decoded column by column."""

    def __init__(self, definitions: list[_Definition], buf: bytes, u8: U8Array) -> None:
        self.definitions = [d for d in definitions if d.run_starts]
        self._rows: list[npt.NDArray[np.void]] = []
        positions: list[IntArray] = []
        for d in self.definitions:
            starts = d.starts()
            positions.append(starts)
            if len(d.run_starts) == 1:
                rows = np.ndarray(
                    (d.count,),
                    dtype=d.dtype(),
                    buffer=buf,
                    offset=d.run_starts[0],
                    strides=(d.run_strides[0],),
                )
            else:
                window = np.lib.stride_tricks.sliding_window_view(u8, d.record_size)
                rows = window[starts].reshape(-1).view(d.dtype())
            self._rows.append(rows)
        self.positions = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
        self.size = int(self.positions.size)
        self._order: IntArray | None = None
        if self.size > 1 and np.any(np.diff(self.positions) < 0):
            self._order = np.argsort(self.positions, kind="stable")
            self.positions = self.positions[self._order]

    def _arrange(self, parts: list[FloatArray]) -> FloatArray:
        if len(parts) == 1 and self._order is None:
            return parts[0]
        joined = np.concatenate(parts) if parts else np.zeros(0)
        return joined[self._order] if self._order is not None else joined

    def column(self, number: int, element: int = 0) -> FloatArray:
        """Raw values of a field (one element of an array field), NaN where absent or invalid."""
        parts: list[FloatArray] = []
        for d, rows in zip(self.definitions, self._rows, strict=True):
            f = d.fields.get(number)
            if number == P.TIMESTAMP and d.timestamps is not None:
                part = d.timestamps.astype(np.float64)
                part[d.timestamps < 0] = _NAN
            elif f is None or element >= f.count:
                part = np.full(d.count, _NAN)
            else:
                values = rows[f"f{number}"]
                if f.count > 1:
                    values = values[:, element]
                part = _float_column(values, f.base_type)
            parts.append(part)
        return self._arrange(parts)

    def accumulated(self, number: int) -> FloatArray:
        parts = [d.accumulated.get(number, np.full(d.count, _NAN)) for d in self.definitions]
        return self._arrange(parts)

    def matrix(self, number: int) -> FloatArray:
        """An array field as an (n, longest array) block of raw values, NaN where absent."""
        width = max(
            (d.fields[number].count for d in self.definitions if number in d.fields), default=0
        )
        return (
            np.stack([self.column(number, j) for j in range(width)], axis=1)
            if width
            else np.zeros((self.size, 0))
        )

    def text(self, number: int) -> list[str | None]:
        """A string field per message (UTF-8 up to the first NUL), None where absent or empty."""
        out: list[str | None] = []
        for d, rows in zip(self.definitions, self._rows, strict=True):
            f = d.fields.get(number)
            if f is None or f.base_type != P.STRING_TYPE:
                out.extend([None] * d.count)
                continue
            block = np.asarray(rows[f"f{number}"]).reshape(d.count, f.count)
            for row in block:
                raw = row.tobytes().split(b"\0", 1)[0]
                out.append(raw.decode("utf-8", errors="replace").strip() or None)
        if self._order is not None:
            out = [out[i] for i in self._order.tolist()]
        return out

    def raw_bytes(self, number: int, width: int) -> tuple[BoolArray, U8Array]:
        """A byte-array field as an (n, width) uint8 block plus a mask of messages that have it."""
        present_parts: list[BoolArray] = []
        block_parts: list[U8Array] = []
        for d, rows in zip(self.definitions, self._rows, strict=True):
            f = d.fields.get(number)
            block = np.full((d.count, width), 0xFF, dtype=np.uint8)
            if f is not None and f.size >= width and P.BASE_TYPES[f.base_type][1] == 1:
                values = np.asarray(rows[f"f{number}"]).reshape(d.count, f.count)
                block[:] = values[:, :width].astype(np.uint8)
            present_parts.append((block != 0xFF).any(axis=1))
            block_parts.append(block)
        present = np.concatenate(present_parts) if present_parts else np.zeros(0, dtype=bool)
        blocks = np.concatenate(block_parts) if block_parts else np.zeros((0, width), np.uint8)
        if self._order is not None:
            return present[self._order], blocks[self._order]
        return present, blocks


def _roll_forward(is_absolute: BoolArray, values: IntArray, bits: int) -> IntArray:
    """Resolve a FIT accumulated value along events already sorted by file position.

    An absolute event sets the accumulator to its value; a relative event carries only the low
    `bits` bits and advances the accumulator by (value - accumulator) mod 2**bits (FIT protocol
    4.3 for compressed timestamps, "accumulate" components in the profile). Before the first
    absolute event the accumulator is 0.
    """
    n = values.size
    mod = (1 << bits) - 1
    low = np.where(is_absolute, values & mod, values)
    previous_low = np.concatenate(([0], low[:-1]))
    delta = np.where(is_absolute, 0, (low - previous_low) & mod)
    running = np.cumsum(delta)
    last_absolute = np.maximum.accumulate(np.where(is_absolute, np.arange(n), -1))
    safe = np.maximum(last_absolute, 0)
    base = np.where(last_absolute >= 0, values[safe] - running[safe], 0)
    result: IntArray = base + running
    return result


def _resolve_compressed_timestamps(walk: _Walk, u8: U8Array, segment: int) -> None:
    definitions = [d for d in walk.definitions if d.segment == segment and d.run_starts]
    pos_parts, abs_parts, val_parts, owners = [], [], [], []
    for d in definitions:
        starts = d.starts()
        headers = u8[starts]
        is_compressed = (headers & 0x80) != 0
        values = np.full(starts.size, -1, dtype=np.int64)
        f = d.fields.get(P.TIMESTAMP)
        if f is not None and f.base_type in (0x86, 0x8C) and f.count == 1:
            endian = ">" if d.big_endian else "<"
            gathered = np.lib.stride_tricks.sliding_window_view(u8, 4)[starts + f.offset]
            raw = gathered.reshape(-1).view(endian + "u4").astype(np.int64)
            values = np.where(raw == P.BASE_TYPES[f.base_type][2], -1, raw)
        has_absolute = (values >= 0) & ~is_compressed
        relevant = has_absolute | is_compressed
        pos_parts.append(starts)
        abs_parts.append(has_absolute)
        val_parts.append(np.where(is_compressed, (headers & 0x1F).astype(np.int64), values))
        owners.append(relevant)
    if not pos_parts:
        return
    positions = np.concatenate(pos_parts)
    is_absolute = np.concatenate(abs_parts)
    values = np.concatenate(val_parts)
    relevant = np.concatenate(owners)
    order = np.argsort(positions, kind="stable")
    chosen = order[relevant[order]]
    resolved = np.full(positions.size, -1, dtype=np.int64)
    resolved[chosen] = _roll_forward(is_absolute[chosen], values[chosen], 5)
    cursor = 0
    for d in definitions:
        d.timestamps = resolved[cursor : cursor + d.count]
        cursor += d.count


def _resolve_compressed_speed_distance(walk: _Walk, u8: U8Array, segment: int) -> None:
    """record.compressed_speed_distance: speed (12 bits, /100 m/s) and distance (12 bits,
    /16 m, accumulated; the accumulator restarts at each definition of the field, as fitdecode
    does) (FIT profile, record message components)."""
    definitions = [
        d
        for d in walk.definitions
        if d.segment == segment
        and d.global_num == P.Mesg.RECORD
        and d.run_starts
        and P.Record.COMPRESSED_SPEED_DISTANCE in d.fields
    ]
    if not definitions:
        return
    pos_parts, val_parts, valid_parts = [], [], []
    for d in definitions:
        f = d.fields[P.Record.COMPRESSED_SPEED_DISTANCE]
        starts = d.starts()
        if f.size < 3 or P.BASE_TYPES[f.base_type][1] != 1:
            valid = np.zeros(starts.size, dtype=bool)
            packed = np.zeros(starts.size, dtype=np.int64)
        else:
            block = np.lib.stride_tricks.sliding_window_view(u8, 3)[starts + f.offset].astype(
                np.int64
            )
            valid = (block != 0xFF).any(axis=1)
            packed = block[:, 0] | (block[:, 1] << 8) | (block[:, 2] << 16)
        speed = np.where(valid, (packed & 0xFFF) / 100.0, _NAN)
        d.accumulated[P.Record.SPEED] = speed
        pos_parts.append(starts)
        val_parts.append(packed >> 12)
        valid_parts.append(valid)
    resets = np.asarray(walk.distance_resets.get(segment, []), dtype=np.int64)
    positions = np.concatenate([*pos_parts, resets])
    values = np.concatenate([*val_parts, np.zeros(resets.size, dtype=np.int64)])
    is_absolute = np.concatenate(
        [np.zeros(sum(p.size for p in pos_parts), bool), np.ones(resets.size, bool)]
    )
    valid = np.concatenate([*valid_parts, np.ones(resets.size, bool)])
    order = np.argsort(positions, kind="stable")
    chosen = order[valid[order]]
    resolved = np.full(positions.size, -1, dtype=np.int64)
    resolved[chosen] = _roll_forward(is_absolute[chosen], values[chosen], 12)
    cursor = 0
    for d, part in zip(definitions, pos_parts, strict=True):
        mine = resolved[cursor : cursor + part.size]
        d.accumulated[P.Record.DISTANCE] = np.where(mine >= 0, mine / 16.0, _NAN)
        cursor += part.size


# --------------------------------------------------------------------------------------------
# From messages to Tracks

_WANTED = frozenset(
    {
        P.Mesg.FILE_ID,
        P.Mesg.DEVICE_INFO,
        P.Mesg.SPORT,
        P.Mesg.SESSION,
        P.Mesg.LAP,
        P.Mesg.RECORD,
        P.Mesg.EVENT,
        P.Mesg.LENGTH,
        P.Mesg.HR,
        P.Mesg.TIMESTAMP_CORRELATION,
        P.Mesg.SET,
    }
)


class _Clock:
    """FIT date_time -> UTC epoch seconds, mapping device-relative times when the file allows.

    Values below 0x10000000 count seconds since the device was switched on (FIT profile,
    date_time). A timestamp_correlation message pairs such a system time with UTC; without one
    the times are kept as if they counted from the FIT epoch (durations stay right) and the
    Track carries a warning that the date is unknown.
    """

    def __init__(self, correlation: _Table | None) -> None:
        self.relative_offset = 0.0
        self.correlated = False
        self.saw_relative = False
        if correlation is not None and correlation.size:
            utc = correlation.column(P.TIMESTAMP)
            system = correlation.column(P.TimestampCorrelation.SYSTEM_TIMESTAMP)
            usable = np.isfinite(utc) & np.isfinite(system) & (utc >= P.DEVICE_RELATIVE_LIMIT)
            if usable.any():
                first = int(np.argmax(usable))
                self.relative_offset = float(utc[first] - system[first])
                self.correlated = True

    def unix(self, raw: FloatArray) -> FloatArray:
        relative = raw < P.DEVICE_RELATIVE_LIMIT
        if relative.any():
            self.saw_relative = True
            shifted: FloatArray = np.where(relative, raw + self.relative_offset, raw) + P.FIT_EPOCH
            return shifted
        out: FloatArray = raw + P.FIT_EPOCH
        return out

    def unix_one(self, raw: float) -> float | None:
        if raw != raw:
            return None
        return float(self.unix(np.array([raw]))[0])


def _value(column: FloatArray, row: int, scale: float = 1.0, offset: float = 0.0) -> float | None:
    raw = float(column[row])
    if raw != raw:
        return None
    return raw / scale - offset if scale != 1.0 or offset else raw


def _prefer(first: FloatArray, second: FloatArray) -> FloatArray:
    """Element-wise the first value where it is known, else the second."""
    return np.where(np.isnan(first), second, first)


def _record_streams(record: _Table, clock: _Clock) -> dict[str, FloatArray]:
    """The record message as Track streams, scaled as the FIT profile says."""
    R = P.Record
    altitude = _prefer(record.column(R.ENHANCED_ALTITUDE), record.column(R.ALTITUDE)) / 5.0 - 500.0
    speed = _prefer(
        _prefer(record.column(R.ENHANCED_SPEED), record.column(R.SPEED)) / 1000.0,
        record.accumulated(R.SPEED),
    )
    distance = _prefer(record.column(R.DISTANCE) / 100.0, record.accumulated(R.DISTANCE))
    cadence = record.column(R.CADENCE)
    fraction = record.column(R.FRACTIONAL_CADENCE)
    cadence = np.where(np.isnan(fraction), cadence, cadence + fraction / 128.0)
    return {
        "time": clock.unix(record.column(P.TIMESTAMP)),
        "lat": record.column(R.POSITION_LAT) * _SEMICIRCLE_DEG,
        "lon": record.column(R.POSITION_LONG) * _SEMICIRCLE_DEG,
        "alt": altitude,
        "dist": distance,
        "speed": speed,
        "hr": record.column(R.HEART_RATE),
        "cad": cadence,
        "power": record.column(R.POWER),
        "temp": record.column(R.TEMPERATURE),
    }


def _hr_samples(hr: _Table, clock: _Clock) -> tuple[FloatArray, FloatArray]:
    """Heart-rate samples of `hr` messages (HRM-Swim/HRM-Tri store and forward) as (time, bpm).

    Following the FIT SDK: a message with a timestamp anchors the time line, timestamp +
    fractional_timestamp matching its first event_timestamp; each sample is at anchor +
    (event_timestamp - anchor event) / 1024 s. event_timestamp_12 packs 12-bit values that
    advance the event_timestamp accumulator, which full event_timestamp values set (FIT profile,
    hr message; accumulated components).
    """
    H = P.Hr
    n = hr.size
    stamps = hr.column(P.TIMESTAMP)
    fraction = _prefer(hr.column(H.FRACTIONAL_TIMESTAMP) / 32768.0, hr.column(H.TIME256) / 256.0)
    full = hr.matrix(H.EVENT_TIMESTAMP)
    bpm = hr.matrix(H.FILTERED_BPM)
    width = _packed_width(hr)
    present, packed = hr.raw_bytes(H.EVENT_TIMESTAMP_12, width)
    per_row = width * 8 // 12
    bits = np.unpackbits(packed, axis=1, bitorder="little")[:, : per_row * 12]
    deltas = (bits.reshape(n, per_row, 12).astype(np.int64) << np.arange(12)).sum(axis=2)
    uses_full: BoolArray = np.asarray(~np.isnan(full).all(axis=1), dtype=bool)
    uses_packed: BoolArray = ~uses_full & present
    columns = max(full.shape[1], per_row, bpm.shape[1], 1)
    values = np.zeros((n, columns), dtype=np.int64)
    absolute = np.zeros((n, columns), dtype=bool)
    valid = np.zeros((n, columns), dtype=bool)
    k = full.shape[1]
    full_known = uses_full[:, None] & ~np.isnan(full)
    values[:, :k] = np.where(full_known, np.nan_to_num(full), 0).astype(np.int64)
    absolute[:, :k] = full_known
    valid[:, :k] = full_known
    values[:, :per_row] = np.where(uses_packed[:, None], deltas, values[:, :per_row])
    valid[:, :per_row] |= uses_packed[:, None]
    flat_valid = valid.ravel()
    flat_absolute = absolute.ravel()[flat_valid]
    if not flat_absolute.any():
        return np.zeros(0), np.zeros(0)
    events = _roll_forward(flat_absolute, values.ravel()[flat_valid], 12)
    rows = np.repeat(np.arange(n), columns)[flat_valid]
    slots = np.tile(np.arange(columns), n)[flat_valid]
    keep = np.arange(events.size) >= int(np.argmax(flat_absolute))  # nothing to add to before
    # anchors: rows with a timestamp and events; each event uses the latest anchor row
    first_event = np.full(n, -1, dtype=np.int64)
    first_event[rows[::-1]] = np.arange(events.size)[::-1]
    is_anchor = ~np.isnan(stamps) & (first_event >= 0)
    anchor_row = np.maximum.accumulate(np.where(is_anchor, np.arange(n), -1))[rows]
    keep &= anchor_row >= 0
    safe_row = np.maximum(anchor_row, 0)
    anchor_event = events[np.maximum(first_event[safe_row], 0)]
    anchor_time = stamps[safe_row] + np.nan_to_num(fraction[safe_row])
    keep &= events >= anchor_event  # the SDK refuses events before their anchor
    beat = np.full(events.size, _NAN)
    in_bpm = slots < bpm.shape[1]
    beat[in_bpm] = bpm[rows[in_bpm], slots[in_bpm]]
    keep &= ~np.isnan(beat)
    times = anchor_time + (events / 1024.0 - anchor_event / 1024.0)
    if not keep.any():
        return np.zeros(0), np.zeros(0)
    return _fill_hr_gaps(clock.unix(times[keep]), beat[keep])


def _fill_hr_gaps(times: FloatArray, bpms: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Carry each sample forward in 0.25 s steps for up to 5 s towards the next one, as the FIT
    SDK does before merging (FIT SDK, hr_mesg_utils.expand_heart_rates)."""
    gaps_ms = np.abs(np.diff(times)) * 1000.0
    fills = np.clip(np.ceil(gaps_ms / 250.0) - 1, 0, 20).astype(np.int64)
    fills = np.concatenate((fills, [0]))  # filled after each sample, before the next
    per_sample = fills + 1
    total = int(per_sample.sum())
    owner = np.repeat(np.arange(times.size), per_sample)
    step = np.arange(total) - np.repeat(np.cumsum(per_sample) - per_sample, per_sample)
    return times[owner] + 0.25 * step, bpms[owner]


def _packed_width(hr: _Table) -> int:
    sizes = [
        d.fields[P.Hr.EVENT_TIMESTAMP_12].size
        for d in hr.definitions
        if P.Hr.EVENT_TIMESTAMP_12 in d.fields
    ]
    return max(sizes, default=1)


def _merge_hr(
    time: FloatArray, hr: FloatArray, sample_time: FloatArray, sample_bpm: FloatArray
) -> FloatArray:
    """Heart rate of each record from the hr samples, as the FIT SDK's merge does: the mean of
    the samples after the previous record's time up to this record's (one second before for the
    first record and for a repeated time), rounded half up, written only when a later sample
    shows the window is complete (FIT SDK, hr_mesg_utils.merge_heart_rates). Records outside the
    samples keep their own heart rate."""
    if not sample_time.size or not time.size:
        return hr
    if np.any(np.diff(sample_time) < 0) or not np.all(np.diff(time) > 0):
        return _merge_hr_in_order(time, hr, sample_time, sample_bpm)
    running = np.concatenate(([0.0], np.cumsum(sample_bpm)))
    previous = np.concatenate(([time[0] - 1.0], time[:-1]))
    high = np.searchsorted(sample_time, time, side="right")
    low = np.searchsorted(sample_time, previous, side="right")
    count = high - low
    complete = high < sample_time.size  # a sample after the record closes its window
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.floor((running[high] - running[low]) / count + 0.5)
    merged: FloatArray = np.where((count > 0) & complete & ~np.isnan(time), mean, hr)
    return merged


def _merge_hr_in_order(
    time: FloatArray, hr: FloatArray, sample_time: FloatArray, sample_bpm: FloatArray
) -> FloatArray:
    """The same merge step by step, for samples or records out of time order: the SDK walks
    both in file order, skipping samples that fall behind, and this follows it exactly."""
    merged = hr.copy()
    times = sample_time.tolist()
    bpms = sample_bpm.tolist()
    index = 0
    start: float | None = None
    for k, end in enumerate(time.tolist()):
        if end != end:
            continue
        if start is None:
            start = end
        if start == end:
            start -= 1.0
            index = max(index - 1, 0)
        total = 0.0
        count = 0
        while index < len(times):
            at = times[index]
            if start < at <= end:
                total += bpms[index]
                count += 1
            elif at > end:
                if count:
                    merged[k] = float(int(total / count + 0.5))
                start = end
                break
            index += 1
    return merged


def _device_name(file_id: _Table | None, device_info: _Table | None) -> str | None:
    """ "manufacturer product" of the device that made the file: from file_id, else from the
    device_info message of the creator (device_index 0); product names for Garmin makers."""
    candidates: list[tuple[FloatArray, FloatArray, BoolArray]] = []
    if file_id is not None:
        maker = file_id.column(P.FileId.MANUFACTURER)
        candidates.append((maker, file_id.column(P.FileId.PRODUCT), ~np.isnan(maker)))
    if device_info is not None:
        maker = device_info.column(P.DeviceInfo.MANUFACTURER)
        creator = device_info.column(P.DeviceInfo.DEVICE_INDEX) == 0
        candidates.append(
            (maker, device_info.column(P.DeviceInfo.PRODUCT), creator & ~np.isnan(maker))
        )
    for maker, product, usable in candidates:
        if not usable.any():
            continue
        row = int(np.argmax(usable))
        number = int(maker[row])
        name = P.MANUFACTURERS.get(number, str(number))
        if np.isnan(product[row]):
            return name
        code = int(product[row])
        if number in P.GARMIN_PRODUCT_MAKERS:
            return f"{name} {P.GARMIN_PRODUCTS.get(code, str(code))}"
        return f"{name} {code}"
    return None


def _session_totals(session: _Table, row: int, clock: _Clock, sport: str) -> SessionTotals:
    S = P.Session
    cadence = _value(session.column(S.AVG_CADENCE), row)
    fraction = _value(session.column(S.AVG_FRACTIONAL_CADENCE), row, 128.0)
    if cadence is not None and fraction is not None:
        cadence += fraction
    cycles = _value(session.column(S.TOTAL_CYCLES), row)
    steps = strokes = None
    if cycles is not None:
        if sport in ("running", "walking", "hiking"):
            # total_cycles counts strides here (FIT profile: total_strides); a stride is two steps
            steps = int(cycles) * 2
        elif sport in ("swimming", "rowing", "paddling", "stand_up_paddleboarding", "kayaking"):
            strokes = int(cycles)
    lengths = _value(session.column(S.NUM_ACTIVE_LENGTHS), row)
    if lengths is None:
        lengths = _value(session.column(S.NUM_LENGTHS), row)
    return SessionTotals(
        start_time=clock.unix_one(float(session.column(S.START_TIME)[row])),
        elapsed_s=_value(session.column(S.TOTAL_ELAPSED_TIME), row, 1000.0),
        timer_s=_value(session.column(S.TOTAL_TIMER_TIME), row, 1000.0),
        distance_m=_value(session.column(S.TOTAL_DISTANCE), row, 100.0),
        avg_speed_mps=_value(
            _prefer(session.column(S.ENHANCED_AVG_SPEED), session.column(S.AVG_SPEED)), row, 1000.0
        ),
        max_speed_mps=_value(
            _prefer(session.column(S.ENHANCED_MAX_SPEED), session.column(S.MAX_SPEED)), row, 1000.0
        ),
        avg_hr=_value(session.column(S.AVG_HEART_RATE), row),
        max_hr=_value(session.column(S.MAX_HEART_RATE), row),
        avg_cadence=cadence,
        avg_power_w=_value(session.column(S.AVG_POWER), row),
        max_power_w=_value(session.column(S.MAX_POWER), row),
        normalized_power_w=_value(session.column(S.NORMALIZED_POWER), row),
        calories_kcal=_value(session.column(S.TOTAL_CALORIES), row),
        ascent_m=_value(session.column(S.TOTAL_ASCENT), row),
        descent_m=_value(session.column(S.TOTAL_DESCENT), row),
        steps=steps,
        pool_length_m=_value(session.column(S.POOL_LENGTH), row, 100.0),
        num_lengths=int(lengths) if lengths is not None else None,
        strokes=strokes,
        training_stress_score=_value(session.column(S.TRAINING_STRESS_SCORE), row, 10.0),
    )


def _laps(lap: _Table, clock: _Clock) -> list[Lap]:
    L = P.Lap
    start = clock.unix(_prefer(lap.column(L.START_TIME), lap.column(P.TIMESTAMP)))
    elapsed = lap.column(L.TOTAL_ELAPSED_TIME)
    timer = lap.column(L.TOTAL_TIMER_TIME)
    distance = lap.column(L.TOTAL_DISTANCE)
    avg_hr = lap.column(L.AVG_HEART_RATE)
    max_hr = lap.column(L.MAX_HEART_RATE)
    power = lap.column(L.AVG_POWER)
    speed = _prefer(lap.column(L.ENHANCED_AVG_SPEED), lap.column(L.AVG_SPEED))
    calories = lap.column(L.TOTAL_CALORIES)
    ascent = lap.column(L.TOTAL_ASCENT)
    descent = lap.column(L.TOTAL_DESCENT)
    trigger = lap.column(L.LAP_TRIGGER)
    return [
        Lap(
            start_time=float(start[i]),
            elapsed_s=_value(elapsed, i, 1000.0),
            timer_s=_value(timer, i, 1000.0),
            distance_m=_value(distance, i, 100.0),
            avg_hr=_value(avg_hr, i),
            max_hr=_value(max_hr, i),
            avg_power_w=_value(power, i),
            avg_speed_mps=_value(speed, i, 1000.0),
            calories_kcal=_value(calories, i),
            ascent_m=_value(ascent, i),
            descent_m=_value(descent, i),
            trigger=P.enum_name(P.LAP_TRIGGERS, float(trigger[i])),
        )
        for i in range(lap.size)
    ]


def _lengths(length: _Table, clock: _Clock) -> list[PoolLength]:
    L = P.Length
    start = clock.unix(_prefer(length.column(L.START_TIME), length.column(P.TIMESTAMP)))
    elapsed = length.column(L.TOTAL_ELAPSED_TIME)
    timer = length.column(L.TOTAL_TIMER_TIME)
    strokes = length.column(L.TOTAL_STROKES)
    stroke = length.column(L.SWIM_STROKE)
    cadence = length.column(L.AVG_SWIMMING_CADENCE)
    kind = length.column(L.LENGTH_TYPE)
    out = []
    for i in range(length.size):
        count = _value(strokes, i)
        out.append(
            PoolLength(
                start_time=float(start[i]),
                elapsed_s=_value(elapsed, i, 1000.0),
                timer_s=_value(timer, i, 1000.0),
                strokes=int(count) if count is not None else None,
                stroke=P.enum_name(P.SWIM_STROKES, float(stroke[i])),
                active=bool(kind[i] == 1),
                avg_cadence=_value(cadence, i),
            )
        )
    return out


def _sets(sets: _Table, clock: _Clock) -> list[StrengthSet]:
    S = P.Set
    duration = sets.column(S.DURATION) / 1000.0
    start = clock.unix(
        _prefer(sets.column(S.START_TIME), sets.column(S.TIMESTAMP) - np.nan_to_num(duration))
    )
    repetitions = sets.column(S.REPETITIONS)
    weight = sets.column(S.WEIGHT)
    kind = sets.column(S.SET_TYPE)
    category = sets.column(S.CATEGORY)
    out = []
    for i in range(sets.size):
        reps = _value(repetitions, i)
        out.append(
            StrengthSet(
                start_time=float(start[i]),
                duration_s=_value(duration, i),
                repetitions=int(reps) if reps is not None else None,
                weight_kg=_value(weight, i, 16.0),
                active=bool(kind[i] == 1),
                category=P.enum_name(P.EXERCISE_CATEGORIES, float(category[i])),
            )
        )
    return out


def _timer_events(event: _Table, clock: _Clock) -> list[TimerEvent]:
    E = P.Event
    kinds = event.column(E.EVENT)
    types = event.column(E.EVENT_TYPE)
    times = clock.unix(event.column(P.TIMESTAMP))
    out: list[TimerEvent] = []
    stops = (E.STOP, E.STOP_ALL, E.STOP_DISABLE, E.STOP_DISABLE_ALL)
    for i in range(event.size):
        if kinds[i] != E.TIMER or times[i] != times[i]:
            continue
        kind: Literal["start", "stop"] | None = (
            "start" if types[i] == E.START else "stop" if types[i] in stops else None
        )
        if kind is not None:
            out.append(TimerEvent(time=float(times[i]), kind=kind))
    return out


def _split_index(times: FloatArray, boundaries: FloatArray) -> IntArray:
    """Session index of each time: the last session starting at or before it (the first session
    also takes earlier times); unknown times follow the previous sample (the first session when
    no sample before them has a time)."""
    unknown = np.isnan(times)
    index = np.searchsorted(boundaries, np.where(unknown, -np.inf, times), side="right") - 1
    index = np.clip(index, 0, boundaries.size - 1)
    if unknown.any():
        known_at = np.where(~unknown, np.arange(times.size), 0)
        index = index[np.maximum.accumulate(known_at)]
    return index.astype(np.int64)


# (sport, sub-sport, name, device totals) of each Track to make
_SessionPlan = list[tuple[str, str | None, str | None, SessionTotals | None]]


def _plan_sessions(tables: dict[int, _Table], clock: _Clock) -> tuple[_SessionPlan, FloatArray]:
    """(sport, sub-sport, totals) of each Track to make, in start order, and their start times.

    The session message names the sport; the sport message stands in where it does not."""
    default_sport, default_sub, default_name = "generic", None, None
    sport_table = tables.get(P.Mesg.SPORT)
    if sport_table is not None:
        default_sport = (
            P.enum_name(P.SPORTS, float(sport_table.column(P.Sport.SPORT)[0])) or "generic"
        )
        default_sub = P.enum_name(P.SUB_SPORTS, float(sport_table.column(P.Sport.SUB_SPORT)[0]))
        default_name = sport_table.text(P.Sport.NAME)[0]
    session = tables.get(P.Mesg.SESSION)
    if session is None:
        return [(default_sport, default_sub, default_name, None)], np.array([-np.inf])
    S = P.Session
    elapsed = np.nan_to_num(session.column(S.TOTAL_ELAPSED_TIME) / 1000.0)
    starts = clock.unix(
        _prefer(session.column(S.START_TIME), session.column(P.TIMESTAMP) - elapsed)
    )
    order = np.argsort(np.nan_to_num(starts, nan=np.inf), kind="stable")
    sports = session.column(S.SPORT)
    sub_sports = session.column(S.SUB_SPORT)
    names = session.text(S.SPORT_PROFILE_NAME)
    plan: _SessionPlan = []
    for row in order.tolist():
        sport = P.enum_name(P.SPORTS, float(sports[row])) or default_sport
        sub = P.enum_name(P.SUB_SPORTS, float(sub_sports[row]))
        name = names[row]
        if sport == default_sport:
            sub = sub or default_sub
            name = name or default_name
        plan.append((sport, sub, name, _session_totals(session, row, clock, sport)))
    return plan, np.nan_to_num(starts[order], nan=np.inf)


def decode_fit(data: bytes) -> list[Track]:
    """Decode a FIT file (chained FIT files included) into one Track per session, in order.

    Raises CorruptFile when nothing usable can be read and NoActivity for FIT files that are not
    activities (courses, settings, ...). Faults after usable data become Track warnings.
    """
    buf = bytes(data)
    walk = _walk_file(buf)
    u8 = np.frombuffer(buf, dtype=np.uint8)
    for segment in sorted(walk.compressed_segments):
        _resolve_compressed_timestamps(walk, u8, segment)
    for segment in sorted(walk.distance_resets):
        _resolve_compressed_speed_distance(walk, u8, segment)
    grouped: dict[int, list[_Definition]] = {}
    for d in walk.definitions:
        if d.global_num in _WANTED:
            grouped.setdefault(d.global_num, []).append(d)
    tables = {number: _Table(defs, buf, u8) for number, defs in grouped.items()}
    tables = {number: t for number, t in tables.items() if t.size}

    file_id = tables.get(P.Mesg.FILE_ID)
    if file_id is not None:
        kinds = file_id.column(P.FileId.TYPE)
        known = kinds[np.isfinite(kinds)]
        if known.size and not (known == P.FILE_TYPE_ACTIVITY).any():
            name = P.enum_name(P.FILE_TYPES, float(known[0]))
            raise NoActivity(f"this FIT file is a {name} file, not an activity")
    record = tables.get(P.Mesg.RECORD)
    if record is None and P.Mesg.SESSION not in tables:
        if walk.warnings:
            raise CorruptFile(
                "no activity data could be read from the FIT file: " + walk.warnings[0]
            )
        raise NoActivity("the FIT file holds no activity: no record or session messages")

    clock = _Clock(tables.get(P.Mesg.TIMESTAMP_CORRELATION))
    if record is not None:
        streams = _record_streams(record, clock)
    else:
        streams = {name: np.zeros(0) for name in STREAMS}
    hr_table = tables.get(P.Mesg.HR)
    if hr_table is not None:
        sample_time, sample_bpm = _hr_samples(hr_table, clock)
        streams["hr"] = _merge_hr(streams["time"], streams["hr"], sample_time, sample_bpm)
    laps = _laps(tables[P.Mesg.LAP], clock) if P.Mesg.LAP in tables else []
    lengths = _lengths(tables[P.Mesg.LENGTH], clock) if P.Mesg.LENGTH in tables else []
    sets = _sets(tables[P.Mesg.SET], clock) if P.Mesg.SET in tables else []
    events = _timer_events(tables[P.Mesg.EVENT], clock) if P.Mesg.EVENT in tables else []
    plan, boundaries = _plan_sessions(tables, clock)
    device = _device_name(file_id, tables.get(P.Mesg.DEVICE_INFO))
    warnings = list(walk.warnings)
    if clock.saw_relative and not clock.correlated:
        warnings.append(_DEVICE_RELATIVE_WARNING)

    record_session = _split_index(streams["time"], boundaries)

    def belonging(items: list[_T], times: list[float], k: int) -> list[_T]:
        index = _split_index(np.asarray(times, dtype=np.float64), boundaries)
        return [item for item, i in zip(items, index.tolist(), strict=True) if i == k]

    tracks: list[Track] = []
    for k, (sport, sub, name, totals) in enumerate(plan):
        chosen = np.flatnonzero(record_session == k)
        n = int(chosen.size)
        # sessions are usually one stretch of records: a slice keeps the arrays as views
        contiguous = n == 0 or int(chosen[-1]) - int(chosen[0]) == n - 1
        selected: slice | IntArray = (
            slice(int(chosen[0]), int(chosen[0]) + n) if n and contiguous else chosen
        )
        track_warnings = list(warnings)
        if n == 0:
            track_warnings.append(
                "the file has no record messages for this session: only the device's totals"
            )
        tracks.append(
            Track.from_streams(
                "fit",
                n,
                **{name: values[selected] for name, values in streams.items()},
                sport=sport,
                sub_sport=sub,
                device=device,
                name=name,
                events=belonging(events, [e.time for e in events], k),
                laps=belonging(laps, [lap.start_time for lap in laps], k),
                lengths=belonging(lengths, [x.start_time for x in lengths], k),
                sets=belonging(sets, [x.start_time for x in sets], k),
                session=totals,
                warnings=track_warnings,
            )
        )
    return tracks
