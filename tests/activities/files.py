"""Activity files for the activities tests and benchmarks, built here (no corpus needed)."""

from __future__ import annotations

import io
import time
import zipfile

import numpy as np

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="imas tests" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
)


def gpx_run(
    seconds: int = 600,
    *,
    start: float = 1_717_228_800.0,  # 2024-06-01 08:00:00 UTC
    seed: int = 1,
    hr: bool = True,
    sport: str | None = "running",
    name: str | None = None,
    tracks: int = 1,
) -> bytes:
    """A 1 Hz run at about 3 m/s heading north-east, with heart rate; deterministic per seed.

    With tracks > 1 the file holds that many runs (one <trk> each), an hour apart.
    """
    body = "".join(
        _gpx_track(seconds, start + k * 3600.0, seed + k, hr, sport, name) for k in range(tracks)
    )
    return (GPX_HEAD + body + "</gpx>\n").encode()


def _gpx_track(
    seconds: int, start: float, seed: int, hr: bool, sport: str | None, name: str | None
) -> str:
    rng = np.random.default_rng(seed)
    n = seconds
    metres_north = np.cumsum(np.full(n, 2.1) + rng.normal(0, 0.3, n))
    metres_east = np.cumsum(np.full(n, 2.1) + rng.normal(0, 0.3, n))
    lat = 48.2 + metres_north / 111_200.0
    lon = 16.37 + metres_east / (111_200.0 * np.cos(np.radians(48.2)))
    ele = 180.0 + 5.0 * np.sin(np.arange(n) / 300.0)
    heart = np.clip(120 + np.arange(n) * 30 / max(n, 1) + rng.normal(0, 2, n), 60, 200).round()
    times = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + i)) for i in range(n)]
    parts = ["<trk>"]
    if name:
        parts.append(f"<name>{name}</name>")
    if sport:
        parts.append(f"<type>{sport}</type>")
    parts.append("<trkseg>\n")
    for i in range(n):
        ext = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{int(heart[i])}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if hr
            else ""
        )
        parts.append(
            f'<trkpt lat="{lat[i]:.7f}" lon="{lon[i]:.7f}"><ele>{ele[i]:.1f}</ele>'
            f"<time>{times[i]}</time>{ext}</trkpt>\n"
        )
    parts.append("</trkseg></trk>\n")
    return "".join(parts)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XXE_GPX = (
    b'<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&x;</name>'
    b'<trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg>'
    b"</trk></gpx>"
)
CORRUPT_GPX = GPX_HEAD.encode() + b"<trk><trkseg><trkpt lat="
RANDOM_BYTES = bytes(np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8))
