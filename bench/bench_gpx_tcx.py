"""GPX and TCX decoding, side by side: imas.track.read vs gpxpy and tcxreader.

Input: a generated 6-hour 1 Hz ride (21,600 points with position, elevation, heart rate,
cadence, power, temperature), written as GPX (Garmin TrackPointExtension + PowerExtension) and
as TCX (laps, TPX speed and watts), each both indented the way Garmin devices and Garmin
Connect export them, and compact (no whitespace between elements, as Edge devices write TCX).

Every decoder gets the file's bytes already in memory (tcxreader only reads from a path, so it
gets the path of a file in the page cache). Time: CPU time of the decode (time.process_time,
so that other work on a shared machine does not blur the ratio), best of a few runs.

Memory, two figures:
- the tracemalloc peak during one decode: the Python heap.
- the rise of the peak RSS (VmHWM) of a fresh process doing only that decode: everything,
  including what C libraries allocate, which tracemalloc cannot see (libxml2's tree). Ours
  parses in chunks and frees the points of each (imas.track.formats.xml.parse_streamed), so
  its tree stays about a chunk's worth; tcxreader's ElementTree and gpxpy's lxml tree hold the
  whole file. Printed beside the tracemalloc figure, with its own ratio and verdict.

Floors (issue 3): at least 4x faster and under a quarter of the baseline's peak memory,
checked on both memory figures.

Run: .venv/bin/python bench/bench_gpx_tcx.py
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.gpx_writer import (  # noqa: E402
    GpxDocument,
    GpxTrack,
    gpx_bytes,
    synthetic_points,
)
from tests.support.tcx_writer import synthetic_activity, tcx_bytes  # noqa: E402

SECONDS = 6 * 3600
RUNS = 3
SPEED_FLOOR = 4.0
MEMORY_FLOOR = 0.25

# A child process: import everything first, then measure the peak-RSS rise of one decode.
RSS_PROBE = """
import sys
from pathlib import Path
import gpxpy
from tcxreader.tcxreader import TCXReader
from imas.track import read

def high_water_kb():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak over exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit("no /proc/self/status")

which, path = sys.argv[1], sys.argv[2]
data = Path(path).read_bytes()
before = high_water_kb()
if which == "imas":
    read(data)
elif which == "gpxpy":
    gpxpy.parse(data)
else:
    TCXReader().read(path)
print((high_water_kb() - before) / 1024)
"""


def indented(data: bytes) -> bytes:
    tree = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(tree, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def best_time(decode: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        gc.collect()
        start = time.process_time()
        decode()
        times.append(time.process_time() - start)
    return min(times)


def traced_peak(decode: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        decode()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def rss_rise(which: str, path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, which, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(out.stdout.strip())


def compare(
    label: str, path: Path, baseline_name: str, baseline: Callable[[], object], floors: bool
) -> bool:
    from imas.track import read

    data = path.read_bytes()

    def ours() -> object:
        return read(data)

    our_time, their_time = best_time(ours), best_time(baseline)
    our_peak, their_peak = traced_peak(ours), traced_peak(baseline)
    our_rss, their_rss = rss_rise("imas", path), rss_rise(baseline_name, path)
    speedup = their_time / our_time
    memory = our_peak / their_peak
    size = path.stat().st_size / 1e6
    print(f"{label} ({size:.1f} MB) vs {baseline_name}")
    print(
        f"  time      imas {our_time * 1e3:8.1f} ms   {baseline_name} {their_time * 1e3:8.1f} ms"
        f"   {speedup:5.1f}x faster"
    )
    print(
        f"  tracemalloc peak  imas {our_peak:7.1f} MB   {baseline_name} {their_peak:7.1f} MB"
        f"   ratio {memory:.3f}"
    )
    rss_ratio = our_rss / max(their_rss, 0.1)
    print(
        f"  peak RSS rise     imas {our_rss:7.1f} MB   {baseline_name} {their_rss:7.1f} MB"
        f"   ratio {rss_ratio:.3f}"
    )
    if not floors:
        print("  (a real file, for context: the floors are set for the 6-hour files)")
        return True
    ok = speedup >= SPEED_FLOOR and memory < MEMORY_FLOOR and rss_ratio < MEMORY_FLOOR
    print(
        f"  floors (>= {SPEED_FLOOR:.0f}x, < {MEMORY_FLOOR:.2f} of the peak by tracemalloc"
        f" and by RSS): {'met' if ok else 'NOT MET'}"
    )
    return ok


def _corpus_files() -> dict[str, tuple[Path, bytes]]:
    """The largest real GPX and TCX of the shared corpus, when it is there."""
    from tests.support.corpus import corpus_files

    out: dict[str, tuple[Path, bytes]] = {}
    for suffix in (".gpx", ".tcx"):
        found = corpus_files(suffix)
        if found:
            largest = max(found, key=lambda p: p.stat().st_size)
            out[f"{suffix[1:].upper()} corpus {largest.name}"] = (largest, largest.read_bytes())
    return out


def main() -> int:
    import gpxpy
    from tcxreader.tcxreader import TCXReader

    gpx = gpx_bytes(GpxDocument([GpxTrack([synthetic_points(SECONDS)], type="cycling")]))
    tcx = tcx_bytes([synthetic_activity(SECONDS, laps=6)])
    results = []
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "GPX 6 h, indented": (Path(folder) / "ride.gpx", indented(gpx)),
            "GPX 6 h, compact": (Path(folder) / "ride-compact.gpx", gpx),
            "TCX 6 h, indented": (Path(folder) / "ride.tcx", indented(tcx)),
            "TCX 6 h, compact": (Path(folder) / "ride-compact.tcx", tcx),
        }
        for path, data in files.values():
            path.write_bytes(data)
        files.update(_corpus_files())
        for label, (path, data) in files.items():
            floors = "6 h" in label
            if label.startswith("GPX"):
                gpx_baseline = lambda d=data: gpxpy.parse(d)  # noqa: E731
                results.append(compare(label, path, "gpxpy", gpx_baseline, floors))
            else:
                tcx_baseline = lambda p=path: TCXReader().read(str(p))  # noqa: E731
                results.append(compare(label, path, "tcxreader", tcx_baseline, floors))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
