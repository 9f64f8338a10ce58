"""Real recordings from the shared corpus: a segment cut from a real activity finds that
activity again with the time its own samples give, and not when ridden backwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from imas.activities.models import Activity
from imas.activities.selectors import activity_streams
from imas.segments import services
from imas.segments.models import SegmentEffort
from tests.segments.routes import GPX_HEAD
from tests.support.corpus import corpus_path

pytestmark = [pytest.mark.corpus, pytest.mark.django_db]

# (file, whether its path reversed must not match). The GPS Visualizer ride is an out-and-back:
# reversed, it is again out and back along the same road in the same order, so a segment cut
# from it is rightly found on the reversed ride too (measured: the way out lies a median 15 m,
# 90th percentile 24 m, from the way back).
FILES = [
    ("GoldenCheetah/test/rides/Garmin920_withFirstbeat.fit", True),  # run, 1 Hz
    ("GoldenCheetah/test/rides/Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit", True),
    ("GoldenCheetah/test/rides/2012_01_11_11_51_01.fit", True),  # Edge 500, smart recording
    ("GoldenCheetah/test/rides/1292585194-20906.gpx", False),  # 16 track segments
]


@pytest.mark.parametrize(("relative", "one_way"), FILES)
def test_a_segment_cut_from_a_real_activity_finds_it_again(
    relative: str,
    one_way: bool,
    alice: Any,
    upload: Callable[..., Activity],
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = corpus_path(relative).read_bytes()
    activity = upload(alice, data, filename=relative.rsplit("/", 1)[-1])
    arrays = activity_streams(activity)
    dist = arrays["dist"]
    total = float(np.nanmax(dist))
    with django_capture_on_commit_callbacks(execute=True):
        segment = services.segment_create_from_activity(
            owner=alice,
            activity_id=activity.pk,
            name="Cut",
            start_distance_m=0.3 * total,
            end_distance_m=0.6 * total,
        )
    efforts = list(SegmentEffort.objects.filter(segment=segment, activity=activity))
    assert len(efforts) >= 1
    # The effort spans the samples the segment was cut between (distance picks -> samples).
    filled = np.maximum.accumulate(np.where(np.isfinite(dist), dist, 0.0))
    first = int(np.searchsorted(filled, 0.3 * total))
    last = int(np.searchsorted(filled, 0.6 * total))
    time = arrays["time"]
    expected = float(time[last] - time[first])
    best = min(efforts, key=lambda e: abs(e.elapsed_s - expected))
    # Sample spacing at the ends (smart recording: several seconds) bounds the difference.
    spacing = float(np.nanmax(np.diff(time[max(first - 2, 0) : last + 3])))
    assert best.elapsed_s == pytest.approx(expected, abs=max(2.0, 2 * spacing))
    assert best.distance_m == pytest.approx(segment.length_m, rel=0.1)
    assert best.start_index <= first + 5
    assert best.end_index >= last - 5

    # The same path travelled the other way round (a later activity): no effort.
    ok = np.isfinite(arrays["lat"]) & np.isfinite(arrays["lon"])
    back = reversed_gpx(arrays["lat"][ok][::-1], arrays["lon"][ok][::-1], float(time[-1]) + 86_400)
    reverse = upload(alice, back, sport=activity.sport)
    found_reversed = SegmentEffort.objects.filter(activity=reverse).exists()
    assert found_reversed is not one_way


def reversed_gpx(lat: np.ndarray, lon: np.ndarray, start: float) -> bytes:
    """The points in the given order, one second apart."""
    import time as clock

    rows = [GPX_HEAD, "<trk><trkseg>"]
    for i, (a, b) in enumerate(zip(lat, lon, strict=True)):
        stamp = clock.strftime("%Y-%m-%dT%H:%M:%SZ", clock.gmtime(start + i))
        rows.append(f'<trkpt lat="{a:.7f}" lon="{b:.7f}"><time>{stamp}</time></trkpt>')
    rows.append("</trkseg></trk></gpx>")
    return "\n".join(rows).encode()
