"""A small FIT encoder for tests: builds FIT files byte by byte, independently of the decoder.

It writes what the FIT protocol describes (file header, definition and data messages, normal
and compressed-timestamp record headers, developer fields, both byte orders, the CRC-16 at the
end) so the decoder can be proven on files whose every value the test chose. It computes the
CRC bit by bit, the plain way, so it does not share code with the decoder's vectorised CRC.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

FIT_EPOCH = 631065600

# base type byte -> (struct code, invalid value)
BASE = {
    "enum": (0x00, "B", 0xFF),
    "sint8": (0x01, "b", 0x7F),
    "uint8": (0x02, "B", 0xFF),
    "sint16": (0x83, "h", 0x7FFF),
    "uint16": (0x84, "H", 0xFFFF),
    "sint32": (0x85, "i", 0x7FFFFFFF),
    "uint32": (0x86, "I", 0xFFFFFFFF),
    "string": (0x07, "s", 0),
    "float32": (0x88, "f", None),
    "uint8z": (0x0A, "B", 0),
    "uint16z": (0x8B, "H", 0),
    "uint32z": (0x8C, "I", 0),
    "byte": (0x0D, "B", 0xFF),
}


def crc16(data: bytes, crc: int = 0) -> int:
    """FIT CRC-16 bit by bit (reflected polynomial 0xA001, start 0)."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@dataclass
class FieldSpec:
    number: int
    type: str
    count: int = 1  # array length; for strings the byte size

    def size(self) -> int:
        if self.type == "string":
            return self.count
        return struct.calcsize("<" + BASE[self.type][1]) * self.count


@dataclass
class _Local:
    global_num: int
    fields: list[FieldSpec]
    big_endian: bool
    dev_sizes: list[int]


@dataclass
class FitWriter:
    """Accumulates records; `to_bytes()` returns a complete FIT file."""

    big_endian: bool = False
    header_size: int = 14
    body: bytearray = field(default_factory=bytearray)
    locals_: dict[int, _Local] = field(default_factory=dict)

    def define(
        self,
        local: int,
        global_num: int,
        fields: Sequence[FieldSpec | tuple[int, str] | tuple[int, str, int]],
        dev_fields: Sequence[tuple[int, int, int]] = (),
        big_endian: bool | None = None,
        raw_sizes: dict[int, int] | None = None,
    ) -> FitWriter:
        """A definition message. dev_fields are (field number, size, developer data index).
        raw_sizes overrides the declared byte size of fields (to write broken definitions)."""
        specs = [f if isinstance(f, FieldSpec) else FieldSpec(*f) for f in fields]
        big = self.big_endian if big_endian is None else big_endian
        endian = ">" if big else "<"
        header = 0x40 | (0x20 if dev_fields else 0) | (local & 0x0F)
        out = bytearray([header, 0, 1 if big else 0])
        out += struct.pack(endian + "H", global_num)
        out.append(len(specs))
        for spec in specs:
            size = (raw_sizes or {}).get(spec.number, spec.size())
            out += bytes([spec.number, size, BASE[spec.type][0]])
        if dev_fields:
            out.append(len(dev_fields))
            for number, size, index in dev_fields:
                out += bytes([number, size, index])
        self.body += out
        self.locals_[local] = _Local(global_num, specs, big, [d[1] for d in dev_fields])
        return self

    def data(
        self,
        local: int,
        values: Sequence[object],
        dev_bytes: bytes | None = None,
        time_offset: int | None = None,
    ) -> FitWriter:
        """A data message; None writes the type's invalid value. time_offset (0-31) writes a
        compressed-timestamp header (local types 0-3 only)."""
        spec = self.locals_[local]
        if time_offset is None:
            out = bytearray([local & 0x0F])
        else:
            out = bytearray([0x80 | ((local & 0x03) << 5) | (time_offset & 0x1F)])
        endian = ">" if spec.big_endian else "<"
        for f, value in zip(spec.fields, values, strict=True):
            out += encode_value(f, value, endian)
        if spec.dev_sizes:
            wanted = sum(spec.dev_sizes)
            extra = dev_bytes if dev_bytes is not None else bytes(wanted)
            assert len(extra) == wanted
            out += extra
        self.body += out
        return self

    def raw(self, data: bytes) -> FitWriter:
        self.body += data
        return self

    def to_bytes(self, data_size: int | None = None, crc: int | None = None) -> bytes:
        size = len(self.body) if data_size is None else data_size
        header = bytearray([self.header_size, 0x20])
        header += struct.pack("<HI", 2132, size) + b".FIT"
        if self.header_size == 14:
            header += struct.pack("<H", crc16(bytes(header)))
        content = bytes(header) + bytes(self.body)
        return content + struct.pack("<H", crc16(content) if crc is None else crc)


def encode_value(spec: FieldSpec, value: object, endian: str) -> bytes:
    _, code, invalid = BASE[spec.type]
    if spec.type == "string":
        text = b"" if value is None else str(value).encode()
        return text[: spec.count - 1].ljust(spec.count, b"\x00")
    items = list(value) if isinstance(value, list | tuple) else [value] * 1
    if spec.count > 1 and len(items) == 1 and not isinstance(value, list | tuple):
        items = items * spec.count
    assert len(items) == spec.count, (spec, value)
    out = b""
    for item in items:
        if item is None:
            if invalid is None:
                out += b"\xff" * struct.calcsize(code)
                continue
            item = invalid
        out += struct.pack(endian + code, item)
    return out


