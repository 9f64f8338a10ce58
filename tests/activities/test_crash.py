"""A real Celery worker is killed (SIGKILL) in the middle of an archive import; another worker
started afterwards finishes the job, and every file is imported exactly once.

Everything runs as it does in production, in subprocesses: `imas migrate`, `imas user create`,
`imas worker` on the embedded SQLite broker (or Redis when REDIS_URL is set), against a SQLite
database in a temporary IMAS_DATA_DIR, or a fresh PostgreSQL database when the suite runs on
PostgreSQL. The test settings only shorten the import lease so the second worker need not
wait a minute for the dead one's lease to run out.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.activities.files import gpx_run, zip_of
from tests.activities.system import Query, imas, kill_group, start_worker

FILES = 40
pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def test_killed_worker_then_restarted_imports_every_file_exactly_once(
    platform: tuple[dict[str, str], Query], tmp_path: Path
) -> None:
    env, query = platform
    imas(env, "migrate", "--no-input", "-v", "0")
    imas(
        env, "user", "create", "--email", "crash@example.org", "--password",
        "a long enough passphrase 42", "--name", "Crash", "--verified",
    )  # fmt: skip
    archive = tmp_path / "export.zip"
    archive.write_bytes(
        zip_of(
            {
                f"run{k:02d}.gpx": gpx_run(1800, seed=k, start=1_717_228_800 + k * 86_400.0)
                for k in range(FILES)
            }
        )
    )
    job_id = int(
        imas(
            env,
            "shell",
            "-c",
            "from imas.accounts.selectors import user_by_email\n"
            "from imas.activities.imports import import_job_create_archive\n"
            f"data = open({str(archive)!r}, 'rb').read()\n"
            "job = import_job_create_archive(owner=user_by_email('crash@example.org'), "
            "data=data, filename='export.zip')\n"
            "print(job.pk)",
        ).split()[-1]
    )

    def processed() -> int:
        rows = query(
            "SELECT COUNT(*) FROM activities_importitem WHERE job_id = %s AND status <> 'pending'",
            job_id,
        )
        return int(rows[0][0])

    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        deadline = time.monotonic() + 120
        while processed() < 5:
            assert first.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the first worker never got going"
            time.sleep(0.02)
    finally:
        kill_group(first, signal.SIGKILL)
    done_by_first = processed()
    assert 5 <= done_by_first < FILES, "the kill must land in the middle of the job"
    status = query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0]
    assert status == "running"

    second = start_worker(env, log)
    try:
        deadline = time.monotonic() + 150
        while (
            query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0] != "done"
        ):
            assert second.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
    finally:
        kill_group(second, signal.SIGTERM)

    items = query("SELECT status, activity_id FROM activities_importitem WHERE job_id = %s", job_id)
    assert len(items) == FILES
    assert {status for status, _ in items} == {"created"}  # none 'duplicate': none ran twice
    assert len({activity for _, activity in items}) == FILES
    assert query("SELECT COUNT(*) FROM activities_activity")[0][0] == FILES
    assert query("SELECT COUNT(DISTINCT original_sha256) FROM activities_activity")[0][0] == FILES
    assert query("SELECT COUNT(*) FROM activities_activitystreams")[0][0] == FILES
    attempts = query("SELECT attempts FROM activities_importjob WHERE id = %s", job_id)[0][0]
    assert attempts >= 2
