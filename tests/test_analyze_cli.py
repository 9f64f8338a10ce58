"""`imas analyze FILE [--json] [body options]` as a subprocess: the DESIGN.md §7 contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.contract import CONTRACT_KEYS
from tests.support.corpus import corpus_path
from tests.support.gpx_writer import GpxDocument, GpxPoint, GpxTrack, gpx_bytes
from tests.support.synthetic import Synthetic, synthetic_activity


def _imas(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imas.cli", "analyze", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _gpx_of(s: Synthetic, path: Path) -> Path:
    t = s.track
    points = [
        GpxPoint(
            lat=float(t.lat[i]),
            lon=float(t.lon[i]),
            time=float(t.time[i]),
            ele=float(t.alt[i]),
            hr=float(t.hr[i]),
        )
        for i in range(len(t))
    ]
    doc = GpxDocument(tracks=[GpxTrack(segments=[points], type="running")])
    path.write_bytes(gpx_bytes(doc))
    return path


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Synthetic, Path]:
    s = synthetic_activity(seed=11)
    return s, _gpx_of(s, tmp_path_factory.mktemp("cli") / "run.gpx")


def test_json_list_with_every_contract_key(synthetic_run: tuple[Synthetic, Path]) -> None:
    s, path = synthetic_run
    done = _imas(str(path), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert isinstance(out, list)
    assert len(out) == 1
    first = out[0]
    assert set(first) >= CONTRACT_KEYS
    assert first["start_time"] == "2023-11-14T22:13:20Z"
    assert first["distance_m"] == pytest.approx(s.truth.distance_m, rel=0.005)
    assert abs(first["moving_s"] - s.truth.moving_s) <= 30
    assert first["points"] == len(s.track)
    # No body data given: what needs it is null, and the method says why.
    assert first["calories_kcal"] is None
    assert first["calories_method"].startswith("unknown: needs weight_kg")
    assert first["trimp"] is None
    assert first["avg_power_w"] is None


def test_body_options_feed_the_formulas(synthetic_run: tuple[Synthetic, Path]) -> None:
    _, path = synthetic_run
    done = _imas(
        str(path),
        "--json",
        "--birthday",
        "1985-03-01",
        "--sex",
        "male",
        "--weight-kg",
        "72",
        "--resting-hr",
        "48",
        "--max-hr",
        "188",
    )
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)[0]
    assert first["calories_method"] == "keytel_2005"
    assert first["calories_kcal"] > 0
    assert first["trimp"] > 0
    assert first["methods"]["hr_zones"] == "karvonen(profile)"


def test_text_output_is_readable(synthetic_run: tuple[Synthetic, Path]) -> None:
    _, path = synthetic_run
    done = _imas(str(path))
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(None, 1) for line in done.stdout.splitlines() if line.strip())
    assert lines["sport"] == "running"
    assert float(lines["distance_m"]) > 10000
    assert lines["calories_kcal"] == "-"
    assert "entries (see --json)" in lines["splits_km"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"\x00\xff" * 500, "random bytes"),
        (b"<gpx><trk><trkseg></trkseg></trk></gpx>", "no points"),
    ],
)
def test_unreadable_file_exits_2_with_one_line(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "bad.fit"
    path.write_bytes(content)
    done = _imas(str(path), "--json")
    assert done.returncode == 2, why
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_and_bad_body_values_exit_2(tmp_path: Path) -> None:
    done = _imas(str(tmp_path / "absent.gpx"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    path = _gpx_of(synthetic_activity(seed=1, schedule=[(120.0, 3.0)]), tmp_path / "a.gpx")
    done = _imas(str(path), "--weight-kg", "-70")
    assert done.returncode == 2
    assert done.stderr.strip() == "imas analyze: weight_kg must be between 1 and 500, got -70.0"


def test_one_object_per_activity_of_a_multisport_file() -> None:
    path = corpus_path("python-fitparse/tests/files/sample_mulitple_header.fit")
    done = _imas(str(path), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [a["sport"] for a in out] == [
        "swimming",
        "transition",
        "cycling",
        "transition",
        "running",
    ]
    assert out[4]["distance_m"] == pytest.approx(9805.92, rel=0.01)
    assert out[0]["calories_method"] == "device"
