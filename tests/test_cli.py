"""The `imas` entry point: configuration mistakes end in one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

IMAS = [sys.executable, "-m", "imas.cli"]


def _run(
    args: list[str], env_extra: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IMAS_DATA_DIR": str(tmp_path), **env_extra}
    env.pop("IMAS_SECRET_KEY", None)
    return subprocess.run([*IMAS, *args], env=env, capture_output=True, text=True, timeout=120)


def test_production_without_secret_key_is_one_line(tmp_path: Path) -> None:
    result = _run(["check"], {"IMAS_PRODUCTION": "1"}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "IMAS_SECRET_KEY" in lines[0]


def test_unknown_command_is_an_error(tmp_path: Path) -> None:
    result = _run(["no-such-command"], {}, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no-such-command" in result.stderr
