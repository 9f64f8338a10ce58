"""The streams blob (one per activity), the streams API payload, and route previews.

Blob layout (DESIGN.md §5: one compressed columnar blob, never one row per point):
    zstd( b"IMS1" | u32 little-endian header length | JSON header | arrays... )
The header is {"n": points, "names": [...]}; each array is n float64 values, byte-shuffled
(all first bytes, then all second bytes, ...) because neighbouring samples share their high
bytes, which makes zstd compress them several times better than plain float64.
Only streams that hold at least one value are stored.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import zstandard

FloatArray = npt.NDArray[np.float64]

_MAGIC = b"IMS1"
_ZSTD_LEVEL = 3  # fast; level 19 saves ~10 % more for ~20x the time
# A blob is decompressed whole; the cap keeps a corrupted or forged length from exhausting
# memory (a 24-hour 1 Hz activity with 10 streams is ~7 MB).
_MAX_DECOMPRESSED = 256 * 1024 * 1024


class StreamsBlobError(ValueError):
    """A stored streams blob that cannot be read back (corruption or an unknown version)."""


def streams_pack(arrays: Mapping[str, FloatArray]) -> tuple[bytes, list[str], int]:
    """Compress the arrays that hold data; returns (blob, stored names, points)."""
    lengths = {int(a.shape[0]) for a in arrays.values()}
    if len(lengths) > 1:
        raise ValueError(f"streams differ in length: {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    names = [name for name, a in arrays.items() if a.size and bool(np.isfinite(a).any())]
    header = json.dumps({"n": n, "names": names}).encode()
    parts = [_MAGIC, struct.pack("<I", len(header)), header]
    for name in names:
        raw = np.ascontiguousarray(arrays[name], dtype="<f8").view(np.uint8).reshape(n, 8)
        parts.append(np.ascontiguousarray(raw.T).tobytes())
    blob = zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(b"".join(parts))
    return blob, names, n


def streams_unpack(blob: bytes) -> dict[str, FloatArray]:
    """The arrays of a blob made by streams_pack, by name."""
    try:
        raw = zstandard.ZstdDecompressor().decompress(
            bytes(blob), max_output_size=_MAX_DECOMPRESSED
        )
    except zstandard.ZstdError as exc:
        raise StreamsBlobError(f"streams blob cannot be decompressed: {exc}") from exc
    if raw[:4] != _MAGIC or len(raw) < 8:
        raise StreamsBlobError("streams blob has an unknown format")
    (header_len,) = struct.unpack("<I", raw[4:8])
    try:
        header = json.loads(raw[8 : 8 + header_len])
        n = int(header["n"])
        names = [str(x) for x in header["names"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise StreamsBlobError("streams blob header is unreadable") from exc
    offset = 8 + header_len
    if len(raw) != offset + 8 * n * len(names):
        raise StreamsBlobError("streams blob is truncated")
    out: dict[str, FloatArray] = {}
    for name in names:
        shuffled = np.frombuffer(raw, dtype=np.uint8, count=8 * n, offset=offset).reshape(8, n)
        out[name] = np.ascontiguousarray(shuffled.T).view("<f8").reshape(n).astype(np.float64)
        offset += 8 * n
    return out


def downsample_indices(n: int, resolution: int | None) -> npt.NDArray[np.intp]:
    """About `resolution` evenly spaced sample indices, always keeping the first and last."""
    if resolution is None or resolution >= n or n == 0:
        return np.arange(n, dtype=np.intp)
    resolution = max(resolution, 2)
    return np.unique(np.linspace(0, n - 1, resolution).round().astype(np.intp))


def _rounded(values: FloatArray, decimals: int) -> list[Any]:
    """JSON-ready list: NaN becomes None, whole numbers print without a fraction."""
    rounded = np.round(values, decimals)
    finite = np.isfinite(rounded)
    if decimals == 0 or (finite.all() and np.all(rounded == np.floor(rounded))):
        as_list: list[Any] = [int(v) if ok else None for v, ok in zip(rounded, finite, strict=True)]
        return as_list
    if finite.all():
        return list(rounded.tolist())
    return [float(v) if ok else None for v, ok in zip(rounded, finite, strict=True)]


# Strava's stream names (DESIGN.md §7) and the precision each one needs: 6 decimals of a
# degree are ~0.1 m, 0.1 m of distance and altitude, 0.01 m/s of speed.
_PAYLOAD_STREAMS: tuple[tuple[str, str, int], ...] = (
    ("distance", "dist", 1),
    ("altitude", "alt", 1),
    ("heartrate", "hr", 0),
    ("cadence", "cad", 0),
    ("watts", "power", 0),
    ("speed", "speed", 2),
)


def streams_payload(
    arrays: Mapping[str, FloatArray], resolution: int | None = None, *, with_latlng: bool = True
) -> dict[str, list[Any]]:
    """The `GET /activities/{id}/streams` body: Strava names, a key only when there is data.

    `time` is seconds since the first sample, as in Strava's time stream.
    """
    if "time" not in arrays:
        return {}
    n = int(arrays["time"].shape[0])
    idx = downsample_indices(n, resolution)
    time = arrays["time"][idx]
    out: dict[str, list[Any]] = {}
    timed = np.isfinite(time)
    if timed.any():
        out["time"] = _rounded(time - time[timed][0], 1)
    if with_latlng and "lat" in arrays and "lon" in arrays:
        lat = np.round(arrays["lat"][idx], 6)
        lon = np.round(arrays["lon"][idx], 6)
        ok = np.isfinite(lat) & np.isfinite(lon)
        if ok.any():
            out["latlng"] = [
                [float(a), float(b)] if good else None
                for a, b, good in zip(lat, lon, ok, strict=True)
            ]
    for key, name, decimals in _PAYLOAD_STREAMS:
        values = arrays.get(name)
        if values is not None and bool(np.isfinite(values[idx]).any()):
            out[key] = _rounded(values[idx], decimals)
    return out


# --- route previews ---------------------------------------------------------------------------


def _rdp_keep(x: FloatArray, y: FloatArray, tolerance: float) -> npt.NDArray[np.bool_]:
    """Ramer-Douglas-Peucker simplification (iterative, so deep routes cannot overflow a stack)."""
    n = x.shape[0]
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        dx, dy = x[last] - x[first], y[last] - y[first]
        px, py = x[first + 1 : last] - x[first], y[first + 1 : last] - y[first]
        norm = float(np.hypot(dx, dy))
        dist = np.abs(dx * py - dy * px) / norm if norm > 0 else np.hypot(px, py)
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            mid = first + 1 + i
            keep[mid] = True
            stack.append((first, mid))
            stack.append((mid, last))
    return keep


def route_simplify(
    lat: FloatArray, lon: FloatArray, max_points: int = 100
) -> list[tuple[float, float]]:
    """A route of at most max_points (lat, lon) pairs that keeps the shape of the original."""
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[ok], lon[ok]
    if lat.size == 0:
        return []
    # Pre-thin very long routes so the simplification below stays cheap.
    idx = downsample_indices(int(lat.size), 2000)
    lat, lon = lat[idx], lon[idx]
    # Equirectangular projection in degrees is plenty for a thumbnail.
    x = lon * np.cos(np.radians(float(np.mean(lat))))
    y = lat
    span = float(max(np.ptp(x), np.ptp(y), 1e-9))
    tolerance = span / 1000
    keep = _rdp_keep(x, y, tolerance)
    while int(keep.sum()) > max_points:
        tolerance *= 2
        keep = _rdp_keep(x, y, tolerance)
    return [(float(a), float(b)) for a, b in zip(lat[keep], lon[keep], strict=True)]


def polyline_encode(points: Sequence[tuple[float, float]]) -> str:
    """Google's encoded polyline format (precision 1e-5), which map libraries read directly."""
    out: list[str] = []
    prev_lat = prev_lon = 0
    for lat, lon in points:
        ilat, ilon = round(lat * 1e5), round(lon * 1e5)
        for delta in (ilat - prev_lat, ilon - prev_lon):
            value = ~(delta << 1) if delta < 0 else delta << 1
            while value >= 0x20:
                out.append(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.append(chr(value + 63))
        prev_lat, prev_lon = ilat, ilon
    return "".join(out)


def polyline_decode(encoded: str) -> list[tuple[float, float]]:
    """The inverse of polyline_encode."""
    points: list[tuple[float, float]] = []
    index = lat = lon = 0
    coords = [0, 0]
    while index < len(encoded):
        for k in range(2):
            shift = result = 0
            while True:
                byte = ord(encoded[index]) - 63
                index += 1
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            coords[k] = ~(result >> 1) if result & 1 else result >> 1
        lat += coords[0]
        lon += coords[1]
        points.append((lat / 1e5, lon / 1e5))
    return points
