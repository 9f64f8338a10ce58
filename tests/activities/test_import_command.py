"""`imas import`: files, folders, archives, a summary, and watching a folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from imas.accounts.models import User
from imas.activities.models import Activity
from tests.activities.files import gpx_run, zip_of

DAY = 86_400.0


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.django_db
def test_import_files_folders_and_archives_with_a_summary(alice: User, tmp_path: Path) -> None:
    folder = tmp_path / "watch-export"
    _write(folder / "a.gpx", gpx_run(60, seed=1))
    _write(folder / "deep" / "b.gpx", gpx_run(60, seed=2, start=1_717_228_800 + DAY))
    _write(folder / ".hidden" / "c.gpx", gpx_run(60, seed=3, start=1_717_228_800 + 2 * DAY))
    broken = _write(folder / "broken.gpx", b"<gpx><trk>")
    archive = _write(
        tmp_path / "export.zip",
        zip_of(
            {
                "x.gpx": gpx_run(60, seed=4, start=1_717_228_800 + 3 * DAY),
                "a-again.gpx": gpx_run(60, seed=1),
            }
        ),
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "import", "--email", alice.email, str(folder), str(archive), stdout=out, stderr=err
        )
    summary = out.getvalue()
    assert "3 created, 1 already there, 1 failed" in summary
    assert f"failed: {broken}" in summary
    assert "5/5" in err.getvalue()  # the progress bar reached the end
    assert Activity.objects.filter(owner=alice).count() == 3  # hidden folders are skipped

    again = io.StringIO()
    call_command("import", "--email", alice.email, str(folder / "a.gpx"), stdout=again)
    assert "0 created, 1 already there, 0 failed" in again.getvalue()


@pytest.mark.django_db
def test_import_explains_bad_arguments(alice: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no account"):
        call_command("import", "--email", "nobody@example.org", str(tmp_path))
    with pytest.raises(CommandError, match="not found"):
        call_command("import", "--email", alice.email, str(tmp_path / "missing.gpx"))
    with pytest.raises(CommandError, match="give files"):
        call_command("import", "--email", alice.email)


@pytest.mark.django_db
def test_watch_imports_files_once_they_are_complete(alice: User, tmp_path: Path) -> None:
    _write(tmp_path / "first.gpx", gpx_run(60, seed=1))
    out = io.StringIO()
    call_command(
        "import",
        "--email",
        alice.email,
        "--watch",
        str(tmp_path),
        "--interval",
        "0.01",
        "--rounds",
        "3",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "1 created" in out.getvalue()
    assert Activity.objects.filter(owner=alice).count() == 1