# --------------------------------------------------------------------------------------------
# Message layouts used by the tests (field numbers from the FIT profile)

FILE_ID = [(0, "enum"), (1, "uint16"), (2, "uint16"), (3, "uint32z"), (4, "uint32")]
RECORD = [
    (253, "uint32"),
    (0, "sint32"),
    (1, "sint32"),
    (2, "uint16"),
    (3, "uint8"),
    (4, "uint8"),
    (5, "uint32"),
    (6, "uint16"),
    (7, "uint16"),
    (13, "sint8"),
]
EVENT = [(253, "uint32"), (0, "enum"), (1, "enum"), (3, "uint32")]
LAP = [
    (253, "uint32"),
    (2, "uint32"),
    (7, "uint32"),
    (8, "uint32"),
    (9, "uint32"),
    (15, "uint8"),
    (16, "uint8"),
    (24, "enum"),
]
SESSION = [
    (253, "uint32"),
    (2, "uint32"),
    (5, "enum"),
    (6, "enum"),
    (7, "uint32"),
    (8, "uint32"),
    (9, "uint32"),
    (11, "uint16"),
    (14, "uint16"),
    (16, "uint8"),
    (17, "uint8"),
    (20, "uint16"),
    (22, "uint16"),
    (23, "uint16"),
    (44, "uint16"),
    (47, "uint16"),
]
LENGTH = [
    (253, "uint32"),
    (2, "uint32"),
    (3, "uint32"),
    (4, "uint32"),
    (5, "uint16"),
    (7, "enum"),
    (12, "enum"),
]
SET = [
    (254, "uint32"),
    (0, "uint32"),
    (3, "uint16"),
    (4, "uint16"),
    (5, "uint8"),
    (6, "uint32"),
    FieldSpec(7, "uint16", 2),
]
DEVICE_INFO = [(253, "uint32"), (0, "uint8"), (2, "uint16"), (4, "uint16")]


@dataclass
class Sample:
    """One 1 Hz record of a synthetic activity, in stored (raw FIT) units."""

    timestamp: int  # FIT seconds
    lat: int | None  # semicircles
    lon: int | None
    altitude: int | None  # (m + 500) * 5
    heart_rate: int | None
    cadence: int | None
    distance: int | None  # cm
    speed: int | None  # mm/s
    power: int | None
    temperature: int | None


def synthetic_samples(n: int, start: int = 1_000_000_000, seed: int = 1) -> list[Sample]:
    """n plausible 1 Hz ride samples with a few gaps (invalid values) in every stream."""
    import random

    rng = random.Random(seed)
    samples = []
    lat, lon, alt, dist = 550_000_000, 120_000_000, 2600, 0
    for i in range(n):
        speed = 7000 + rng.randint(-1500, 1500)
        dist += speed // 10
        lat += rng.randint(-400, 400)
        lon += rng.randint(-400, 400)
        alt = max(0, alt + rng.randint(-3, 3))
        gap = i % 97 == 13
        samples.append(
            Sample(
                timestamp=start + i,
                lat=None if gap else lat,
                lon=None if gap else lon,
                altitude=alt,
                heart_rate=None if i % 101 == 7 else 120 + rng.randint(0, 60),
                cadence=85 + rng.randint(-10, 10),
                distance=dist,
                speed=speed,
                power=None if i % 53 == 5 else rng.randint(0, 400),
                temperature=rng.randint(-5, 30),
            )
        )
    return samples


def record_values(s: Sample) -> list[object]:
    return [
        s.timestamp,
        s.lat,
        s.lon,
        s.altitude,
        s.heart_rate,
        s.cadence,
        s.distance,
        s.speed,
        s.power,
        s.temperature,
    ]


def activity_file(
    samples: Sequence[Sample],
    *,
    big_endian: bool = False,
    sport: int = 2,
    sub_sport: int = 7,
    manufacturer: int = 1,
    product: int = 1967,
    interleave_every: int = 0,
) -> bytes:
    """A complete activity: file_id, timer start, records, timer stop, lap, session.

    interleave_every > 0 puts a device_info message after every that many records (so runs of
    records are short, as in files that interleave other messages).
    """
    w = FitWriter(big_endian=big_endian)
    first, last = samples[0].timestamp, samples[-1].timestamp
    w.define(0, 0, FILE_ID).data(0, [4, manufacturer, product, 12345, first])
    w.define(1, 21, EVENT).data(1, [first, 0, 0, 0])
    w.define(2, 20, RECORD)
    w.define(3, 23, DEVICE_INFO)
    for i, s in enumerate(samples):
        w.data(2, record_values(s))
        if interleave_every and i % interleave_every == interleave_every - 1:
            w.data(3, [s.timestamp, 1, 1, 1967])
    w.data(1, [last, 0, 4, 0])
    elapsed_ms = (last - first) * 1000
    total_cm = next((s.distance for s in reversed(samples) if s.distance is not None), None)
    w.define(4, 19, LAP).data(4, [last, first, elapsed_ms, elapsed_ms, total_cm, 150, 180, 7])
    w.define(5, 18, SESSION).data(
        5,
        [
            last,
            first,
            sport,
            sub_sport,
            elapsed_ms,
            elapsed_ms,
            total_cm,
            900,
            7000,
            150,
            180,
            210,
            123,
            120,
            None,
            None,
        ],
    )
    return w.to_bytes()
