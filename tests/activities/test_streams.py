"""The streams blob, the streams payload and route previews (no database)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import zstandard

from imas.activities.streams import (
    StreamsBlobError,
    downsample_indices,
    polyline_decode,
    polyline_encode,
    route_simplify,
    streams_pack,
    streams_payload,
    streams_unpack,
)


def _arrays(n: int = 1000) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    t = 1_700_000_000.0 + np.arange(n)
    return {
        "time": t,
        "lat": 48.2 + np.cumsum(rng.normal(0, 1e-5, n)),
        "lon": 16.3 + np.cumsum(rng.normal(0, 1e-5, n)),
        "alt": np.full(n, np.nan),
        "dist": np.cumsum(np.full(n, 3.0)),
        "hr": np.where(np.arange(n) % 10 == 0, np.nan, 140.0),
    }


def test_pack_unpack_is_exact_and_skips_empty_streams() -> None:
    arrays = _arrays()
    blob, names, n = streams_pack(arrays)
    assert n == 1000
    assert "alt" not in names  # all NaN: not stored
    back = streams_unpack(blob)
    assert set(back) == {"time", "lat", "lon", "dist", "hr"}
    for name in back:
        np.testing.assert_array_equal(back[name], arrays[name])  # NaN positions equal too


def test_blob_is_compressed() -> None:
    blob, names, n = streams_pack(_arrays(10_000))
    assert len(blob) < 8 * n * len(names) / 2


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        streams_pack({"time": np.zeros(3), "hr": np.zeros(4)})


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"not zstd at all",
        zstandard.ZstdCompressor().compress(b"XXXX\x00\x00\x00\x00"),
        zstandard.ZstdCompressor().compress(b'IMS1\x0b\x00\x00\x00{"n": 5, "names": ["time"]}'),
    ],
)
def test_broken_blobs_raise_our_error(blob: bytes) -> None:
    with pytest.raises(StreamsBlobError):
        streams_unpack(blob)


def test_payload_uses_strava_names_and_leaves_out_absent_streams() -> None:
    payload = streams_payload(_arrays())
    assert set(payload) == {"time", "latlng", "distance", "heartrate"}
    assert payload["time"][:3] == [0, 1, 2]
    assert payload["heartrate"][0] is None
    assert payload["heartrate"][1] == 140
    assert len(payload["latlng"][0]) == 2
    json.dumps(payload)  # plain JSON, no NaN


def test_payload_resolution_downsamples_keeping_ends() -> None:
    payload = streams_payload(_arrays(1000), resolution=100)
    assert 95 <= len(payload["time"]) <= 100
    assert payload["time"][0] == 0
    assert payload["time"][-1] == 999
    assert all(len(v) == len(payload["time"]) for v in payload.values())


def test_downsample_indices() -> None:
    assert list(downsample_indices(5, None)) == [0, 1, 2, 3, 4]
    assert list(downsample_indices(5, 10)) == [0, 1, 2, 3, 4]
    idx = downsample_indices(10_001, 11)
    assert list(idx) == list(range(0, 10_001, 1000))


def test_polyline_round_trip_and_known_value() -> None:
    # Google's documented example: (38.5,-120.2), (40.7,-120.95), (43.252,-126.453).
    points = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
    assert polyline_encode(points) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert polyline_decode(polyline_encode(points)) == points


def test_route_simplify_bounds_points_and_keeps_shape() -> None:
    n = 20_000
    angle = np.linspace(0, 2 * np.pi, n)
    lat = 48 + 0.01 * np.sin(angle)
    lon = 16 + 0.01 * np.cos(angle)
    route = route_simplify(lat, lon, max_points=100)
    assert 10 <= len(route) <= 100
    assert route[0] == (float(lat[0]), float(lon[0]))
    radii = [np.hypot(a - 48, (b - 16)) for a, b in route]
    assert max(radii) == pytest.approx(0.01, rel=1e-3)


def test_route_simplify_without_positions() -> None:
    assert route_simplify(np.full(5, np.nan), np.full(5, np.nan)) == []


def test_payload_time_counts_from_the_first_timed_sample() -> None:
    arrays = _arrays(5)
    arrays["time"] = np.array([np.nan, 100.0, 101.0, np.nan, 103.5])
    assert streams_payload(arrays)["time"] == [None, 0.0, 1.0, None, 3.5]
