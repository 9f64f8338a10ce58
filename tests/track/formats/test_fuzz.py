"""Mutation fuzzing of read(): valid files of every format, damaged by bit flips, truncation
and splicing, must give valid Tracks or a TrackError; never a hang (an interval timer bounds
each input) and never more than a fixed memory budget (tracemalloc peak)."""

from __future__ import annotations

import gzip
import io
import signal
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imas.track import Track, TrackError, read
from imas.track.track import STREAMS
from tests.support.fit_writer import activity_file, synthetic_samples
from tests.support.gpx_writer import GpxDocument, GpxTrack, gpx_bytes, synthetic_points
from tests.support.tcx_writer import synthetic_activity, tcx_bytes

SECONDS_PER_INPUT = 5.0
MEMORY_BUDGET = 64 * 1024 * 1024


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


GPX = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(40)], type="running")]))
GPX10 = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(20)])], version="1.0"))
TCX = tcx_bytes([synthetic_activity(40, laps=2)])
FIT = activity_file(synthetic_samples(60))
SEEDS: dict[str, bytes] = {
    "gpx": GPX,
    "gpx10": GPX10,
    "tcx": TCX,
    "fit": FIT,
    "gzip": gzip.compress(GPX),
    "zip": _zip([("a.tcx", TCX), ("b.fit", FIT), ("c.gpx.gz", gzip.compress(GPX10))]),
}
ALL = list(SEEDS.values())


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"read() ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _valid(track: Track) -> None:
    n = len(track)
    for stream in STREAMS:
        values = getattr(track, stream)
        assert isinstance(values, np.ndarray)
        assert values.dtype == np.float64
        assert values.shape == (n,)
    assert track.source_format in ("fit", "gpx", "tcx")
    assert isinstance(track.sport, str)


def check(data: bytes) -> None:
    tracemalloc.start()
    try:
        with time_limit(SECONDS_PER_INPUT):
            message = "no error"
            try:
                tracks = read(data)
            except TrackError as error:
                message = str(error)
                tracks = []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BUDGET, f"peak {peak / 1e6:.0f} MB"
    assert message, "a TrackError must say what is wrong"
    assert isinstance(tracks, list)
    for track in tracks:
        _valid(track)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "splice", "overwrite", "repeat"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "splice":  # a piece of another valid file, inserted
            other = draw(st.sampled_from(ALL))
            start = draw(st.integers(0, len(other) - 1))
            data[at:at] = other[start : start + draw(st.integers(1, 400))]
        elif kind == "overwrite":
            data[at : at + 4] = draw(st.binary(min_size=1, max_size=4))
        else:  # repeat a stretch, as a corrupted copy might
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(1, 20))
    return bytes(data)


FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("kind", list(SEEDS))
def test_mutated_files_give_tracks_or_track_errors(kind: str) -> None:
    check(SEEDS[kind])  # the unmutated seed reads

    @FUZZ
    @given(mutated(SEEDS[kind]))
    def fuzz(data: bytes) -> None:
        check(data)

    fuzz()


def test_the_seeds_are_readable() -> None:
    for kind, data in SEEDS.items():
        assert read(data), kind
