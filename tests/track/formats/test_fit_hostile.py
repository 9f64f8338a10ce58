"""Hostile and broken FIT input: our own error or a Track with a warning, bounded memory."""

from __future__ import annotations

import random
import struct
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imas.track.errors import CorruptFile, NoActivity, TrackError
from imas.track.formats.fit import decode_fit
from imas.track.track import Track
from tests.support import fit_writer as fw
from tests.support.fit_writer import FitWriter

VALID = fw.activity_file(fw.synthetic_samples(120), interleave_every=7)


def _swim_with_hr() -> bytes:
    """Compressed timestamps, lengths, a session, and a chained file of hr messages."""
    t0 = 1_000_000_000
    w = FitWriter(big_endian=True)
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1765, 1, t0])
    w.define(1, 20, [(253, "uint32"), (5, "uint32")]).data(1, [t0, 0])
    w.define(2, 20, [(5, "uint32")])
    for k in range(1, 40):
        w.data(2, [k * 100], time_offset=(t0 + k) & 31)
    w.define(3, 101, fw.LENGTH).data(3, [t0 + 30, t0, 30_500, 30_000, 18, 0, 1])
    w.define(4, 18, fw.SESSION).data(
        4, [t0 + 40, t0, 5, 17, 40_000, 40_000, 5000, 20, 250, *[None] * 5, 2500, 1]
    )
    hr = FitWriter()
    hr.define(0, 132, [(253, "uint32"), fw.FieldSpec(6, "uint8", 2), fw.FieldSpec(9, "uint32", 2)])
    hr.data(0, [t0, [100, 101], [1024, 2048]])
    hr.define(1, 132, [fw.FieldSpec(6, "uint8", 8), fw.FieldSpec(10, "byte", 12)])
    hr.data(1, [[102] * 8, list(range(12))])
    return w.to_bytes() + hr.to_bytes()


SWIM = _swim_with_hr()


def outcome(data: bytes) -> list[Track] | TrackError:
    try:
        tracks = decode_fit(data)
    except TrackError as error:
        tracks_or_error: list[Track] | TrackError = error
    else:
        tracks_or_error = tracks
    if isinstance(tracks_or_error, TrackError):
        assert str(tracks_or_error)
        return tracks_or_error
    assert isinstance(tracks, list)
    assert tracks
    return tracks


def test_empty_input() -> None:
    with pytest.raises(CorruptFile, match="empty"):
        decode_fit(b"")


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes(seed: int) -> None:
    data = random.Random(seed).randbytes(5000)
    with pytest.raises(CorruptFile, match="not a FIT file"):
        decode_fit(data)


def test_header_claiming_a_huge_data_size() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")])
    for t in range(50):
        w.data(1, [1000 + t, 100])
    [track] = decode_fit(w.to_bytes(data_size=0xFFFFFFF0))
    assert len(track) == 50
    assert any("truncated" in message for message in track.warnings)


def test_header_longer_than_file() -> None:
    with pytest.raises(CorruptFile):
        decode_fit(bytes([200, 0x20, 0, 0, 0, 0, 0, 0]) + b".FIT" + bytes(10))


def test_impossible_field_sizes_are_skipped_with_a_warning() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (5, "uint32"), (3, "uint8")], raw_sizes={5: 3})
    for t in range(10):
        w.raw(bytes([1]) + struct.pack("<I", 1000 + t) + b"\x01\x02\x03" + bytes([120 + t]))
    [track] = decode_fit(w.to_bytes())
    assert list(track.hr) == [120 + t for t in range(10)]
    assert track.has("dist") is False
    assert any("not a whole number" in message for message in track.warnings)


def test_largest_possible_definition_then_truncation() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")]).data(1, [1000, 99])
    fields = bytes([0x42, 0, 0, 20, 0, 255]) + bytes([7, 255, 0x0D] * 255)
    w.raw(fields + bytes([2]) + bytes(1000))  # a 65 kB data message, cut short
    [track] = decode_fit(w.to_bytes())
    assert list(track.hr) == [99]
    assert any("truncated" in message for message in track.warnings)


def test_data_before_its_definition() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")]).data(1, [1000, 99])
    w.raw(bytes([5, 1, 2, 3]))
    [track] = decode_fit(w.to_bytes())
    assert len(track) == 1
    assert any("never defined" in message for message in track.warnings)


def test_bad_crc_keeps_the_data_with_a_warning() -> None:
    good = bytearray(VALID)
    good[-1] ^= 0x55
    [track] = decode_fit(bytes(good))
    assert len(track) == 120
    assert any("CRC" in message for message in track.warnings)


def test_nothing_usable_is_an_error() -> None:
    w = FitWriter()
    w.raw(bytes([7, 1, 2, 3]))  # data for an undefined local type straight away
    with pytest.raises(CorruptFile, match="no activity data"):
        decode_fit(w.to_bytes())
    w = FitWriter()
    with pytest.raises(NoActivity):
        decode_fit(w.to_bytes())


def test_every_truncation_point() -> None:
    complete = len(decode_fit(VALID)[0])
    for cut in range(0, len(VALID), 7):
        result = outcome(VALID[:cut])
        if isinstance(result, list):
            assert len(result[0]) <= complete
            assert result[0].warnings, cut


def test_many_one_byte_records_alternating_local_types() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32")]).data(1, [1000])
    w.define(2, 7, []).define(3, 8, [])
    w.raw(bytes([2, 3]) * 100_000)
    [track] = decode_fit(w.to_bytes())
    assert len(track) == 1


def test_swim_fixture_is_valid() -> None:
    [track] = decode_fit(SWIM)
    assert len(track) == 40
    assert track.warnings == []
    assert track.hr[0] == 100  # from the hr messages, anchored at the first record


@pytest.mark.timeout(60)  # a hang guard: the walk stays linear however records are ordered
@pytest.mark.parametrize("pattern", ["random", "almost_repeating"])
def test_record_orders_that_defeat_run_and_pattern_detection(pattern: str) -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32")]).data(1, [1000])
    for local in range(2, 14):
        w.define(local, 200 + local, [])
    rng = random.Random(7)
    if pattern == "random":
        headers = bytes(rng.randrange(2, 14) for _ in range(200_000))
    else:  # a 12-record pattern that breaks after one repetition, again and again
        cycle = bytes(range(2, 14))
        headers = (cycle + cycle + bytes([2])) * 8000
    w.raw(headers)
    [track] = decode_fit(w.to_bytes())
    assert len(track) == 1


def test_trailing_garbage_after_the_last_file() -> None:
    [track] = decode_fit(VALID + b"garbage that is not FIT")
    assert len(track) == 120
    assert any("ignored" in message for message in track.warnings)


def _mutations(base: bytes) -> st.SearchStrategy[bytes]:
    flips = st.lists(st.tuples(st.integers(0, len(base) - 1), st.integers(0, 7)), max_size=8)
    flipped = flips.map(lambda items: _flip(base, items))
    truncated = st.integers(0, len(base)).map(lambda n: base[:n])
    spliced = st.tuples(
        st.integers(0, len(base)), st.integers(0, len(base)), st.binary(max_size=64)
    ).map(lambda t: base[: t[0]] + t[2] + base[t[1] :])
    return st.one_of(flipped, truncated, spliced)


def _flip(data: bytes, items: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for index, bit in items:
        out[index] ^= 1 << bit
    return bytes(out)


@pytest.mark.timeout(120)  # a hang guard, not a performance check
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_mutations(VALID), _mutations(SWIM)))
def test_mutated_files_give_tracks_or_our_error(data: bytes) -> None:
    tracemalloc.start()
    try:
        outcome(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
