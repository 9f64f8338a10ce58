"""Every activity in the corpus (FIT, GPX, TCX, archives) analyses to a sane, JSON-safe summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imas.track import TrackError, analyze, read
from tests.support.corpus import corpus_files, corpus_id

pytestmark = pytest.mark.corpus

FILES = [
    p
    for p in corpus_files(".fit", ".fit.gz", ".fit.zip", ".gpx", ".tcx", ".zip", ".gz")
    if not p.name.lower().endswith((".csv", ".md", ".txt"))
]


@pytest.mark.parametrize("path", FILES, ids=[corpus_id(p) for p in FILES])
def test_summary_is_sane(path: Path) -> None:
    try:
        tracks = read(path.read_bytes())
    except TrackError:
        pytest.skip("not an activity the reader accepts (its own tests cover why)")
    for track in tracks:
        out = analyze(track).as_dict()
        json.dumps(out, allow_nan=False)
        if out["moving_s"] is not None and out["elapsed_s"] is not None:
            assert out["moving_s"] <= out["elapsed_s"] + 1.0
        for key in ("distance_m", "ascent_m", "descent_m", "avg_speed_mps", "max_speed_mps"):
            assert out[key] is None or out[key] >= 0, key
        if out["avg_hr"] is not None:
            assert 20 <= out["avg_hr"] <= out["max_hr"] <= 300
        if out["normalized_power_w"] is not None:
            assert out["normalized_power_w"] >= out["avg_power_w"] * 0.99
        assert out["points"] == len(track)
        assert out["calories_method"]
