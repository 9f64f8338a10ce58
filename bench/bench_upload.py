"""End-to-end `POST /api/v1/activities` of a 3-hour 1 Hz GPX run (10,800 points with heart rate)
through the real HTTP server (`imas serve --no-worker`: waitress, SQLite, local files), median
over 20 uploads of distinct files; and the size of that activity's streams payload, gzipped.

Reference: FitTrackee 1.3.6 took 922 ms for such a file on these machines (issue 5). The
baseline measured in this run is gpxpy's processing of the same file (parse, length, moving
time, elevation gain, heart-rate average: the work FitTrackee does with gpxpy), without HTTP,
database or storage, so it flatters the baseline.

Run: .venv/bin/python bench/bench_upload.py
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.activities.files import gpx_run  # noqa: E402

POINTS = 3 * 3600
UPLOADS = 20
FITTRACKEE_MS = 922.0
TARGET_MS = 115.0
STREAMS_LIMIT = 150 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def imas(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "imas.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"imas {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def multipart(data: bytes, filename: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"'
        "\r\nContent-Type: application/gpx+xml\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gpxpy_baseline(data: bytes) -> float:
    import gpxpy

    started = time.perf_counter()
    gpx = gpxpy.parse(data.decode())
    gpx.length_2d()
    gpx.get_moving_data()
    gpx.get_uphill_downhill()
    gpx.get_elevation_extremes()
    gpx.get_duration()
    heart = []
    for track in gpx.tracks:
        for segment in track.segments:
            for point in segment.points:
                for extension in point.extensions:
                    for child in extension:
                        if child.tag.endswith("hr") and child.text:
                            heart.append(float(child.text))
    _ = sum(heart) / len(heart) if heart else None
    return (time.perf_counter() - started) * 1000


def measure(
    files: list[bytes], settings_module: str
) -> tuple[list[float], float, dict[str, tuple[int, int]]]:
    """Upload the files to a fresh IMAS; (wall ms per upload, server CPU ms, streams sizes)."""
    with tempfile.TemporaryDirectory(prefix="imas-bench-") as tmp:
        # The embedded platform (SQLite, local files, SQLite broker) unless REDIS_URL is given.
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {"IMAS_DATA_DIR": str(Path(tmp) / "var"), "DJANGO_SETTINGS_MODULE": settings_module}
        env.setdefault("IMAS_LOG_LEVEL", "WARNING")
        imas(env, "migrate", "--no-input", "-v", "0")
        imas(
            env, "user", "create", "--email", "bench@example.org", "--password",
            "a long enough passphrase 42", "--name", "Bench", "--verified",
        )  # fmt: skip
        token = imas(env, "token", "create", "--email", "bench@example.org").split()[-1]
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "imas.cli", "serve", "--no-worker", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(port, server)
            timings: list[float] = []
            last_id = 0
            cpu_start = 0.0
            for k, data in enumerate(files):
                if k == 1:
                    cpu_start = cpu_seconds(server.pid)
                body, boundary = multipart(data, f"run{k}.gpx")
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                started = time.perf_counter()
                conn.request(
                    "POST",
                    "/api/v1/activities",
                    body=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": f"multipart/form-data; boundary={boundary}",
                    },
                )
                response = conn.getresponse()
                answer = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                conn.close()
                if response.status != 201:
                    raise SystemExit(f"upload answered {response.status}: {answer[:300]!r}")
                last_id = int(json.loads(answer)["id"])
                if k:  # the first upload warms the server up (imports, caches)
                    timings.append(elapsed)
            server_cpu_ms = (cpu_seconds(server.pid) - cpu_start) * 1000 / (len(files) - 1)

            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            sizes = {}
            for query in ("", "?resolution=2000"):
                conn.request(
                    "GET",
                    f"/api/v1/activities/{last_id}/streams{query}",
                    headers={"Authorization": f"Bearer {token}"},
                )
                payload = conn.getresponse().read()
                sizes[query or "full"] = (len(payload), len(gzip.compress(payload)))
            conn.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return timings, server_cpu_ms, sizes


def main() -> int:
    files = [
        gpx_run(POINTS, seed=k, start=1_700_000_000 + k * 86_400.0) for k in range(UPLOADS + 1)
    ]
    timings, server_cpu_ms, sizes = measure(files, "imas.settings")

    baseline = statistics.median(gpxpy_baseline(files[k]) for k in range(5))
    ours = statistics.median(timings)
    broker = "Redis" if os.environ.get("REDIS_URL") else "embedded SQLite"
    print(f"POST /api/v1/activities, {POINTS:,}-point GPX with heart rate, median of {UPLOADS}")
    print(f"  (SQLite database, local files, {broker} broker for the after-upload tasks)")
    print(f"  IMAS (HTTP + decode + analysis + storage + DB): {ours:8.1f} ms")
    print(f"  FitTrackee 1.3.6 (reference, measured earlier): {FITTRACKEE_MS:8.1f} ms")
    print(f"  gpxpy processing only (baseline, this run):     {baseline:8.1f} ms")
    print(f"  ratio FitTrackee / IMAS: {FITTRACKEE_MS / ours:5.1f}x (target >= 8x)")
    print(f"  ratio gpxpy / IMAS:      {baseline / ours:5.1f}x")
    print(f"  target median <= {TARGET_MS:.0f} ms: {'met' if ours <= TARGET_MS else 'NOT met'}")
    print(f"  fastest {min(timings):.1f} ms, slowest {max(timings):.1f} ms")
    print(
        f"  server CPU time per upload (mean): {server_cpu_ms:.1f} ms "
        "(what the upload costs, whatever else the machine is doing)"
    )
    for name, (raw, packed) in sizes.items():
        print(
            f"streams payload ({name}): {raw / 1024:7.1f} KB JSON, {packed / 1024:6.1f} KB gzip "
            f"(limit {STREAMS_LIMIT // 1024} KB: {'met' if packed < STREAMS_LIMIT else 'NOT met'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
