"""The analysis core imports no Django (DESIGN.md §3): proven in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import json, sys
import imas.track
import imas.track.formats.archive, imas.track.formats.gpx, imas.track.formats.sniff
import imas.track.formats.tcx, imas.track.formats.xml, imas.track.reader
try:
    import imas.track.formats.fit
except ImportError:
    pass
print(json.dumps(sorted(m for m in sys.modules if m == "django" or m.startswith("django."))))
"""


def test_importing_imas_track_loads_no_django_module() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_the_probe_would_see_django_if_it_were_imported() -> None:
    probe = PROGRAM.replace("import imas.track\n", "import imas.track\nimport django.conf\n")
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "django.conf" in json.loads(result.stdout.strip().splitlines()[-1])
